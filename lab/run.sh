#!/usr/bin/env bash
# rstscope lab: real Linux-kernel captures of TCP resets, in network namespaces.
#
#   sudo lab/run.sh                 # every scenario
#   sudo lab/run.sh normal refused  # only these
#   lab/run.sh --list               # scenario names
#
# Topology (rebuilt from scratch for every scenario, removed on exit):
#
#   rl-client                rl-router                     rl-server
#   rl-c0 10.99.1.2  <---->  rl-rc 10.99.1.1 | rl-rs 10.99.2.1  <---->  rl-s0 10.99.2.2
#         fd99:1::2                fd99:1::1 | fd99:2::1                      fd99:2::2
#
# Captures (tcpdump -U, snaplen 262144) for scenario S, in lab/out/:
#   S.client.pcap  (rl-client, rl-c0)   S.server.pcap  (rl-server, rl-s0)
#   S.router.pcap  (rl-router, rl-rs: the router's server-side veth)
set -euo pipefail

LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${RL_OUT:-$LAB/out}"
LOG="$OUT/log"
TMP="$OUT/tmp"
PY=/usr/bin/python3          # Debian's python3: it has scapy
TK="$LAB/tk.py"
NSS=(rl-client rl-router rl-server)
C4=10.99.1.2 R4C=10.99.1.1 R4S=10.99.2.1 S4=10.99.2.2
C6=fd99:1::2 R6C=fd99:1::1 R6S=fd99:2::1 S6=fd99:2::2
PIDS=()        # every background process this script started
CAP_PIDS=()
SC=""          # current scenario

ALL_SCENARIOS=(
  sample normal refused abort-linger0 close-unread ipv6-normal ipv6-refused
  vxlan vxlan-8472 vlan gre geneve ipip
  firewall-reject syn-scan connect-scan accept-queue-overflow time-wait malformed-syn
  retransmission retransmission-abort idle-timeout idle-timeout-server
  fin-then-reset fin-then-reset-injected data-after-close
  injected-synack injected-clienthello challenge-ack abort-inflight
  ipv6-firewall-reject ipv6-abort
)

say() { printf '[lab %s] %s\n' "${SC:-*}" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- processes
# wait_pid PID SECONDS: wait (bounded) for a background process, SIGKILL it after the deadline.
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

# bg NS LOGNAME CMD...: start CMD in namespace NS in the background; its pid is in $BG_PID.
bg() {
  local ns=$1 name=$2; shift 2
  ip netns exec "$ns" "$@" >"$LOG/$SC.$name.log" 2>&1 &
  BG_PID=$!
  PIDS+=("$BG_PID")
}

# fg NS LOGNAME SECONDS CMD...: run CMD in NS in the foreground, bounded by `timeout`.
fg() {
  local ns=$1 name=$2 secs=$3; shift 3
  timeout -s KILL "$secs" ip netns exec "$ns" "$@" >>"$LOG/$SC.$name.log" 2>&1 || \
    say "$name: exit status $? (expected for clients that get reset; see $LOG/$SC.$name.log)"
}

# wait_file FILE SECONDS: bounded wait for a readiness file.
wait_file() {
  local f=$1 secs=${2:-10} i
  for ((i = 0; i < secs * 20; i++)); do
    [[ -s $f ]] && return 0
    sleep 0.05
  done
  die "timed out waiting for $f"
}

stop_bg() {
  local p
  for p in "$@"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "$@"; do wait_pid "$p" 5; done
}

# ---------------------------------------------------------------- network
teardown_net() {
  local n
  for n in "${NSS[@]}"; do
    [[ -e /run/netns/$n ]] || continue
    local p
    for p in $(ip netns pids "$n" 2>/dev/null || true); do kill -KILL "$p" 2>/dev/null || true; done
    ip netns del "$n" 2>/dev/null || true
  done
}

nsx() { ip netns exec "$@"; }

setup_net() {
  teardown_net
  local n
  for n in "${NSS[@]}"; do
    ip netns add "$n"
    ip -n "$n" link set lo up
    nsx "$n" sysctl -qw net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
      net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0 \
      net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
  done
  ip link add rl-c0 netns rl-client type veth peer name rl-rc netns rl-router
  ip link add rl-s0 netns rl-server type veth peer name rl-rs netns rl-router
  # Real checksums and real MTU-sized segments in the captures (no TSO/GSO super-packets).
  local spec
  for spec in "rl-client rl-c0" "rl-router rl-rc" "rl-router rl-rs" "rl-server rl-s0"; do
    set -- $spec
    nsx "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null 2>&1 || true
  done
  ip -n rl-client addr add $C4/24 dev rl-c0
  ip -n rl-client -6 addr add $C6/64 dev rl-c0 nodad
  ip -n rl-router addr add $R4C/24 dev rl-rc
  ip -n rl-router -6 addr add $R6C/64 dev rl-rc nodad
  ip -n rl-router addr add $R4S/24 dev rl-rs
  ip -n rl-router -6 addr add $R6S/64 dev rl-rs nodad
  ip -n rl-server addr add $S4/24 dev rl-s0
  ip -n rl-server -6 addr add $S6/64 dev rl-s0 nodad
  for spec in "rl-client rl-c0" "rl-router rl-rc" "rl-router rl-rs" "rl-server rl-s0"; do
    set -- $spec
    ip -n "$1" link set "$2" up
  done
  ip -n rl-client route add default via $R4C
  ip -n rl-client -6 route add default via $R6C
  ip -n rl-server route add default via $R4S
  ip -n rl-server -6 route add default via $R6S
  nsx rl-router sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  # Bounded check that both paths work before anything is captured, and let the
  # link-up chatter (IPv6 MLD reports) pass so it stays out of the captures.
  local ok=0 i
  for ((i = 0; i < 20; i++)); do
    if nsx rl-client ping -c1 -W1 -q $S4 >/dev/null 2>&1 && nsx rl-client ping -6 -c1 -W1 -q $S6 >/dev/null 2>&1; then
      ok=1; break
    fi
    sleep 0.2
  done
  ((ok)) || { ip -n rl-client addr; ip -n rl-router addr; ip -n rl-client route; nsx rl-client ping -c1 -W1 $S4; die "namespaces cannot reach each other"; }
  sleep 1.5
}

# ---------------------------------------------------------------- captures
cap_start() {
  CAP_PIDS=()
  local spec i
  for spec in "client rl-client rl-c0" "server rl-server rl-s0" "router rl-router rl-rs"; do
    set -- $spec
    rm -f "$OUT/$SC.$1.pcap"
    ip netns exec "$2" tcpdump -i "$3" -U --immediate-mode -Z root -s 262144 -n -w "$OUT/$SC.$1.pcap" \
      >"$LOG/$SC.tcpdump-$1.log" 2>&1 &
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
  for p in "${PIDS[@]}"; do
    { kill -KILL "$p" && wait "$p"; } 2>/dev/null || true
  done
  PIDS=()
}

OWN_NET=0      # set once this run holds the lab lock: only then may it delete rl-* namespaces
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  kill_all
  ((OWN_NET)) && teardown_net
  exit $rc
}
trap cleanup EXIT INT TERM

# helpers for the scenarios ---------------------------------------------------
# server NAME ADDR PORT MODE [extra tk args]: start a tk.py server in rl-server, wait until it listens.
server() {
  local name=$1 addr=$2 port=$3 mode=$4; shift 4
  local ready="$TMP/$SC.$name.ready"
  rm -f "$ready"
  bg rl-server "$name" $PY "$TK" server --addr "$addr" --port "$port" --mode "$mode" --ready "$ready" "$@"
  wait_file "$ready" 10
}
# client NAME ADDR PORT MODE [extra tk args]: run a tk.py client in rl-client (bounded).
client() {
  local name=$1 addr=$2 port=$3 mode=$4; shift 4
  fg rl-client "$name" 40 $PY "$TK" client --addr "$addr" --port "$port" --mode "$mode" "$@"
}

# ================================================================ scenarios
# Each sc_* function runs with fresh namespaces and the three captures running.

sc_normal() {
  server srv $S4 8080 echo --conns 2
  client c1 $S4 8080 echo --request "GET /first HTTP/1.0"
  sleep 0.3
  client c2 $S4 8080 echo --request "GET /second HTTP/1.0"
  wait_pid "$BG_PID" 10
}

sc_refused() {
  client c1 $S4 9 refused
  sleep 0.2
  client c2 $S4 8081 refused
}

sc_sample() {
  server srv $S4 8080 echo
  client c1 $S4 8080 echo
  wait_pid "$BG_PID" 10
  sleep 0.2
  client c2 $S4 8081 refused
  sleep 0.2
  server srv2 $S4 8082 echo
  client c3 $S4 8082 linger0
  wait_pid "$BG_PID" 10
}

sc_abort_linger0() {
  # 1) the server aborts with SO_LINGER {1,0}; 2) the client aborts.
  server srv $S4 8080 linger0
  client c1 $S4 8080 idle --timeout 3
  wait_pid "$BG_PID" 10
  sleep 0.2
  server srv2 $S4 8081 echo
  client c2 $S4 8081 linger0
  wait_pid "$BG_PID" 10
}

sc_close_unread() {
  server srv $S4 8080 close-unread
  client c1 $S4 8080 send-unread
  wait_pid "$BG_PID" 10
}

sc_ipv6_normal() {
  server srv $S6 8080 echo --conns 2
  client c1 $S6 8080 echo --request "GET /first HTTP/1.0"
  sleep 0.3
  client c2 $S6 8080 echo --request "GET /second HTTP/1.0"
  wait_pid "$BG_PID" 10
}

sc_ipv6_refused() {
  client c1 $S6 9 refused
  sleep 0.2
  client c2 $S6 8081 refused
}

sc_ipv6_abort() {
  server srv $S6 8080 linger0
  client c1 $S6 8080 idle --timeout 3
  wait_pid "$BG_PID" 10
  sleep 0.2
  server srv2 $S6 8081 echo
  client c2 $S6 8081 linger0
  wait_pid "$BG_PID" 10
}

# --- VXLAN overlay (real kernel vxlan devices; the captures show the underlay) -------
vxlan_pair() {  # vxlan_pair VNI DSTPORT OVERLAY-NET (e.g. 10.99.42)
  local vni=$1 port=$2 net=$3
  ip -n rl-client link add rl-vx0 type vxlan id "$vni" remote $S4 local $C4 dstport "$port"
  ip -n rl-server link add rl-vx0 type vxlan id "$vni" remote $C4 local $S4 dstport "$port"
  ip -n rl-client addr add "$net.1/24" dev rl-vx0
  ip -n rl-server addr add "$net.2/24" dev rl-vx0
  local ns
  for ns in rl-client rl-server; do
    nsx $ns ethtool -K rl-vx0 tx off tso off gso off gro off >/dev/null 2>&1 || true
    ip -n $ns link set rl-vx0 up
  done
  local i
  for ((i = 0; i < 20; i++)); do
    nsx rl-client ping -c1 -W1 -q "$net.2" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "vxlan overlay $net.0/24 does not work"
}
vxlan_traffic() {
  local net=$1
  server srv "$net.2" 8080 echo
  client c1 "$net.2" 8080 echo
  wait_pid "$BG_PID" 10
  sleep 0.2
  client c2 "$net.2" 8081 refused
  sleep 0.2
  server srv2 "$net.2" 8082 echo
  client c3 "$net.2" 8082 linger0
  wait_pid "$BG_PID" 10
}
pre_vxlan() { vxlan_pair 42 4789 10.99.42; }
sc_vxlan() { vxlan_traffic 10.99.42; }
pre_vxlan_8472() { vxlan_pair 43 8472 10.99.43; }
sc_vxlan_8472() { vxlan_traffic 10.99.43; }

# --- offline: VLAN tags and tunnels around a real capture (no kernel support here) ---
need_capture() {  # need_capture SCENARIO: make sure lab/out/SCENARIO.client.pcap exists
  [[ -s $OUT/$1.client.pcap ]] && return 0
  local save=$SC
  run_one "$1"
  SC=$save
}
sc_vlan() {
  # 802.1Q tag 100 (tcprewrite), and QinQ: 802.1ad S-tag 200 outside the 802.1Q C-tag 100.
  need_capture sample
  tcprewrite --enet-vlan=add --enet-vlan-tag=100 --enet-vlan-cfi=0 --enet-vlan-pri=0 \
    -i "$OUT/sample.client.pcap" -o "$OUT/vlan.client.pcap"
  tcprewrite --enet-vlan=add --enet-vlan-tag=200 --enet-vlan-cfi=0 --enet-vlan-pri=0 --enet-vlan-proto=802.1ad \
    -i "$OUT/vlan.client.pcap" -o "$OUT/vlan-qinq.client.pcap"
}
sc_gre() { need_capture sample; $PY "$LAB/wrap.py" gre "$OUT/sample.client.pcap" "$OUT/gre.client.pcap" >&2; }
sc_geneve() { need_capture sample; $PY "$LAB/wrap.py" geneve "$OUT/sample.client.pcap" "$OUT/geneve.client.pcap" >&2; }
sc_ipip() {
  need_capture sample
  need_capture ipv6-abort
  $PY "$LAB/wrap.py" ipip "$OUT/sample.client.pcap" "$OUT/ipip.client.pcap" >&2
  $PY "$LAB/wrap.py" 6in4 "$OUT/ipv6-abort.client.pcap" "$OUT/6in4.client.pcap" >&2
}

# --- causes --------------------------------------------------------------------------
rtr() { nsx rl-router "$@"; }
# injector MODE [args]: start lab/inject.py in rl-router, wait until it sniffs; pid in $INJ_PID
injector() {
  local mode=$1; shift
  local ready="$TMP/$SC.inj.ready"
  rm -f "$ready"
  bg rl-router inj timeout -s KILL 25 $PY "$LAB/inject.py" "$mode" --ready "$ready" "$@"
  INJ_PID=$BG_PID
  wait_file "$ready" 15
}
SCAN_PORTS=21,22,80,443,2222,3306,5432,8080,8443,9000

sc_firewall_reject() {
  # The server listens on 8080 and 8443. The router REJECTs (tcp-reset) new connections to
  # 8443, and, on 8080, any segment carrying the string "forbidden" (a mid-session policy).
  rtr iptables -A FORWARD -p tcp -d $S4 --dport 8443 --syn -j REJECT --reject-with tcp-reset
  rtr iptables -A FORWARD -p tcp -d $S4 --dport 8080 -m string --string forbidden --algo bm \
    -j REJECT --reject-with tcp-reset
  server srv2 $S4 8443 echo; local p2=$BG_PID
  server srv $S4 8080 echo --conns 2 --io-timeout 8
  client c1 $S4 8080 echo                        # served: shows the server's own TTL
  sleep 0.2
  client c2 $S4 8443 refused                     # RST+ACK forged by the router
  sleep 0.2
  client c3 $S4 8080 idle --request "GET /forbidden HTTP/1.0" --timeout 2
  sleep 0.3
  stop_bg "$p2"
}

sc_ipv6_firewall_reject() {
  rtr ip6tables -A FORWARD -p tcp -d $S6 --dport 8443 --syn -j REJECT --reject-with tcp-reset
  server srv2 $S6 8443 echo; local p2=$BG_PID
  server srv $S6 8080 echo
  client c1 $S6 8080 echo
  sleep 0.2
  client c2 $S6 8443 refused
  sleep 0.3
  stop_bg "$p2"
}

scan_targets() {
  local port pids=()
  for port in 22 8080 8443; do server "srv$port" $S4 $port idle --conns 20 --timeout 20; pids+=("$BG_PID"); done
  SCAN_SERVERS=("${pids[@]}")
}
sc_syn_scan() {
  scan_targets
  fg rl-client nmap 60 nmap -sS -Pn -n -T4 --max-retries 1 -p $SCAN_PORTS $S4
  sleep 0.5
}
sc_connect_scan() {
  scan_targets
  fg rl-client nmap 60 nmap -sT -Pn -n -T4 --max-retries 1 -p $SCAN_PORTS $S4
  sleep 0.5
}

sc_accept_queue_overflow() {
  # Listener with backlog B=2 that never accept()s, tcp_abort_on_overflow=1 (per netns).
  # Linux bounds both the accept queue (full above B, i.e. B+1 entries) and the SYN queue
  # (B+1 pending requests, beyond that SYN cookies, whose ACKs are dropped silently) by
  # the backlog, so an overflow RST needs requests that were accepted into the SYN queue
  # while the accept queue still had room: B clients connect first (accept queue B of B+1),
  # then the router holds everything but the SYN of B+1 more clients (iptables DROP of
  # non-SYN segments to 8080) and releases it: their retransmitted requests complete the
  # handshakes together, the first one takes the last slot and the server kernel answers
  # the other B with a bare RST (flags R, seq = the request's ACK number).
  local b=${AQO_BACKLOG:-2} i pids=()
  nsx rl-server sysctl -qw net.ipv4.tcp_abort_on_overflow=1
  server srv $S4 8080 never-accept --backlog "$b" --timeout 12
  for ((i = 1; i <= b; i++)); do
    bg rl-client "c$i" timeout -s KILL 15 $PY "$TK" client --addr $S4 --port 8080 --mode hold --timeout 4
    pids+=("$BG_PID")
    sleep 0.2
  done
  sleep 0.3
  rtr iptables -A FORWARD -p tcp -d $S4 --dport 8080 --tcp-flags SYN NONE -j DROP
  for ((i = b + 1; i <= 2 * b + 1; i++)); do
    bg rl-client "c$i" timeout -s KILL 15 $PY "$TK" client --addr $S4 --port 8080 --mode idle \
      --request "GET /queued-$i HTTP/1.0" --timeout 4 --io-timeout 4
    pids+=("$BG_PID")
    sleep 0.1
  done
  sleep 0.5
  rtr iptables -D FORWARD -p tcp -d $S4 --dport 8080 --tcp-flags SYN NONE -j DROP
  for i in "${pids[@]}"; do wait_pid "$i" 15; done
  nsx rl-server nstat -az >"$LOG/$SC.nstat.log" 2>&1 || true
}

sc_time_wait() {
  # The server closes first (server side in TIME_WAIT); the client's socket is gone. A raw
  # SYN from the same source port with a sequence number below the old connection's gets
  # the TIME_WAIT ACK, which the client kernel resets. Then a real connect() from the same
  # port (its ISN is higher) is accepted by the TIME_WAIT socket: no RST there.
  server srv $S4 8080 close-first --conns 2; local sp=$BG_PID
  client c1 $S4 8080 echo --bind-port 40000
  sleep 0.5
  local fin
  fin=$(tshark -r "$OUT/$SC.client.pcap" -o tcp.relative_sequence_numbers:FALSE \
    -Y 'tcp.srcport==40000 && tcp.flags.fin==1' -T fields -e tcp.seq 2>/dev/null | head -1)
  [[ -n $fin ]] || die "no client FIN seen"
  fg rl-client raw 10 $PY "$LAB/raw.py" oldsyn --dst $S4 --dport 8080 --sport 40000 \
    --seq $(((fin - 100000 + 4294967296) % 4294967296))
  sleep 0.5
  client c2 $S4 8080 echo --bind-port 40000 --request "GET /again HTTP/1.0"
  wait_pid "$sp" 10
}

sc_malformed_syn() {
  # Raw SYN+FIN segments: to a listening port (Linux drops them) and to a closed port.
  server srv $S4 8080 idle --timeout 5
  fg rl-client raw 10 $PY "$LAB/raw.py" synfin --dst $S4 --dport 8080 --sport 41000 --seq 1000000
  sleep 0.3
  fg rl-client raw 10 $PY "$LAB/raw.py" synfin --dst $S4 --dport 8081 --sport 41001 --seq 2000000
  sleep 0.3
}

retrans_setup() {
  nsx rl-client sysctl -qw net.ipv4.tcp_retries2=3
  server srv $S4 8080 read-noreply --timeout 12
  # drop everything the server sends on 8080 except its SYN/ACK
  rtr iptables -A FORWARD -p tcp -s $S4 --sport 8080 --tcp-flags SYN NONE -j DROP
}
sc_retransmission() {
  retrans_setup
  client c1 $S4 8080 retrans --timeout 10
}
sc_retransmission_abort() {
  retrans_setup
  client c1 $S4 8080 retrans-abort --wait 1.6
}

sc_idle_timeout() {
  injector idle --iface rl-rs --port 8080 --idle 6 \
    --timeout 15
  server srv $S4 8080 idle --timeout 12
  client c1 $S4 8080 idle --timeout 12
  wait_pid "$INJ_PID" 20
}
sc_idle_timeout_server() {
  server srv $S4 8080 idle-abort --idle 6 --timeout 12
  client c1 $S4 8080 idle --timeout 12
}

sc_fin_then_reset() {
  server srv $S4 8080 fin-rst
  client c1 $S4 8080 idle --timeout 3
}
sc_fin_then_reset_injected() {
  injector fin --iface rl-rs --port 8080 --timeout 10
  server srv $S4 8080 close-first
  client c1 $S4 8080 idle --timeout 3 --wait 1
  wait_pid "$INJ_PID" 15
}

sc_data_after_close() {
  server srv $S4 8080 close-first
  client c1 $S4 8080 write-after-fin
}

sc_injected_synack() {
  injector synack --iface rl-rs --port 8080 --timeout 10
  # The client waits 0.3 s before its request, so the forged RST (scapy needs a few ms)
  # lands on an idle connection. The server never learns: after its read timeout it
  # closes, and the client kernel, which has forgotten the connection, resets that FIN.
  server srv $S4 8080 echo --io-timeout 1.5
  client c1 $S4 8080 echo --delay 0.3
  wait_pid "$INJ_PID" 15
  sleep 1.5
}

tls_cert() {
  [[ -s $TMP/tls.key ]] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/tls.key" -out "$TMP/tls.crt" -days 3650 \
    -subj "/CN=blocked.example" >/dev/null 2>&1
}
sc_injected_clienthello() {
  tls_cert
  injector clienthello --iface rl-rc --port 4433 \
    --sni blocked.example --timeout 10
  # TLS 1.3 with the ffdhe8192 group only: the server's key exchange takes long enough
  # (tens of ms) that the injector's RST reaches the client before the ServerHello does.
  bg rl-server tls-server timeout -s KILL 12 openssl s_server -accept 4433 -cert "$TMP/tls.crt" \
    -key "$TMP/tls.key" -naccept 1 -quiet -groups ffdhe8192
  local i
  for ((i = 0; i < 100; i++)); do
    nsx rl-server ss -Hltn 'sport = :4433' | grep -q 4433 && break
    sleep 0.05
  done
  fg rl-client tls-client 10 openssl s_client -connect $S4:4433 -servername blocked.example \
    -groups ffdhe8192 </dev/null
  wait_pid "$INJ_PID" 15
  sleep 0.5
}

sc_challenge_ack() {
  injector challenge --iface rl-rs --port 8080 --timeout 10
  server srv $S4 8080 echo --io-timeout 8
  client c1 $S4 8080 idle --timeout 3.5 --io-timeout 8
  wait_pid "$INJ_PID" 15
}

sc_abort_inflight() {
  # The router's link toward the client is slow (tbf 2 Mbit/s), so the server's response
  # queues up in flight; the client aborts (SO_LINGER 0) without reading it, and its kernel
  # then answers every segment that still arrives with RST.
  rtr tc qdisc add dev rl-rc root tbf rate 2mbit burst 3000 latency 2s
  server srv $S4 8080 stream --bytes 40000
  client c1 $S4 8080 abort-inflight --wait 0.05
  sleep 1.5
}

# ================================================================ driver
run_one() {
  SC=$1
  local fn="sc_${SC//-/_}"
  declare -F "$fn" >/dev/null || die "unknown scenario $SC"
  if [[ ${NO_NET_SCENARIOS[*]:-} == *" $SC "* ]]; then
    "$fn"
  else
    say "setting up namespaces"
    setup_net
    if declare -F "pre_${SC//-/_}" >/dev/null; then "pre_${SC//-/_}"; sleep 1; fi
    cap_start
    say "running"
    "$fn"
    cap_stop
    kill_all
    teardown_net
  fi
  local f checked=()
  for f in "$OUT/$SC".*.pcap $( [[ $SC == vlan ]] && echo "$OUT/vlan-qinq.client.pcap"; [[ $SC == ipip ]] && echo "$OUT/6in4.client.pcap"); do
    [[ -e $f ]] || continue
    checked+=("$f")
    say "$(basename "$f"): $(tshark -r "$f" -d udp.port==8472,vxlan 2>/dev/null | wc -l) frames, $(tshark -r "$f" -d udp.port==8472,vxlan -Y 'tcp.flags.reset==1' 2>/dev/null | wc -l) RST, $(stat -c %s "$f") bytes"
  done
  # verify the captures against the scenario's expectations (lab/expect.py rules)
  if ((${#checked[@]})) && ! $PY "$LAB/expect.py" --check "${checked[@]}" >"$LOG/$SC.expect.log" 2>&1; then
    say "WARNING: the RSTs are not what this scenario should produce, see $LOG/$SC.expect.log"
  fi
  SC=""
}

NO_NET_SCENARIOS=" vlan gre geneve ipip "

main() {
  if [[ ${1:-} == --list ]]; then printf '%s\n' "${ALL_SCENARIOS[@]}"; exit 0; fi
  [[ $(id -u) == 0 ]] || die "run as root"
  local t
  for t in ip tcpdump tshark ethtool ping; do command -v $t >/dev/null || die "missing $t"; done
  mkdir -p "$OUT" "$LOG" "$TMP"
  # one lab at a time: the namespace names are fixed
  exec 9>"$OUT/.lock"
  flock -n 9 || die "another lab/run.sh is running"
  OWN_NET=1
  local list=("$@")
  ((${#list[@]})) || list=("${ALL_SCENARIOS[@]}")
  local s
  for s in "${list[@]}"; do run_one "$s"; done
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
