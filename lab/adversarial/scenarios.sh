# Scenarios of lab/adversarial/run.sh (sourced). Each sc_* runs with fresh namespaces and
# the three captures running; capf_* sets tcpdump filters, pre_*/post_* run before/after.

# nft table on the router (the iptables conntrack match does not load on this kernel's
# nf_tables backend; nft's ct expression does the same).
nft_router() { rtr nft -f - ; }

# ------------------------------------------------------------------ long idle (real minutes)
# Four connections go idle for 5.3-5.8 minutes for real (LONG_IDLE s, default 320):
#  8080: the router's conntrack entry expires (timeout_established 300 s, loose 0) and an nft
#        rule rejects invalid packets with a tcp reset: the client's data after the idle gap
#        draws a RST with the server's address from the router; later the server's FIN draws
#        one with the client's address                      -> idle-timeout / middlebox (x2)
#  8081: the server aborts 2 s after answering, its RST+ACK is dropped by the router (half-open);
#        the client's data after the gap draws the server kernel's stateless RST
#                                                           -> no-connection / server
#  8082: the server application's idle timer (LONG_IDLE s) aborts with SO_LINGER 0
#                                                           -> idle-timeout / server
#  8083: the client application's idle timer (LONG_IDLE+30 s) aborts with SO_LINGER 0
#                                                           -> idle-timeout / client
sc_long_idle() {
  local T=${LONG_IDLE:-320}
  rtr sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0 \
    net.netfilter.nf_conntrack_tcp_timeout_established=$((T - 20))
  nft_router <<NFT
table inet r2lab {
  chain filt {
    type filter hook forward priority 0; policy accept;
    tcp dport 8080 ct state invalid reject with tcp reset
    tcp sport 8080 ct state invalid reject with tcp reset
    ip saddr $S4 tcp sport 8081 tcp flags & (rst|ack) == (rst|ack) drop
  }
}
NFT
  local pids=()
  server s8080 8080 idle --timeout $((T + 60)); pids+=("$BG_PID")
  aserver s8081 8081 respond-abort --wait 2 --timeout $((T + 80)); pids+=("$BG_PID")
  server s8082 8082 idle-abort --idle $T --timeout $((T + 80)) --io-timeout $((T + 60)); pids+=("$BG_PID")
  server s8083 8083 idle --timeout $((T + 80)) --io-timeout $((T + 60)); pids+=("$BG_PID")
  bg $NSC c8080 $PY "$A" client --addr $S4 --port 8080 --mode sleep-send --idle $((T + 10)) --timeout $((T + 40)); pids+=("$BG_PID")
  sleep 0.5
  bg $NSC c8081 $PY "$A" client --addr $S4 --port 8081 --mode sleep-send --idle $((T + 20)) --timeout $((T + 40)) --io-timeout 3
  pids+=("$BG_PID")
  sleep 0.5
  bg $NSC c8082 $PY "$TK" client --addr $S4 --port 8082 --mode idle --timeout $((T + 40)); pids+=("$BG_PID")
  sleep 0.5
  bg $NSC c8083 $PY "$A" client --addr $S4 --port 8083 --mode idle-abort --idle $((T + 30)) --timeout $((T + 40)); pids+=("$BG_PID")
  local p
  for p in "${pids[@]}"; do wait_pid "$p" $((T + 100)); done
  rtr conntrack -L >"$LOG/$SC.conntrack.log" 2>&1 || true
}

# ------------------------------------------------------------------ 1. accept-queue overflow
sc_aqo_genuine() {
  # As lab/run.sh accept-queue-overflow: backlog 2, never accept(), tcp_abort_on_overflow=1;
  # 2 clients fill the queue, the router holds the non-SYN segments of 3 more for 0.5 s,
  # their handshakes then complete together: one takes the last slot, two get a bare RST.
  local b=2 i pids=()
  nsx $NSS sysctl -qw net.ipv4.tcp_abort_on_overflow=1
  server srv 8080 never-accept --backlog $b --timeout 10
  for ((i = 1; i <= b; i++)); do
    bg $NSC "c$i" timeout -s KILL 15 $PY "$TK" client --addr $S4 --port 8080 --mode hold --timeout 4
    pids+=("$BG_PID"); sleep 0.2
  done
  sleep 0.3
  rtr iptables -A FORWARD -p tcp -d $S4 --dport 8080 --tcp-flags SYN NONE -j DROP
  for ((i = b + 1; i <= 2 * b + 1; i++)); do
    bg $NSC "c$i" timeout -s KILL 15 $PY "$TK" client --addr $S4 --port 8080 --mode idle \
      --request "GET /queued-$i HTTP/1.0" --timeout 4 --io-timeout 4
    pids+=("$BG_PID"); sleep 0.1
  done
  sleep 0.5
  rtr iptables -D FORWARD -p tcp -d $S4 --dport 8080 --tcp-flags SYN NONE -j DROP
  for i in "${pids[@]}"; do wait_pid "$i" 15; done
}
sc_aqo_forged() {
  # A burst of 3 clients to a healthy server; the router forges, on each client's third
  # handshake ACK, a bare RST shaped like an overflow reset (seq = the ACK's ack, window 0,
  # no options, server's address) but leaves with TTL 64 (63 for the real server at the
  # client) and a random IP ID. The clients wait 0.5 s before their request, so the forged
  # RST lands first; the unaware server closes 1.5 s later and the client kernels reset its FIN.
  forger inj aqo --iface $P-rc --port 8080 --count 3 --timeout 10
  server srv 8080 echo --conns 3 --io-timeout 1.5
  local i pids=()
  for i in 1 2 3; do
    bg $NSC "c$i" timeout -s KILL 10 $PY "$TK" client --addr $S4 --port 8080 --mode echo --delay 0.5 --io-timeout 3
    pids+=("$BG_PID"); sleep 0.05
  done
  for i in "${pids[@]}"; do wait_pid "$i" 10; done
  wait_pid "$FORGER_PID" 12
  sleep 1.5
}

# ------------------------------------------------------------------ 2. FIN then RST
sc_finrst_genuine() {
  server srv 8080 fin-rst
  client c1 8080 idle --timeout 3
}
sc_finrst_forged() {
  # the router forges RST+ACK to both ends right after the server's FIN, with TTL 63 (the
  # TTL a genuine endpoint packet has after the router) and a random IP ID
  forger inj fin --iface $P-rs --port 8080 --ttl 63 --ipid random --timeout 10
  server srv 8080 close-first
  client c1 8080 idle --timeout 3 --wait 1
  wait_pid "$FORGER_PID" 12
}

# ------------------------------------------------------------------ 3. idle
sc_idle_genuine() {
  # 8080: the server application aborts (SO_LINGER 0) after 8 s of silence;
  # 8081: the client application does the same after 8 s.
  server srv 8080 idle-abort --idle 8 --timeout 14; local p1=$BG_PID
  server srv2 8081 idle --timeout 14; local p2=$BG_PID
  bg $NSC c1 $PY "$TK" client --addr $S4 --port 8080 --mode idle --timeout 12; local p3=$BG_PID
  sleep 0.3
  bg $NSC c2 $PY "$A" client --addr $S4 --port 8081 --mode idle-abort --idle 8 --timeout 14; local p4=$BG_PID
  local p; for p in $p1 $p2 $p3 $p4; do wait_pid "$p" 20; done
}
sc_idle_forged() {
  # after 8 s of silence the router forges RST+ACK to both ends (exact sequence numbers),
  # IP ID = the spoofed endpoint's last IP ID + 1, TTL 64 (the hop count gives it away)
  forger inj idle --iface $P-rs --port 8080 --idle 8 --ipid next --timeout 16
  server srv 8080 idle --timeout 14
  client c1 8080 idle --timeout 13
  wait_pid "$FORGER_PID" 18
}

# ------------------------------------------------------------------ 4. disguised forgers
# The server answers 0.5 s after the request (its kernel ACKs it at once); the router
# forges on the client's request (on=request) or on the server's ACK of it (on=ack).
disguise() {
  forger inj "$@" --iface $P-rc --port 8080 --timeout 10
  aserver srv 8080 respond-later --delay 0.5 --io-timeout 2 --timeout 6
  aclient c1 request --port 8080 --io-timeout 2
  wait_pid "$FORGER_PID" 12
  sleep 1
}
sc_disguise_ttl() { disguise ack --ttl 63 --ipid random; }          # TTL mimicked, IP ID random
sc_disguise_ipid_next() { disguise ack --ttl 64 --ipid next --both; } # IP ID = spoofed's last + 1
sc_disguise_ipid_peer() { disguise request --ttl 64 --ipid peer; }    # IP ID copied from the request
sc_disguise_exact() { disguise ack --ttl 63 --ipid next --copy-opts --both; } # undecidable

# ------------------------------------------------------------------ 5. conntrack idle drop
sc_conntrack_idle() {
  rtr sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0 net.netfilter.nf_conntrack_tcp_timeout_established=6
  nft_router <<NFT
table inet r2lab {
  chain filt {
    type filter hook forward priority 0; policy accept;
    tcp dport 8080 ct state invalid reject with tcp reset
    tcp sport 8080 ct state invalid reject with tcp reset
  }
}
NFT
  server srv 8080 idle --timeout 13; local sp=$BG_PID
  aclient c1 sleep-send --port 8080 --idle 9 --io-timeout 2 --timeout 15
  wait_pid "$sp" 20
}

# ------------------------------------------------------------------ 6. half-open
sc_half_open() {
  # the server answers, aborts 0.5 s later; the router drops that RST+ACK; the client's
  # next data (1.5 s) draws the server kernel's stateless RST
  rtr iptables -A FORWARD -p tcp -s $S4 --sport 8080 --tcp-flags RST,ACK RST,ACK -j DROP
  aserver srv 8080 respond-abort --wait 0.5
  aclient c1 sleep-send --port 8080 --idle 1.5 --io-timeout 2
}

# ------------------------------------------------------------------ 7/8
sc_pipelined() {
  aserver srv 8080 pipelined
  aclient c1 pipelined --port 8080 --io-timeout 3
}
sc_accept_abort() {
  # two connections, each accept()ed and aborted at once (SO_LINGER {1,0}), no data
  aserver srv 8080 accept-abort --conns 2 --timeout 6; local sp=$BG_PID
  client c1 8080 hold --timeout 2
  sleep 0.5
  client c2 8080 hold --timeout 2
  wait_pid "$sp" 8
}

# ------------------------------------------------------------------ 9. connect scans and look-alikes
sc_connscan_2() {
  aserver srv 22 hold --ports 22,8080 --conns 3 --timeout 6 --io-timeout 5
  aclient c1 connscan --ports 22,8080 --gap 0.3
  sleep 0.5
}
sc_connscan_3() {
  aserver srv 22 hold --ports 22,8080,8443 --conns 3 --timeout 6 --io-timeout 5
  aclient c1 connscan --ports 22,8080,8443 --gap 0.3
  sleep 0.5
}
sc_monitor_2ports() {
  # a monitor: connect() to 8080 and 8443 and reset each, every 3 s, 4 rounds
  aserver srv 8080 hold --ports 8080,8443 --conns 5 --timeout 16 --io-timeout 15
  aclient c1 monitor --ports 8080,8443 --rounds 4 --interval 3 --gap 0.1 --timeout 20
  sleep 0.5
}
sc_web_80_443() {
  # a browser-like client: connects to 443 and drops it unused (RST, no data), then GETs on 80
  aserver srv443 443 hold --timeout 6 --io-timeout 5
  aserver srv80 80 idle --timeout 6 --io-timeout 5
  aclient c1 web --ports 80,443 --gap 0.2
  sleep 0.5
}

# ------------------------------------------------------------------ 10. stateless scanner
sc_zmap_scan() {
  server srv 8080 echo --timeout 8 --io-timeout 3; local sp=$BG_PID
  aserver srv22 22 hold --timeout 8 --io-timeout 3
  fg $NSC zscan 10 $PY "$ADV/zscan.py" --dst $S4 --ports 8080,8081,22 --sport 61000
  sleep 2
  client c1 8080 echo --bind-port 61000
  wait_pid "$sp" 8
}

# ------------------------------------------------------------------ 11. one-sided captures
capf_one_sided_ssh() { CAPF_client="src host $C4"; CAPF_server="src host $S4"; }
sc_one_sided_ssh() {
  # SSH-like sessions to three ports in 2 s, kilobytes each way, each ending with a RST:
  # the client aborts on 22 and 2222, the server aborts on 2200. The client capture keeps
  # only the client's packets, the server capture only the server's; the router sees both.
  aserver ssh22 22 ssh --timeout 10 --io-timeout 8
  aserver ssh2222 2222 ssh --timeout 10 --io-timeout 8
  aserver ssh2200 2200 ssh --wait 1.0 --timeout 10 --io-timeout 8
  aclient c1 ssh --port 22 --chunks 8 --pace 0.02
  sleep 0.3
  aclient c2 ssh --port 2222 --chunks 6 --pace 0.02
  sleep 0.3
  aclient c3 ssh --port 2200 --chunks 4 --wait-end --io-timeout 4
  sleep 0.5
}

# ------------------------------------------------------------------ 13. Zeek-style RST before the SYN/ACK
sc_zeek_syn() {
  rtr iptables -A FORWARD -p tcp -d $S4 --dport 8080 --tcp-flags SYN,ACK SYN -j DROP
  forger inj zeek --iface $P-rc --port 8080 --ipid peer --ttl 64 --timeout 10
  server srv 8080 echo
  client c1 8080 echo
  wait_pid "$FORGER_PID" 12
}

# ------------------------------------------------------------------ 14. Windows-like endpoint
sc_winstack() {
  local mac
  mac=$(nsx $NSS cat /sys/class/net/$P-s0/address)
  rtr ip neigh replace $W4 lladdr "$mac" dev $P-rs nud permanent
  local ready="$TMP/$SC.win.ready"; rm -f "$ready"
  bg $NSS win timeout -s KILL 20 $PY "$ADV/winstack.py" --iface $P-s0 --addr $W4 --open 80 --abort 0.3 \
    --timeout 12 --ready "$ready"
  local wp=$BG_PID
  wait_file "$ready" 15
  fg $NSC c1 10 $PY "$TK" client --addr $W4 --port 81 --mode refused
  sleep 0.3
  fg $NSC c2 10 $PY "$A" client --addr $W4 --port 80 --mode request --io-timeout 2
  sleep 0.5
  fg $NSC c3 10 $PY "$TK" client --addr $W4 --port 445 --mode refused
  sleep 0.3
  kill -INT $wp 2>/dev/null || true
  wait_pid $wp 5
}

# ------------------------------------------------------------------ 15. wrong sequence number
sc_wrong_seq() {
  forger inj wrongseq --iface $P-rs --port 8080 --after 5 --after2 12 --timeout 10
  aserver srv 8080 stream-slow --bytes 20000 --pace 0.05 --timeout 8
  aclient c1 request --port 8080 --io-timeout 4
  wait_pid "$FORGER_PID" 12
}

# the same with ~9-minute real gaps (conntrack timeout 500 s, idle timers 520 / 550 s)
sc_long_idle_9m() { LONG_IDLE=520 sc_long_idle; }

# 1b. the overflow twin that copies everything: bare RST to the client on the third-handshake
# ACK with TTL 63, IP ID 0, DF, window 0, no options (exactly the server kernel's overflow
# reset), and RST+ACK to the server with the client's address (TTL 63, IP ID = the client's
# last + 1, DF, window and timestamp option continued) so the server never sends again.
sc_aqo_forged_exact() {
  forger inj aqo --iface $P-rc --port 8080 --count 2 --ttl 63 --ipid zero --ipid-server next \
    --copy-opts --both --timeout 10
  server srv 8080 echo --conns 2 --io-timeout 1.5
  local i pids=()
  for i in 1 2; do
    bg $NSC "c$i" timeout -s KILL 10 $PY "$TK" client --addr $S4 --port 8080 --mode echo --delay 0.5 --io-timeout 3
    pids+=("$BG_PID"); sleep 0.05
  done
  for i in "${pids[@]}"; do wait_pid "$i" 10; done
  wait_pid "$FORGER_PID" 12
  sleep 1.5
}

# 3b. the idle reset by a device that copies everything: RST+ACK to both ends after 8 s idle
# with TTL 63, IP ID = the spoofed endpoint's last + 1, DF, its window and timestamp option
sc_idle_forged_exact() {
  forger inj idle --iface $P-rs --port 8080 --idle 8 --ttl 63 --ipid next --copy-opts --timeout 16
  server srv 8080 idle --timeout 14
  client c1 8080 idle --timeout 13
  wait_pid "$FORGER_PID" 18
}
