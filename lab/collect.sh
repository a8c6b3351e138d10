#!/usr/bin/env bash
# Copy the lab captures (lab/out/*.pcap) into test/fixtures/lab/, label their RSTs
# (expected.json + README.md) and refresh the bundled sample test/fixtures/sample.pcap.
#   lab/collect.sh                 # every capture in lab/out
#   lab/collect.sh normal refused  # only these scenarios (others already in test/fixtures/lab stay)
# Captures of 100 KB or more are skipped (the fixtures must stay small).
set -euo pipefail
LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${RL_OUT:-$LAB/out}"
DEST="$LAB/../test/fixtures/lab"
MAX=$((100 * 1024))
mkdir -p "$DEST"
shopt -s nullglob
if (($#)); then
  files=()
  for s in "$@"; do files+=("$OUT/$s".client.pcap "$OUT/$s".server.pcap "$OUT/$s".router.pcap); done
else
  files=()
  for s in $("$LAB/run.sh" --list) vlan-qinq 6in4; do
    files+=("$OUT/$s".client.pcap "$OUT/$s".server.pcap "$OUT/$s".router.pcap)
  done
fi
n=0
for f in "${files[@]}"; do
  [[ -e $f ]] || continue
  size=$(stat -c %s "$f")
  if ((size >= MAX)); then echo "skip $(basename "$f"): $size bytes" >&2; continue; fi
  cp "$f" "$DEST/"
  n=$((n + 1))
done
echo "copied $n captures into $DEST"
if [[ -e $DEST/sample.client.pcap ]]; then
  cp "$DEST/sample.client.pcap" "$LAB/../test/fixtures/sample.pcap"
  echo "test/fixtures/sample.pcap = lab/sample.client.pcap"
fi
/usr/bin/python3 "$LAB/expect.py" "$DEST"
cat "$LAB/fixtures-readme.md" "$DEST/files.md" >"$DEST/README.md"
rm -f "$DEST/files.md"
du -sh "$DEST" | sed 's/^/fixtures: /'
