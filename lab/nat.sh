#!/usr/bin/env bash
# rstscope lab, NAT: real Linux-kernel captures at three points with SNAT (addresses AND ports) on the
# router, for `rstscope locate` (test/locate.test.ts). Separate from lab/run.sh; its own namespaces.
#
#   sudo lab/nat.sh            # writes test/fixtures/nat/nat.{client,router,server}.pcap
#   RLN_OUT=/tmp/x sudo lab/nat.sh
#
#   rln-client              rln-router                         rln-server
#   rln-c0 10.98.1.2 <----> rln-rc 10.98.1.1 | rln-rs 10.98.2.1 <----> rln-s0 10.98.2.2
#
# The router SNATs the client to 10.98.2.1:20000-20999 (so the router's server-side veth and the
# server see other addresses and ports than the client), REJECTs (tcp-reset) SYNs to port 8443, and
# drops what the server sends from port 8083 except its SYN/ACK. Traffic, in order:
#   8080 served (no RST) | 8443 RST forged by the router toward the client | 8081 server SO_LINGER 0
#   abort | 8082 client SO_LINGER 0 abort | 8083 client retransmits, then aborts (server's ACKs lost)
# Captures: tcpdump -U -s 262144 in rln-client on rln-c0, rln-router on rln-rs, rln-server on rln-s0.
set -euo pipefail

LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${RLN_OUT:-$LAB/../test/fixtures/nat}"
TMP="$(mktemp -d /tmp/rln.XXXXXX)"
PY=/usr/bin/python3
TK="$LAB/tk.py"
NSS=(rln-client rln-router rln-server)
C=10.98.1.2 RC=10.98.1.1 RS=10.98.2.1 S=10.98.2.2
PIDS=()       # every background process this script started
CAP_PIDS=()

say() { printf '[nat-lab] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
nsx() { ip netns exec "$@"; }

teardown() {
  local n p
  for n in "${NSS[@]}"; do
    [[ -e /run/netns/$n ]] || continue
    for p in $(ip netns pids "$n" 2>/dev/null || true); do kill -KILL "$p" 2>/dev/null || true; done
    ip netns del "$n" 2>/dev/null || true
  done
}

cleanup() {
  local rc=$? p
  trap - EXIT INT TERM
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  teardown
  rm -rf "$TMP"
  exit $rc
}
trap cleanup EXIT INT TERM

# wait_for SECONDS CMD...: bounded poll until CMD succeeds.
wait_for() {
  local secs=$1 i; shift
  for ((i = 0; i < secs * 20; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.05; done
  return 1
}

# bounded_wait PID SECONDS: wait for a background process, SIGKILL it after the deadline.
bounded_wait() {
  local pid=$1 secs=$2
  wait_for "$secs" bash -c "! kill -0 $pid" || kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

setup() {
  teardown
  local n spec
  for n in "${NSS[@]}"; do ip netns add "$n"; ip -n "$n" link set lo up; done
  ip link add rln-c0 netns rln-client type veth peer name rln-rc netns rln-router
  ip link add rln-s0 netns rln-server type veth peer name rln-rs netns rln-router
  for spec in "rln-client rln-c0" "rln-router rln-rc" "rln-router rln-rs" "rln-server rln-s0"; do
    set -- $spec
    nsx "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null 2>&1 || true
    ip -n "$1" link set "$2" up
  done
  ip -n rln-client addr add $C/24 dev rln-c0
  ip -n rln-router addr add $RC/24 dev rln-rc
  ip -n rln-router addr add $RS/24 dev rln-rs
  ip -n rln-server addr add $S/24 dev rln-s0
  ip -n rln-client route add default via $RC
  # The server has no route back to the client's network: only NAT makes the replies work.
  nsx rln-router sysctl -qw net.ipv4.ip_forward=1
  nsx rln-router iptables -t nat -A POSTROUTING -o rln-rs -p tcp -j SNAT --to-source $RS:20000-20999
  nsx rln-router iptables -A FORWARD -p tcp -d $S --dport 8443 --syn -j REJECT --reject-with tcp-reset
  nsx rln-router iptables -A FORWARD -p tcp -s $S --sport 8083 --tcp-flags SYN NONE -j DROP
  nsx rln-client sysctl -qw net.ipv4.tcp_retries2=3
  wait_for 10 nsx rln-client ping -c1 -W1 -q $RC || die "client cannot reach the router"
}

cap() {  # cap NS IFACE FILE
  nsx "$1" timeout -s INT 60 tcpdump -U --immediate-mode -s 262144 -i "$2" -w "$3" tcp >"$TMP/$2.log" 2>&1 &
  PIDS+=($!)
  CAP_PIDS+=($!)
  wait_for 10 grep -q "listening on" "$TMP/$2.log" || die "tcpdump on $2 did not start"
}

server() {  # server PORT MODE [args]: start a tk.py server in rln-server and wait until it listens
  local port=$1 mode=$2; shift 2
  rm -f "$TMP/ready.$port"
  nsx rln-server timeout -s KILL 20 $PY "$TK" server --addr $S --port "$port" --mode "$mode" --ready "$TMP/ready.$port" "$@" \
    >"$TMP/srv.$port.log" 2>&1 &
  PIDS+=($!)
  LAST=$!
  wait_for 10 test -s "$TMP/ready.$port" || die "server on $port did not start"
}

client() {  # client PORT MODE [args]: run a tk.py client in rln-client (bounded)
  local port=$1 mode=$2; shift 2
  timeout -s KILL 30 ip netns exec rln-client $PY "$TK" client --addr $S --port "$port" --mode "$mode" "$@" \
    >>"$TMP/cli.$port.log" 2>&1 || say "client $port/$mode exited with $?"
}

main() {
  [[ $(id -u) == 0 ]] || die "run as root"
  local t
  for t in ip tcpdump iptables ethtool; do command -v $t >/dev/null || die "missing $t"; done
  mkdir -p "$OUT"
  setup
  cap rln-client rln-c0 "$TMP/nat.client.pcap"
  cap rln-router rln-rs "$TMP/nat.router.pcap"
  cap rln-server rln-s0 "$TMP/nat.server.pcap"
  sleep 0.2
  server 8080 echo; local s1=$LAST
  client 8080 echo
  bounded_wait "$s1" 10
  server 8443 echo; local s2=$LAST
  client 8443 refused
  { kill -KILL "$s2" && wait "$s2"; } 2>/dev/null || true
  server 8081 linger0; local s3=$LAST
  client 8081 idle --timeout 3
  bounded_wait "$s3" 10
  server 8082 echo; local s4=$LAST
  client 8082 linger0
  bounded_wait "$s4" 10
  server 8083 read-noreply --timeout 6; local s5=$LAST
  client 8083 retrans-abort --wait 1.6
  { kill -KILL "$s5" && wait "$s5"; } 2>/dev/null || true
  sleep 0.5
  local p
  for p in "${CAP_PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done  # timeout passes SIGINT on to tcpdump
  for p in "${CAP_PIDS[@]}"; do bounded_wait "$p" 5; done
  for t in client router server; do
    cp "$TMP/nat.$t.pcap" "$OUT/nat.$t.pcap"
    say "nat.$t.pcap: $(stat -c %s "$OUT/nat.$t.pcap") bytes"
  done
}

main "$@"
