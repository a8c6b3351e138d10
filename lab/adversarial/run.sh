#!/usr/bin/env bash
# rstscope adversarial lab (lab2): RSTs and their forged twins, in network namespaces.
#
#   sudo lab/adversarial/run.sh                 # every scenario except the long ones
#   sudo lab/adversarial/run.sh aqo-genuine     # only these
#   sudo lab/adversarial/run.sh long-idle       # the 6-minute idle scenario (runs ~7 min)
#   lab/adversarial/run.sh --list
#
# Topology (rebuilt for every scenario, removed on exit; P = ${R2_PREFIX:-r2}):
#
#   P-client                 P-router                       P-server
#   P-c0 10.99.1.2  <---->  P-rc 10.99.1.1 | P-rs 10.99.2.1  <---->  P-s0 10.99.2.2
#
# Captures (tcpdump -U --immediate-mode, snaplen 262144) for scenario S, in lab/adversarial/out/:
#   S.client.pcap (P-client, P-c0)  S.server.pcap (P-server, P-s0)  S.router.pcap (P-router, P-rs)
# A scenario can narrow a capture with a tcpdump filter (CAPF_client / CAPF_server / CAPF_router).
set -euo pipefail

ADV="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LAB="$(cd "$ADV/.." && pwd)"
P="${R2_PREFIX:-r2}"
OUT="${R2_OUT:-$ADV/out}"
LOG="$OUT/log"
TMP="$OUT/tmp"
PY=/usr/bin/python3
TK="$LAB/tk.py"
A="$ADV/adv.py"
NSC=$P-client NSR=$P-router NSS=$P-server
NSS_ALL=($NSC $NSR $NSS)
C4=10.99.1.2 R4C=10.99.1.1 R4S=10.99.2.1 S4=10.99.2.2 W4=10.99.2.3
PIDS=() CAP_PIDS=()
SC=""

ALL_SCENARIOS=(
  aqo-genuine aqo-forged aqo-forged-exact
  finrst-genuine finrst-forged
  idle-genuine idle-forged idle-forged-exact
  disguise-ttl disguise-ipid-next disguise-ipid-peer disguise-exact
  conntrack-idle half-open pipelined accept-abort
  connscan-2 connscan-3 monitor-2ports web-80-443
  zmap-scan one-sided-ssh zeek-syn winstack wrong-seq
)
LONG_SCENARIOS=(long-idle long-idle-9m)

say() { printf '[lab2 %s] %s\n' "${SC:-*}" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

wait_pid() {
  local pid=$1 secs=${2:-10} i
  for ((i = 0; i < secs * 20; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "pid $pid still running after ${secs}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
bg() {
  local ns=$1 name=$2; shift 2
  ip netns exec "$ns" "$@" >"$LOG/$SC.$name.log" 2>&1 &
  BG_PID=$!
  PIDS+=("$BG_PID")
}
fg() {
  local ns=$1 name=$2 secs=$3; shift 3
  timeout -s KILL "$secs" ip netns exec "$ns" "$@" >>"$LOG/$SC.$name.log" 2>&1 || \
    say "$name: exit status $? (see $LOG/$SC.$name.log)"
}
wait_file() {
  local f=$1 secs=${2:-10} i
  for ((i = 0; i < secs * 20; i++)); do
    [[ -s $f ]] && return 0
    sleep 0.05
  done
  die "timed out waiting for $f"
}
nsx() { ip netns exec "$@"; }
rtr() { nsx $NSR "$@"; }

teardown_net() {
  local n p
  for n in "${NSS_ALL[@]}"; do
    [[ -e /run/netns/$n ]] || continue
    for p in $(ip netns pids "$n" 2>/dev/null || true); do kill -KILL "$p" 2>/dev/null || true; done
    ip netns del "$n" 2>/dev/null || true
  done
}

setup_net() {
  teardown_net
  local n spec
  for n in "${NSS_ALL[@]}"; do
    ip netns add "$n"
    ip -n "$n" link set lo up
    nsx "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  ip link add $P-c0 netns $NSC type veth peer name $P-rc netns $NSR
  ip link add $P-s0 netns $NSS type veth peer name $P-rs netns $NSR
  for spec in "$NSC $P-c0" "$NSR $P-rc" "$NSR $P-rs" "$NSS $P-s0"; do
    set -- $spec
    nsx "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null 2>&1 || true
    nsx "$1" sysctl -qw net.ipv6.conf."$2".disable_ipv6=1 2>/dev/null || true
  done
  ip -n $NSC addr add $C4/24 dev $P-c0
  ip -n $NSR addr add $R4C/24 dev $P-rc
  ip -n $NSR addr add $R4S/24 dev $P-rs
  ip -n $NSS addr add $S4/24 dev $P-s0
  for spec in "$NSC $P-c0" "$NSR $P-rc" "$NSR $P-rs" "$NSS $P-s0"; do
    set -- $spec
    ip -n "$1" link set "$2" up
  done
  ip -n $NSC route add default via $R4C
  ip -n $NSS route add default via $R4S
  rtr sysctl -qw net.ipv4.ip_forward=1
  local ok=0 i
  for ((i = 0; i < 20; i++)); do
    if nsx $NSC ping -c1 -W1 -q $S4 >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.2
  done
  ((ok)) || die "namespaces cannot reach each other"
  sleep 1
}

CAPF_client="" CAPF_server="" CAPF_router=""
cap_start() {
  CAP_PIDS=()
  local spec i filt
  for spec in "client $NSC $P-c0" "server $NSS $P-s0" "router $NSR $P-rs"; do
    set -- $spec
    rm -f "$OUT/$SC.$1.pcap"
    filt="CAPF_$1"; filt="${!filt}"
    [[ $filt == none ]] && { echo "listening on (skipped)" >"$LOG/$SC.tcpdump-$1.log"; continue; }
    # shellcheck disable=SC2086
    ip netns exec "$2" tcpdump -i "$3" -U --immediate-mode -Z root -s 262144 -n -w "$OUT/$SC.$1.pcap" \
      $filt >"$LOG/$SC.tcpdump-$1.log" 2>&1 &
    CAP_PIDS+=($!)
    PIDS+=($!)
  done
  for spec in client server router; do
    for ((i = 0; i < 100; i++)); do
      grep -q "listening on" "$LOG/$SC.tcpdump-$spec.log" 2>/dev/null && break
      sleep 0.05
    done
    grep -q "listening on" "$LOG/$SC.tcpdump-$spec.log" || die "tcpdump ($spec) did not start"
  done
  sleep 0.2
}
cap_stop() {
  sleep 0.5
  local p
  for p in "${CAP_PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${CAP_PIDS[@]}"; do wait_pid "$p" 5; done
  CAP_PIDS=()
}
kill_all() {
  local p
  for p in "${PIDS[@]}"; do { kill -KILL "$p" && wait "$p"; } 2>/dev/null || true; done
  PIDS=()
}
OWN_NET=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  kill_all
  ((OWN_NET)) && teardown_net
  exit $rc
}
trap cleanup EXIT INT TERM

# server NAME PORT MODE [tk args]: lab/tk.py server in P-server (waits until it listens)
server() {
  local name=$1 port=$2 mode=$3; shift 3
  local ready="$TMP/$SC.$name.ready"
  rm -f "$ready"
  bg $NSS "$name" $PY "$TK" server --addr $S4 --port "$port" --mode "$mode" --ready "$ready" "$@"
  wait_file "$ready" 10
}
# aserver NAME PORT MODE [adv args]: lab/adversarial/adv.py server
aserver() {
  local name=$1 port=$2 mode=$3; shift 3
  local ready="$TMP/$SC.$name.ready"
  rm -f "$ready"
  bg $NSS "$name" $PY "$A" server --addr $S4 --port "$port" --mode "$mode" --ready "$ready" "$@"
  wait_file "$ready" 10
}
client() {
  local name=$1 port=$2 mode=$3; shift 3
  fg $NSC "$name" 40 $PY "$TK" client --addr $S4 --port "$port" --mode "$mode" "$@"
}
aclient() {
  local name=$1 mode=$2; shift 2
  fg $NSC "$name" 60 $PY "$A" client --addr $S4 --mode "$mode" "$@"
}
# forger NAME MODE [forge.py args]: lab/adversarial/forge.py in P-router, waits until it sniffs
forger() {
  local name=$1 mode=$2; shift 2
  local ready="$TMP/$SC.$name.ready"
  rm -f "$ready"
  bg $NSR "$name" timeout -s KILL 40 $PY "$ADV/forge.py" "$mode" --ready "$ready" "$@"
  FORGER_PID=$BG_PID
  wait_file "$ready" 15
}

source "$ADV/scenarios.sh"

run_one() {
  SC=$1
  local fn="sc_${SC//-/_}"
  declare -F "$fn" >/dev/null || die "unknown scenario $SC"
  CAPF_client="" CAPF_server="" CAPF_router=""
  declare -F "capf_${SC//-/_}" >/dev/null && "capf_${SC//-/_}"
  say "setting up namespaces"
  setup_net
  declare -F "pre_${SC//-/_}" >/dev/null && "pre_${SC//-/_}"
  cap_start
  say "running"
  "$fn"
  cap_stop
  kill_all
  teardown_net
  declare -F "post_${SC//-/_}" >/dev/null && "post_${SC//-/_}"
  local f
  for f in "$OUT/$SC".*.pcap; do
    [[ -e $f ]] || continue
    say "$(basename "$f"): $(tshark -r "$f" 2>/dev/null | wc -l) frames, $(tshark -r "$f" -Y 'tcp.flags.reset==1' 2>/dev/null | wc -l) RST, $(stat -c %s "$f") bytes"
  done
  SC=""
}

main() {
  if [[ ${1:-} == --list ]]; then printf '%s\n' "${ALL_SCENARIOS[@]}" "${LONG_SCENARIOS[@]}"; exit 0; fi
  [[ $(id -u) == 0 ]] || die "run as root"
  local t
  for t in ip tcpdump tshark ethtool ping nft editcap mergecap; do command -v $t >/dev/null || die "missing $t"; done
  mkdir -p "$OUT" "$LOG" "$TMP"
  exec 9>"$OUT/.lock-$P"
  flock -n 9 || die "another lab/adversarial/run.sh with prefix $P is running"
  OWN_NET=1
  local list=("$@")
  ((${#list[@]})) || list=("${ALL_SCENARIOS[@]}")
  local s
  for s in "${list[@]}"; do run_one "$s"; done
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
