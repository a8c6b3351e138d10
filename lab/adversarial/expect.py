#!/usr/bin/python3
"""Ground truth for the adversarial lab (lab2), by construction, checked with tshark.

    lab/adversarial/expect.py --check OUT/S.client.pcap ...   print the labels of captures
    lab/adversarial/expect.py OUTDIR DESTDIR                  label DESTDIR/*.pcap (copies of
                                                             OUTDIR's), write DESTDIR/expected.json
                                                             and DESTDIR/files.md

Who sent each RST is known from how the scenario was built, and checked on the packet:
  * every segment the router forged with scapy is logged by forge.py (addresses, ports,
    sequence number, IP ID); an RST that matches a logged one is the middlebox's, whatever
    TTL or IP ID it carries (the disguised ones copy the endpoints')
  * nft `reject with tcp reset` RSTs (conntrack scenarios) leave the router with TTL 64:
    at the far endpoint's capture point a genuine one has 63
  * everything else must be a genuine kernel RST, with the TTL of its sender at that
    capture point (Linux 64, minus 1 past the router; the Windows-like raw host 128 / 127)
The cause comes from the scenario's rule, which accepts only the RSTs the scenario can
make (anything else raises), phase and effect from the packets (see README).
"""
import json
import os
import re
import subprocess
import sys

C4, S4, W4 = "10.99.1.2", "10.99.2.2", "10.99.2.3"
FIELDS = ["frame.number", "frame.time_epoch", "ip.src", "ip.dst", "ip.ttl", "ip.id", "tcp.srcport",
          "tcp.dstport", "tcp.flags.str", "tcp.seq", "tcp.ack", "tcp.len", "tcp.stream", "tcp.flags"]


class Unexpected(Exception):
    pass


class Pkt:
    def __init__(self, row):
        (fr, t, self.src, self.dst, ttl, ipid, sp, dp, fl, seq, ack, ln, st, flags) = row
        self.frame, self.t = int(fr), float(t)
        self.ttl, self.id = int(ttl), int(ipid, 16)
        self.sport, self.dport = int(sp), int(dp)
        self.seq, self.ack, self.len = int(seq), int(ack or 0), int(ln or 0)
        self.stream = int(st)
        f = int(flags, 16)
        self.fin, self.syn, self.rst, self.ackf = bool(f & 1), bool(f & 2), bool(f & 4), bool(f & 16)

    @property
    def key(self):
        return (self.src, self.sport, self.dst, self.dport)

    def __repr__(self):
        fl = ("S" if self.syn else "") + ("F" if self.fin else "") + ("R" if self.rst else "") + ("A" if self.ackf else "")
        return (f"#{self.frame} {self.src}:{self.sport}>{self.dst}:{self.dport} {fl} seq={self.seq} "
                f"ack={self.ack} len={self.len} ttl={self.ttl} id={self.id:#06x}")


def read(path):
    cmd = ["tshark", "-r", path, "-Y", "tcp", "-T", "fields", "-E", "separator=\t",
           "-o", "tcp.relative_sequence_numbers:FALSE"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [Pkt(line.split("\t")) for line in out.splitlines() if line.strip()]


def split_name(path):
    m = re.match(r"(.+)\.(client|server|router)\.pcap$", os.path.basename(path))
    if not m:
        raise Unexpected(f"{path}: not <scenario>.<point>.pcap")
    return m.group(1), m.group(2)


# long-idle-30m / long-idle-2h are long-idle with timestamps shifted by editcap
BASE = {"long-idle-30m": "long-idle", "long-idle-2h": "long-idle"}


def forged_log(logdir, scenario):
    out = []
    p = os.path.join(logdir, f"{BASE.get(scenario, scenario)}.inj.log")
    if os.path.exists(p):
        for line in open(p):
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if e.get("ev") == "forged":
                out.append(e)
    return out


def side(addr):
    return "client" if addr == C4 else "server" if addr in (S4, W4) else "other"


def genuine_ttl(point, p):
    base = 128 if p.src == W4 else 64
    s = side(p.src)
    here = {"client": "client", "server": "server", "router": "server"}[point]
    return base if s == here else base - 1


class Ctx:
    def __init__(self, path, logdir):
        self.path = path
        self.scenario, self.point = split_name(path)
        self.pkts = read(path)
        self.forged = forged_log(logdir, self.scenario)

    def is_forged(self, r):
        return any(e["src"] == r.src and e["dst"] == r.dst and e["sport"] == r.sport and e["dport"] == r.dport
                   and e["seq"] == r.seq and e["ipid"] == r.id for e in self.forged)

    def stream(self, r):
        return [p for p in self.pkts if p.stream == r.stream]

    def before(self, r):
        return [p for p in self.stream(r) if p.frame < r.frame]

    def after(self, r):
        return [p for p in self.stream(r) if p.frame > r.frame]


def need(c, r, why):
    if not c:
        raise Unexpected(f"{r}: {why}")


def genuine(ctx, r, who):
    need(not ctx.is_forged(r), r, "matches a forged segment")
    need(side(r.src) == who, r, f"expected {who}'s address")
    need(r.ttl == genuine_ttl(ctx.point, r), r, f"TTL {r.ttl} is not a genuine {who} TTL at {ctx.point}")
    r.how = f"sender: {who}'s own stack (its address, its genuine TTL {r.ttl} here, no forgery logged)"
    return who


def forged(ctx, r):
    need(ctx.is_forged(r), r, "expected a segment forged by forge.py")
    r.how = "sender: matches a segment forge.py logged as forged (addresses, ports, seq, IP ID)"
    return "middlebox"


def rejected(ctx, r):
    """An nft reject (tcp reset) from the router, carrying an endpoint's address."""
    need(not ctx.is_forged(r), r, "unexpected scapy forgery")
    need(r.ttl == 64 and r.id == 0 and not r.ackf, r, "expected the router's reject RST (TTL 64, id 0, bare)")
    need(genuine_ttl(ctx.point, r) == 63, r, "a reject RST here would look genuine by TTL")
    r.how = ("sender: the router's nft reject (TTL 64 and IP ID 0 here, where a genuine "
             f"{side(r.src)} segment has TTL 63)")
    return "middlebox"


def answers_syn(ctx, r):
    b = ctx.before(r)
    return bool(b) and b[-1].syn and not b[-1].ackf and b[-1].src == r.dst


def after_synack_from(ctx, r, who_addr):
    """True if the RST answers the peer's SYN/ACK (last segment of the stream before it)."""
    b = ctx.before(r)
    return bool(b) and b[-1].syn and b[-1].ackf and b[-1].src == r.dst


def data_before(ctx, r):
    return any(p.len > 0 for p in ctx.before(r))


def fin_before(ctx, r):
    return any(p.fin and not p.syn for p in ctx.before(r))


# ----------------------------------------------------------------------------- rules
# each returns (sender, cause, note[, extra dict]) for one RST r


def rule_aqo_genuine(ctx, r):
    s = genuine(ctx, r, "server")
    need(not r.ackf and not data_before_from(ctx, r, S4), r, "bare RST, no server data")
    client_acks = [p.ack for p in ctx.before(r) if p.src == C4 and p.ackf]
    need(client_acks and r.seq == client_acks[-1], r, "seq = the client's ACK")
    return s, "accept-queue-overflow", ("server kernel, backlog 2 full, tcp_abort_on_overflow=1: bare RST at seq = "
                                        "the client's ACK in answer to its first data")


def data_before_from(ctx, r, addr):
    return any(p.len > 0 and p.src == addr for p in ctx.before(r))


def rule_aqo_forged(ctx, r):
    if ctx.is_forged(r) and ctx.scenario == "aqo-forged-exact":
        need(not data_before(ctx, r), r, "right after the handshake")
        if r.src == S4:
            need(not r.ackf and r.id == 0 and r.ttl == genuine_ttl(ctx.point, r), r, "exact overflow shape")
            return forged(ctx, r), "injected", ("forge.py aqo: bare RST at seq = the client's third-handshake ACK "
                                                "with the server's address, TTL 63, IP ID 0, DF, window 0, no "
                                                "options: exactly the server kernel's overflow reset"), \
                {"undecidable": True}
        need(r.ackf and r.ttl == genuine_ttl(ctx.point, r), r, "client-shaped RST+ACK")
        return forged(ctx, r), "injected", ("forge.py aqo --both: RST+ACK to the server with the client's address, "
                                            "TTL 63, IP ID = the client's last + 1, DF, its window and timestamp "
                                            "option: the server stays silent, so nothing betrays the forgery"), \
            {"undecidable": True}
    if ctx.is_forged(r):
        need(not r.ackf, r, "the forger sends bare RSTs")
        return forged(ctx, r), "injected", ("forge.py aqo: bare RST at seq = the client's third-handshake ACK, "
                                            "server's address, TTL 64 (63 genuine) and a random IP ID")
    s = genuine(ctx, r, "client")
    need(fin_before(ctx, r) and not r.ackf, r, "client kernel's RST for the unaware server's FIN")
    return s, "no-connection", "client kernel: the connection was reset by the forged RST; it answers the server's FIN"


def rule_finrst_genuine(ctx, r):
    s = genuine(ctx, r, "server")
    need(r.ackf and fin_before(ctx, r), r, "server RST+ACK after its FIN")
    return s, "fin-then-reset", "server: shutdown(SHUT_WR) (FIN) then SO_LINGER {1,0} close 20 ms later"


def rule_finrst_forged(ctx, r):
    need(fin_before(ctx, r), r, "after the server's FIN")
    return forged(ctx, r), "fin-then-reset", ("forge.py fin: RST+ACK to both ends right after the server's FIN, "
                                              "TTL 63 (mimics a routed endpoint), random IP ID")


def rule_idle_genuine(ctx, r):
    if r.src == S4:
        s = genuine(ctx, r, "server")
        return s, "idle-timeout", "server application: 8 s without traffic, then SO_LINGER {1,0} close"
    s = genuine(ctx, r, "client")
    return s, "idle-timeout", "client application: 8 s without traffic, then SO_LINGER {1,0} close"


def rule_idle_forged(ctx, r):
    if ctx.scenario == "idle-forged-exact":
        need(r.ttl == genuine_ttl(ctx.point, r), r, "TTL mimicked")
        return forged(ctx, r), "idle-timeout", ("forge.py idle: after 8 s of silence, RST+ACK with exact sequence "
                                                "numbers to both ends with TTL 63, IP ID = the spoofed endpoint's "
                                                "last + 1, DF, its window and timestamp option: no capture point "
                                                "can tell it from the endpoint's own idle abort"), {"undecidable": True}
    return forged(ctx, r), "idle-timeout", ("forge.py idle: after 8 s of silence, RST+ACK with exact sequence "
                                            "numbers to both ends, IP ID = spoofed endpoint's last + 1, TTL 64")


DISGUISE = {
    "disguise-ttl": "TTL 63 (what a genuine server segment has at the client), random IP ID",
    "disguise-ipid-next": "TTL 64, IP ID = the spoofed endpoint's last IP ID + 1 (to both ends)",
    "disguise-ipid-peer": "TTL 64, IP ID copied from the client's request it answers",
    "disguise-exact": ("TTL 63, IP ID = the spoofed endpoint's last + 1, DF, its window and a timestamp "
                       "option continuing its TSval, to both ends: no capture point can tell it from genuine"),
}


def rule_disguise(ctx, r):
    if ctx.is_forged(r):
        need(data_before_from(ctx, r, C4), r, "after the client's request")
        extra = {"undecidable": True} if ctx.scenario == "disguise-exact" else {}
        return forged(ctx, r), "injected", "forge.py after the HTTP request: " + DISGUISE[ctx.scenario], extra
    s = genuine(ctx, r, "client")
    need(not r.ackf, r, "client kernel's bare RST")
    return s, "no-connection", "client kernel: reset by the forged RST, it answers the unaware server's response"


def rule_conntrack_idle(ctx, r):
    s = rejected(ctx, r)
    if r.src == S4:
        return s, "idle-timeout", ("router: conntrack entry expired (timeout_established 6 s, tcp_loose 0), the "
                                   "client's next data is invalid and nft rejects it with a RST carrying the "
                                   "server's address")
    need(fin_before(ctx, r), r, "answers the server's FIN")
    return s, "idle-timeout", "router: the server's FIN after the conntrack expiry, rejected with the client's address"


def rule_half_open(ctx, r):
    s = genuine(ctx, r, "server")
    if r.ackf:
        return s, "abortive-close", ("server application aborts (SO_LINGER {1,0}) 0.5 s after answering; the router "
                                     "drops this RST+ACK, so the client never receives it"), {"effect": "ignored"}
    return s, "no-connection", ("server kernel: stateless RST (seq = the client's ACK) for the client's data on "
                                "the connection it aborted (half-open)")


def rule_pipelined(ctx, r):
    s = genuine(ctx, r, "server")
    need(r.ackf, r, "RST+ACK")
    return s, "data-after-close", ("server reads one of two pipelined requests, answers, close()s with the second "
                                   "unread: Linux sends RST instead of FIN")


def rule_accept_abort(ctx, r):
    s = genuine(ctx, r, "server")
    need(not data_before(ctx, r), r, "no data")
    return s, "abortive-close", "server accept()s and closes at once with SO_LINGER {1,0}, no data"


def rule_connscan(ctx, r):
    s = genuine(ctx, r, "client")
    need(not data_before(ctx, r), r, "no data")
    return s, "connect-scan", f"client connect()s to {ctx.scenario[-1]} distinct ports 0.3 s apart, SO_LINGER 0 at once"


def rule_monitor(ctx, r):
    s = genuine(ctx, r, "client")
    need(not data_before(ctx, r), r, "no data")
    return s, "client-abort", "monitor: connect() to the same 2 ports every 3 s (4 rounds), SO_LINGER 0 at once"


def rule_web(ctx, r):
    s = genuine(ctx, r, "client")
    need(not data_before(ctx, r) and r.dport == 443, r, "the unused 443 connection")
    return s, "client-abort", "client connects to 443 and resets it unused (no data), then GETs on 80"


def rule_zmap(ctx, r):
    if r.src == C4:
        s = genuine(ctx, r, "client")
        need(not r.ackf and after_synack_from(ctx, r, S4), r, "bare RST answering the SYN/ACK")
        return s, "syn-scan", ("stateless scanner (raw SYN: no options, IP ID 54321, window 65535, TTL 255); the "
                               "scanner's kernel answers the SYN/ACK with a bare RST (phase handshake: the host "
                               "sent the SYN, as for nmap -sS in the first lab, although its kernel has no socket)")
    s = genuine(ctx, r, "server")
    need(r.ackf and answers_syn(ctx, r), r, "RST+ACK to the scanner's SYN")
    return s, "port-closed", "server kernel: nothing listens on 8081"


def rule_one_sided(ctx, r):
    if r.src == C4:
        s = genuine(ctx, r, "client")
        return s, "abortive-close", "client ends an SSH-like session (kilobytes echoed) with SO_LINGER {1,0}"
    s = genuine(ctx, r, "server")
    return s, "abortive-close", "server aborts an SSH-like session (SO_LINGER {1,0}) 1 s after the first chunk"


def rule_zeek(ctx, r):
    need(answers_syn(ctx, r) and r.ackf and r.seq == 0, r, "RST+ACK, seq 0, answering the SYN")
    syn = ctx.before(r)[-1]
    need(r.ack == syn.seq and r.id == syn.id, r, "ack = SYN seq (not +1), IP ID copied from the SYN")
    return forged(ctx, r), "injected", ("forge.py zeek: RST+ACK before the SYN/ACK, ack = the SYN's seq (not +1), "
                                        "IP ID copied from the SYN; the client ignores it and the handshake goes on")


def rule_winstack(ctx, r):
    s = genuine(ctx, r, "server")
    need(r.src == W4, r, "the Windows-like host")
    if answers_syn(ctx, r):
        return s, "port-closed", "Windows-like raw host (TTL 128, global IP ID): RST+ACK to a SYN on a closed port"
    return s, "abortive-close", "Windows-like raw host: answers, then aborts: RST+ACK at its next sequence number"


def rule_wrong_seq(ctx, r):
    return forged(ctx, r), "injected", ("forge.py wrongseq: RST with the server's address during a stream, seq "
                                        "out of window (10^7 past) or in window but not exact (2000 past): "
                                        "ignored / challenge ACK, the stream goes on")


def rule_long_idle(ctx, r):
    t = 520 if BASE.get(ctx.scenario, ctx.scenario) == "long-idle-9m" else 320
    port = r.sport if r.src == S4 else r.dport
    if port == 8080:
        s = rejected(ctx, r)
        return s, "idle-timeout", (f"router: conntrack entry expired (timeout_established {t - 20} s, tcp_loose 0) "
                                   "during the idle gap; nft rejects the next segment with a RST carrying the "
                                   + ("server's" if r.src == S4 else "client's") + " address")
    if port == 8081:
        s = genuine(ctx, r, "server")
        if r.ackf:
            return s, "abortive-close", ("server aborts 2 s after answering; the router drops this RST+ACK "
                                         "(never reaches the client)"), {"effect": "ignored"}
        return s, "no-connection", ("server kernel: stateless RST for the client's data after the idle gap on the "
                                    "connection it aborted (half-open)")
    if port == 8082:
        s = genuine(ctx, r, "server")
        return s, "idle-timeout", f"server application: idle timer ({t} s without traffic), SO_LINGER {{1,0}} close"
    if port == 8083:
        s = genuine(ctx, r, "client")
        return s, "idle-timeout", (f"client application: idle timer ({t + 30} s without traffic), "
                                   "SO_LINGER {1,0} close")
    raise Unexpected(f"{r}: unknown port")


DESC = {
    "aqo-genuine": "backlog 2, never accept(), tcp_abort_on_overflow=1; 2 clients fill the queue, 3 more complete "
                   "their handshakes together (the router held their non-SYN segments 0.5 s): 2 bare RSTs from "
                   "the server kernel (TTL 64 at the server, IP ID 0)",
    "aqo-forged": "3 clients to a healthy server; the router forges on each third-handshake ACK a bare RST "
                  "shaped like an overflow reset (TTL 64 at the client where the server's are 63, random "
                  "nonzero IP ID where the kernel's is 0); the unaware server's FIN 1.5 s later draws the client "
                  "kernels' RSTs",
    "aqo-forged-exact": "2 clients to a healthy server; on each third-handshake ACK the router forges the exact "
                        "overflow reset to the client (bare RST, seq = the ACK's ack, TTL 63, IP ID 0, DF, "
                        "window 0) and a client-shaped RST+ACK to the server (TTL 63, IP ID = client's last + 1, "
                        "DF, window, timestamp option), so neither side ever sends again: undecidable",
    "finrst-genuine": "server: response, shutdown(SHUT_WR) (FIN), SO_LINGER {1,0} close 20 ms later",
    "finrst-forged": "server closes (FIN); the router forges RST+ACK to both ends 2-5 ms later with TTL 63 "
                     "(looks routed) but a random IP ID (the endpoint's own counter would give last + 1)",
    "idle-genuine": "8080: the server application aborts after 8 s idle; 8081: the client application does",
    "idle-forged": "after 8 s of silence the router forges RST+ACK to both ends with exact sequence numbers "
                   "and IP ID = the spoofed endpoint's last + 1; TTL 64 gives it away",
    "idle-forged-exact": "after 8 s of silence the router forges RST+ACK to both ends, exact sequence numbers, "
                         "TTL 63, IP ID = the spoofed endpoint's last + 1, DF, its window and a timestamp option "
                         "continuing its TSval: undecidable",
    "disguise-ttl": "the router forges RST+ACK to the client on the server's ACK of the request: TTL 63 "
                    "(mimicked), random IP ID, no timestamp option; the server's response 0.5 s later draws the "
                    "client kernel's RST",
    "disguise-ipid-next": "the router forges RST+ACK to both ends on the server's ACK of the request: IP ID = "
                          "the spoofed endpoint's last + 1, TTL 64",
    "disguise-ipid-peer": "the router forges RST+ACK to the client on its request: IP ID copied from the "
                          "request (the receiver's own), TTL 64; the server's response draws the client "
                          "kernel's RST",
    "disguise-exact": "the router forges RST+ACK to both ends on the server's ACK of the request with TTL "
                      "63, IP ID = spoofed endpoint's last + 1, DF, its window and a timestamp option "
                      "continuing its TSval: undecidable from any one capture point",
    "conntrack-idle": "router: conntrack tcp_loose 0, timeout_established 6 s, nft `ct state invalid reject "
                      "with tcp reset`; the client idles 9 s then sends: RST with the server's address (TTL "
                      "64 at the client, IP ID 0); the server's FIN at 13 s: RST with the client's address",
    "half-open": "the server answers, aborts 0.5 s later (SO_LINGER 0); the router drops that RST+ACK; the "
                 "client's next data (1.5 s) draws the server kernel's stateless bare RST",
    "pipelined": "two pipelined requests in one segment; the server reads the first, answers, close()s "
                 "0.3 s later with the second unread: RST+ACK instead of FIN",
    "accept-abort": "two connections, each accept()ed and closed at once with SO_LINGER {1,0}, no data",
    "connscan-2": "client connect()s to ports 22 and 8080 0.3 s apart, resets each at once (SO_LINGER 0), no data",
    "connscan-3": "client connect()s to ports 22, 8080 and 8443 0.3 s apart, resets each at once, no data",
    "monitor-2ports": "a monitor: connect() to 8080 and 8443 and reset, every 3 s, 4 rounds (same 2 ports)",
    "web-80-443": "a client connects to 443 and resets it unused, then GETs / on 80 (answered, FIN close)",
    "zmap-scan": "stateless scanner: raw SYNs (no options, IP ID 54321, window 65535, TTL 255, source port "
                 "61000) to 8080 (open), 8081 (closed), 22 (open); the client kernel resets each SYN/ACK; 2 s "
                 "later a real connection from the same port 61000 GETs / on 8080",
    "one-sided-ssh": "SSH-like sessions (banner exchange, 5-11 KB echoed each way) to 22, 2222 (client "
                     "aborts) and 2200 (server aborts) within 2 s; tcpdump filters: client capture `src host "
                     "10.99.1.2`, server capture `src host 10.99.2.2`, router capture both directions",
    "zeek-syn": "the router drops the client's SYN, forges RST+ACK (seq 0, ack = SYN seq, IP ID copied from "
                "the SYN) to the client, then re-sends the SYN to the server 20 ms later; the client's stack "
                "ignores the RST (it retransmits its SYN at once) and the connection completes normally",
    "winstack": "a Windows-like host made of scapy packets (10.99.2.3: TTL 128, DF, one host-wide IP ID "
                "counter, no timestamps): SYN to 81 and 445 (closed) -> RST+ACK; GET / on 80 answered, then "
                "an abortive RST+ACK 0.3 s later",
    "wrong-seq": "a server streams 20 KB slowly; the router forges RSTs with the server's address: 10^7 "
                 "bytes out of window (silently ignored) and 2000 bytes in window (challenge ACK); the "
                 "stream completes",
    "long-idle": "4 connections idle ~5.5 minutes for real: 8080 conntrack expiry (300 s) + nft reject; "
                 "8081 half-open (server abort RST dropped by the router) then the client's data; 8082 "
                 "server idle timer 320 s; 8083 client idle timer 350 s",
    "long-idle-9m": "long-idle with ~9-minute real gaps: conntrack timeout 500 s, server idle timer 520 s, "
                    "client data after 530 s (8080) and 540 s (8081), client idle timer 550 s",
    "long-idle-30m": "long-idle with every packet after the first 60 s shifted +1500 s by editcap "
                     "(gaps ~30-31 minutes; TCP timestamp options unchanged)",
    "long-idle-2h": "long-idle with every packet after the first 60 s shifted +6600 s by editcap "
                    "(gaps ~1 h 55-56 min; TCP timestamp options unchanged)",
}

RULES = {
    "aqo-genuine": rule_aqo_genuine, "aqo-forged": rule_aqo_forged, "aqo-forged-exact": rule_aqo_forged,
    "finrst-genuine": rule_finrst_genuine, "finrst-forged": rule_finrst_forged,
    "idle-genuine": rule_idle_genuine, "idle-forged": rule_idle_forged, "idle-forged-exact": rule_idle_forged,
    "disguise-ttl": rule_disguise, "disguise-ipid-next": rule_disguise, "disguise-ipid-peer": rule_disguise,
    "disguise-exact": rule_disguise, "conntrack-idle": rule_conntrack_idle, "half-open": rule_half_open,
    "pipelined": rule_pipelined, "accept-abort": rule_accept_abort,
    "connscan-2": rule_connscan, "connscan-3": rule_connscan, "monitor-2ports": rule_monitor,
    "web-80-443": rule_web, "zmap-scan": rule_zmap, "one-sided-ssh": rule_one_sided,
    "zeek-syn": rule_zeek, "winstack": rule_winstack, "wrong-seq": rule_wrong_seq,
    "long-idle": rule_long_idle, "long-idle-9m": rule_long_idle, "long-idle-30m": rule_long_idle, "long-idle-2h": rule_long_idle,
}

# RSTs each scenario must produce at each capture point (cause -> count); fewer = failed run
REQUIRED = {
    "aqo-genuine": {"*": {"accept-queue-overflow": 1}},
    "aqo-forged": {"client": {"injected": 3, "no-connection": 3}},
    "aqo-forged-exact": {"*": {"injected": 2}},
    "finrst-genuine": {"*": {"fin-then-reset": 1}},
    "finrst-forged": {"*": {"fin-then-reset": 1}},
    "idle-genuine": {"*": {"idle-timeout": 2}},
    "idle-forged": {"*": {"idle-timeout": 1}},
    "idle-forged-exact": {"*": {"idle-timeout": 1}},
    "disguise-ttl": {"client": {"injected": 1, "no-connection": 1}},
    "disguise-ipid-next": {"*": {"injected": 1}},
    "disguise-ipid-peer": {"client": {"injected": 1, "no-connection": 1}},
    "disguise-exact": {"*": {"injected": 1}},
    "conntrack-idle": {"*": {"idle-timeout": 1}},
    "half-open": {"*": {"no-connection": 1}, "server": {"abortive-close": 1}},
    "pipelined": {"*": {"data-after-close": 1}},
    "accept-abort": {"*": {"abortive-close": 2}},
    "connscan-2": {"*": {"connect-scan": 2}},
    "connscan-3": {"*": {"connect-scan": 3}},
    "monitor-2ports": {"*": {"client-abort": 8}},
    "web-80-443": {"*": {"client-abort": 1}},
    "zmap-scan": {"*": {"syn-scan": 2, "port-closed": 1}},
    "one-sided-ssh": {"client": {"abortive-close": 2}, "server": {"abortive-close": 1},
                      "router": {"abortive-close": 3}},
    "zeek-syn": {"client": {"injected": 1}},
    "winstack": {"*": {"port-closed": 2, "abortive-close": 1}},
    "wrong-seq": {"client": {"injected": 2}},
    "long-idle": {"client": {"idle-timeout": 3, "no-connection": 1},
                  "server": {"idle-timeout": 3, "no-connection": 1, "abortive-close": 1}},
}
REQUIRED["long-idle-30m"] = REQUIRED["long-idle-2h"] = REQUIRED["long-idle-9m"] = REQUIRED["long-idle"]


def phase(ctx, r, cause):
    """none: no-connection RSTs (the sender has no state), or nothing of the connection before;
    teardown: a FIN (not on a SYN) before it; data: payload before it; handshake otherwise."""
    b = ctx.before(r)
    if cause == "no-connection" or not b:
        return "none"
    if fin_before(ctx, r):
        return "teardown"
    if data_before(ctx, r):
        return "data"
    return "handshake"


def effect(ctx, r):
    """unknown: nothing of the connection after it in this capture; ignored: its receiver sends
    anything but a RST on the connection afterwards; accepted: otherwise."""
    a = [p for p in ctx.after(r) if p.key[:2] != (r.src, r.sport) or True]
    a = ctx.after(r)
    if not a:
        return "unknown"
    if any(p.src == r.dst and p.sport == r.dport and not p.rst for p in a):
        return "ignored"
    return "accepted"


def label(path, logdir):
    ctx = Ctx(path, logdir)
    rule = RULES.get(ctx.scenario)
    if rule is None:
        raise Unexpected(f"{path}: no rule for scenario {ctx.scenario}")
    out = []
    for r in (p for p in ctx.pkts if p.rst):
        res = rule(ctx, r)
        sender, cause, note = res[:3]
        extra = res[3] if len(res) > 3 else {}
        e = {"frame": r.frame, "sender": sender, "cause": cause, "phase": phase(ctx, r, cause),
             "effect": extra.get("effect", effect(ctx, r))}
        if extra.get("undecidable"):
            e["undecidable"] = True
        e["note"] = note + "; " + r.how
        e["_r"] = r
        out.append(e)
    req = dict(REQUIRED.get(ctx.scenario, {}).get("*", {}))
    req.update(REQUIRED.get(ctx.scenario, {}).get(ctx.point, {}))
    for cause, n in req.items():
        got = sum(1 for e in out if e["cause"] == cause)
        if got < n:
            raise Unexpected(f"{path}: {got} RST(s) with cause {cause}, the scenario makes at least {n}")
    return ctx, out


def main():
    if sys.argv[1:2] == ["--check"]:
        bad = 0
        for p in sys.argv[2:]:
            logdir = os.path.join(os.path.dirname(p), "log")
            try:
                _, out = label(p, logdir)
            except Unexpected as e:
                print(f"FAIL {e}")
                bad += 1
                continue
            print(p)
            for e in out:
                print(f"  {e['frame']:>4} {e['sender']:<9} {e['cause']:<24} {e['phase']:<9} {e['effect']:<8} "
                      f"{'U ' if e.get('undecidable') else ''}{e['_r']}")
        sys.exit(1 if bad else 0)
    logdir, dest = os.path.join(sys.argv[1], "log"), sys.argv[2]
    files = sorted(f for f in os.listdir(dest) if f.endswith(".pcap"))
    expected, lines = {}, []
    for f in files:
        ctx, out = label(os.path.join(dest, f), logdir)
        expected[f] = [{k: v for k, v in e.items() if k != "_r"} for e in out]
        rst = "; ".join(f"#{e['frame']} {e['sender']} {e['cause']} {e['phase']}/{e['effect']}"
                        f"{' undecidable' if e.get('undecidable') else ''}"
                        f" ({'RST+ACK' if e['_r'].ackf else 'RST'} {e['_r'].src}, ttl {e['_r'].ttl}, "
                        f"id {e['_r'].id:#06x})" for e in out) or "none"
        lines.append(f"| `{f}` | {DESC[ctx.scenario]} | {len(out)} | {rst} |")
    with open(os.path.join(dest, "expected.json"), "w") as fh:
        fh.write("{\n" + ",\n".join(
            f' "{f}": [\n  ' + ",\n  ".join(json.dumps(e) for e in v) + "]" if v else f' "{f}": []'
            for f, v in expected.items()) + "\n}\n")
    with open(os.path.join(dest, "files.md"), "w") as fh:
        fh.write("| file | what happens | RSTs | RST frames: sender cause phase/effect (flags, source, TTL, IP ID "
                 "at this point) |\n| --- | --- | --- | --- |\n" + "\n".join(lines) + "\n")
    print(f"labelled {len(files)} captures, {sum(len(v) for v in expected.values())} RSTs")


if __name__ == "__main__":
    main()
