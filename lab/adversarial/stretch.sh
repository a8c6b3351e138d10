#!/usr/bin/env bash
# stretch.sh SRC NAME SECONDS [AFTER]: make NAME.{client,server,router}.pcap from
# SRC.{...}.pcap (in lab/adversarial/out) with every packet after the first AFTER seconds
# (default 60: inside the idle gap) moved SECONDS later, so the idle gaps of long-idle grow
# from ~5.5 minutes to ~5.5 minutes + SECONDS. Only the capture timestamps change (editcap -t):
# packet bytes, frame order and numbers, and the TCP timestamp options stay as captured.
set -euo pipefail
ADV="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${R2_OUT:-$ADV/out}"
src=$1 name=$2 secs=$3 after=${4:-60}
for pt in client server router; do
  f="$OUT/$src.$pt.pcap"
  [[ -e $f ]] || continue
  n=$(tshark -r "$f" -Y "frame.time_relative <= $after" -T fields -e frame.number 2>/dev/null | tail -1)
  total=$(capinfos -c -M "$f" | awk '/Number of packets/ {print $NF}')
  tmp=$(mktemp -d)
  editcap -r "$f" "$tmp/head.pcap" "1-$n" >/dev/null
  editcap -r -t "$secs" "$f" "$tmp/tail.pcap" "$((n + 1))-$total" >/dev/null
  mergecap -a -F pcap -w "$OUT/$name.$pt.pcap" "$tmp/head.pcap" "$tmp/tail.pcap"
  rm -rf "$tmp"
  echo "$name.$pt.pcap: frames 1-$n as captured, $((n + 1))-$total shifted by +${secs}s" >&2
done
