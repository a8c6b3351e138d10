#!/usr/bin/python3
"""Ground truth for the lab captures: which RST frames each capture holds, who sent them, why.

    lab/expect.py DIR                 -> writes DIR/expected.json and DIR/README.md
    lab/expect.py --check FILE.pcap   -> prints the labelled RSTs of one capture

The labels are computed from the capture itself (tshark) with rules written for each
scenario, because frame numbers change from run to run. Every rule is deliberately
strict: an RST that a scenario's rule does not expect raises an error, so a surprising
capture is never silently labelled. Who sent an RST is decided by its source address
and its IP TTL / hop limit at the capture point: the client and the server are one
routed hop apart (64 at the sender's side, 63 after the router), while everything the
router forges (iptables REJECT, scapy injectors) leaves the router with 64.
"""
import json
import os
import subprocess
import sys

CLIENT = {"10.99.1.2", "fd99:1::2", "10.99.42.1", "10.99.43.1"}
SERVER = {"10.99.2.2", "fd99:2::2", "10.99.42.2", "10.99.43.2"}
OVERLAY = {"10.99.42.1", "10.99.43.1", "10.99.42.2", "10.99.43.2"}
# expected TTL of a genuine packet per (capture point, sender)
TTL = {("client", "client"): 64, ("client", "server"): 63,
       ("server", "server"): 64, ("server", "client"): 63,
       ("router", "client"): 63, ("router", "server"): 64}

CAUSES = {"port-closed", "accept-queue-overflow", "time-wait", "malformed-syn", "firewall-reject",
          "syn-scan", "connect-scan", "client-abort", "retransmission-exhausted", "idle-timeout",
          "abortive-close", "data-after-close", "fin-then-reset", "injected", "no-connection", "unknown"}


class Rst:
    def __init__(self, f, point):
        (self.frame, src4, src6, ttl, hlim, self.sport, self.dport, flags, seq, ack,
         stream, dst4, dst6) = f
        self.frame = int(self.frame)
        self.src = (src6 or src4).split(",")[-1]
        self.dst = (dst6 or dst4).split(",")[-1]
        self.ttl = int((hlim or ttl).split(",")[-1])
        self.sport, self.dport = int(self.sport.split(",")[-1]), int(self.dport.split(",")[-1])
        self.flags = flags.split(",")[-1]
        self.ack_flag = "A" in self.flags
        self.seq, self.ack = int(seq.split(",")[-1]), int(ack.split(",")[-1] or 0)
        self.stream = int(stream.split(",")[-1])
        self.point = point
        self.addr_side = "client" if self.src in CLIENT else "server" if self.src in SERVER else "other"
        if self.src in OVERLAY:           # inner packets of the VXLAN overlay are not routed
            self.genuine = self.ttl == 64
        elif self.addr_side == "other":
            self.genuine = False
        else:
            self.genuine = TTL.get((point, self.addr_side)) == self.ttl
        self.sender = self.addr_side if self.genuine else "middlebox"

    def __repr__(self):
        return (f"#{self.frame} {self.src}:{self.sport}->{self.dst}:{self.dport} "
                f"{'RA' if self.ack_flag else 'R'} ttl={self.ttl} seq={self.seq} stream={self.stream} "
                f"sender={self.sender}")


def tshark(path, filt, fields, extra=()):
    cmd = ["tshark", "-r", path, "-Y", filt, "-T", "fields", "-E", "separator=\t",
           "-o", "tcp.relative_sequence_numbers:FALSE", *extra]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines() if line.strip()]


DECODE = {"vxlan-8472": ["-d", "udp.port==8472,vxlan"]}


def rsts(path, scenario, point):
    rows = tshark(path, "tcp.flags.reset==1",
                  ["frame.number", "ip.src", "ipv6.src", "ip.ttl", "ipv6.hlim", "tcp.srcport",
                   "tcp.dstport", "tcp.flags.str", "tcp.seq", "tcp.ack", "tcp.stream", "ip.dst",
                   "ipv6.dst"], DECODE.get(scenario, []))
    return [Rst(r + [""] * (13 - len(r)), point) for r in rows]


def stream_flags(path, scenario, stream):
    """(src, flags, payload length) of every segment of one TCP stream, in order."""
    rows = tshark(path, f"tcp.stream=={stream}", ["ip.src", "ipv6.src", "tcp.flags.str", "tcp.len"],
                  DECODE.get(scenario, []))
    return [((r[1] or r[0]).split(",")[-1], r[2].split(",")[-1], int(r[3].split(",")[-1] or 0)) for r in rows]


# --------------------------------------------------------------------------- rules
# A rule gets the scenario's RSTs of one capture and returns [(sender, cause)] per RST.
class Unexpected(Exception):
    pass


def need(cond, r, why):
    if not cond:
        raise Unexpected(f"{r}: {why}")


def first_per_stream(rs):
    seen, out = set(), []
    for r in rs:
        out.append(r.stream not in seen)
        seen.add(r.stream)
    return out


def rule_refused(rs, ctx):
    out = []
    for r in rs:
        need(r.sender == "server" and r.ack_flag, r, "expected a kernel RST+ACK from the server")
        out.append(("server", "port-closed"))
    return out


def rule_abort(rs, ctx):
    # server aborts (SO_LINGER 0) on one connection, the client on another; a refused connect
    # appears in `sample` only.
    out = []
    for r in rs:
        need(r.genuine, r, "expected a genuine endpoint RST")
        if r.sender == "server":
            flows = stream_flags(ctx["path"], ctx["scenario"], r.stream)
            if len(flows) == 2 and "S" in flows[0][1]:
                out.append(("server", "port-closed"))
            else:
                out.append(("server", "abortive-close"))
        else:
            # the client aborts (SO_LINGER 0) after the exchange: an abortive close in the data phase
            out.append(("client", "abortive-close"))
    return out


def by(table):
    """Rule from a table {(sender, 'RA'|'R'): cause}; anything else is unexpected."""
    def rule(rs, ctx):
        out = []
        for r in rs:
            key = (r.sender, "RA" if r.ack_flag else "R")
            need(key in table, r, f"no {key} RST expected in this scenario")
            out.append((r.sender, table[key]))
        return out
    return rule


def rule_burst(rs, ctx):
    # abort-inflight: the client's abortive close (first RST of the connection), then the
    # client kernel's answers to every segment that was still in flight.
    out = []
    for r, first in zip(rs, first_per_stream(rs)):
        need(r.sender == "client", r, "only the client resets here")
        if first:
            need(r.ack_flag, r, "the abortive close is RST+ACK")
            out.append(("client", "abortive-close"))
        else:
            need(not r.ack_flag, r, "answers to in-flight segments are bare RSTs")
            out.append(("client", "no-connection"))
    return out


ABORT_LIKE = ["sample", "abort-linger0", "ipv6-abort", "vxlan", "vxlan-8472", "vlan", "vlan-qinq",
              "gre", "geneve", "ipip", "6in4"]
RULES = {
    "normal": by({}),
    "ipv6-normal": by({}),
    "retransmission": by({}),
    "refused": rule_refused,
    "ipv6-refused": rule_refused,
    **{k: rule_abort for k in ABORT_LIKE},
    "close-unread": by({("server", "RA"): "data-after-close"}),
    # REJECT answering the SYN is firewall-reject; REJECT of the request on an open connection is a forged
    # RST after the request: injected (issue #3 defines firewall-reject as the answer to a SYN).
    "firewall-reject": by({("middlebox", "RA"): "firewall-reject", ("middlebox", "R"): "injected"}),
    "ipv6-firewall-reject": by({("middlebox", "RA"): "firewall-reject"}),
    "syn-scan": by({("client", "R"): "syn-scan", ("server", "RA"): "port-closed"}),
    "connect-scan": by({("client", "RA"): "connect-scan", ("server", "RA"): "port-closed"}),
    "accept-queue-overflow": by({("server", "R"): "accept-queue-overflow"}),
    "time-wait": by({("client", "R"): "time-wait"}),
    "malformed-syn": by({("server", "RA"): "malformed-syn"}),
    "retransmission-abort": by({("client", "RA"): "retransmission-exhausted"}),
    "idle-timeout": by({("middlebox", "RA"): "idle-timeout"}),
    "idle-timeout-server": by({("server", "RA"): "idle-timeout"}),
    "fin-then-reset": by({("server", "RA"): "fin-then-reset"}),
    "fin-then-reset-injected": by({("middlebox", "RA"): "fin-then-reset"}),
    "data-after-close": by({("server", "R"): "data-after-close"}),
    "injected-synack": by({("middlebox", "R"): "injected", ("client", "R"): "no-connection"}),
    "injected-clienthello": by({("middlebox", "R"): "injected", ("client", "R"): "no-connection"}),
    "challenge-ack": by({("middlebox", "R"): "injected"}),
    "abort-inflight": rule_burst,
}

# Minimum number of RSTs of each cause a capture of the scenario must hold ("*": every
# capture point), so that a scenario that did not happen as planned fails instead of
# being labelled with fewer RSTs.
PC, CA = {"port-closed": 1, "abortive-close": 1}, {"abortive-close": 2}
REQUIRED = {
    "refused": {"*": {"port-closed": 2}}, "ipv6-refused": {"*": {"port-closed": 2}},
    **{k: {"*": PC} for k in ["sample", "vxlan", "vxlan-8472", "vlan", "vlan-qinq", "gre", "geneve", "ipip"]},
    **{k: {"*": CA} for k in ["abort-linger0", "ipv6-abort", "6in4"]},
    "close-unread": {"*": {"data-after-close": 1}},
    "firewall-reject": {"client": {"firewall-reject": 1, "injected": 1}},
    "ipv6-firewall-reject": {"client": {"firewall-reject": 1}},
    "syn-scan": {"*": {"syn-scan": 3, "port-closed": 7}},
    "connect-scan": {"*": {"connect-scan": 3, "port-closed": 7}},
    "accept-queue-overflow": {"*": {"accept-queue-overflow": 2}},
    "time-wait": {"*": {"time-wait": 1}},
    "malformed-syn": {"*": {"malformed-syn": 1}},
    "retransmission-abort": {"*": {"retransmission-exhausted": 1}},
    "idle-timeout": {"*": {"idle-timeout": 1}},
    "idle-timeout-server": {"*": {"idle-timeout": 1}},
    "fin-then-reset": {"*": {"fin-then-reset": 1}},
    "fin-then-reset-injected": {"*": {"fin-then-reset": 1}},
    "data-after-close": {"*": {"data-after-close": 1}},
    "injected-synack": {"client": {"injected": 1, "no-connection": 1}, "*": {"no-connection": 1}},
    "injected-clienthello": {"client": {"injected": 1, "no-connection": 1}, "*": {"no-connection": 1}},
    "challenge-ack": {"server": {"injected": 1}, "router": {"injected": 1}},
    "abort-inflight": {"*": {"abortive-close": 1, "no-connection": 3}},
}


# --------------------------------------------------------------------------- descriptions
POINT = {"client": "client side", "server": "server side", "router": "router (server-side veth)"}
RAW_WRAP = ("raw re-encapsulation (scapy, lab/wrap.py) of the real `sample.client.pcap`: the kernel "
            "here has no {} driver; inner packets byte-for-byte as captured")
DESC = {
    "sample": ("real kernel", "one normal exchange (FIN/FIN) on 8080, a connect to closed port 8081 "
               "(RST+ACK), then on 8082 a client that closes with SO_LINGER{1,0} after the response"),
    "normal": ("real kernel", "two separate connections, request/response, FIN close on both sides; no RST"),
    "refused": ("real kernel", "connects to closed ports 9 and 8081; the server kernel answers RST+ACK"),
    "abort-linger0": ("real kernel", "on 8080 the server closes with SO_LINGER{1,0} after answering; "
                      "on 8081 the client does"),
    "close-unread": ("real kernel", "the client sends a request plus extra bytes, the server reads 4 bytes "
                     "and close()s with unread data, so Linux sends RST+ACK instead of FIN"),
    "ipv6-normal": ("real kernel", "as `normal`, over IPv6"),
    "ipv6-refused": ("real kernel", "as `refused`, over IPv6"),
    "ipv6-abort": ("real kernel", "as `abort-linger0`, over IPv6"),
    "vxlan": ("real kernel", "kernel VXLAN (VNI 42, UDP 4789) between client and server across the "
              "router, overlay 10.99.42.1 -> 10.99.42.2; captured on the underlay, traffic as in `sample`"),
    "vxlan-8472": ("real kernel", "as `vxlan` with VNI 43 on UDP 8472 (the Linux default port; tshark "
                   "needs `-d udp.port==8472,vxlan`), overlay 10.99.43.0/24"),
    "vlan": ("tcprewrite", "`sample.client.pcap` with an 802.1Q tag (VLAN 100) added by "
             "`tcprewrite --enet-vlan=add --enet-vlan-tag=100`; the kernel here has no 8021q driver"),
    "vlan-qinq": ("tcprewrite", "`vlan.client.pcap` with an outer 802.1ad S-tag (VLAN 200, ethertype "
                  "0x88a8) added by a second `tcprewrite --enet-vlan=add --enet-vlan-proto=802.1ad`"),
    "gre": ("raw", RAW_WRAP.format("GRE") + " (outer 198.51.100.1 <-> 198.51.100.2, GRE proto 0x0800)"),
    "geneve": ("raw", RAW_WRAP.format("Geneve") + " (UDP 6081, VNI 4242, inner Ethernet frame)"),
    "ipip": ("raw", RAW_WRAP.format("IPIP") + " (IPv4-in-IPv4, protocol 4)"),
    "6in4": ("raw", "raw re-encapsulation (scapy) of the real `ipv6-abort.client.pcap` in IPv4 "
             "protocol 41 (6in4/SIT); the kernel here has no sit driver"),
    "firewall-reject": ("real kernel", "the server listens on 8080 and 8443; the router has iptables "
                        "`REJECT --reject-with tcp-reset` for SYNs to 8443 and for segments to 8080 carrying "
                        "\"forbidden\". A served connection (server TTL known), a rejected connect (RST+ACK "
                        "forged by the router with the server's address), a request with \"forbidden\" "
                        "(bare RST from the router); the server never sees the rejected segments"),
    "ipv6-firewall-reject": ("real kernel", "ip6tables REJECT tcp-reset on the router for 8443, plus a "
                             "served connection to 8080"),
    "syn-scan": ("nmap raw SYNs + real kernel", "`nmap -sS -Pn -n -T4 --max-retries 1` against 10 ports, "
                 "3 open (22, 8080, 8443): closed ports answer RST+ACK, the client kernel resets the "
                 "SYN/ACKs of open ports (nmap's SYNs are raw, with random TTLs)"),
    "connect-scan": ("real kernel", "`nmap -sT -Pn -n -T4 --max-retries 1`, same ports: completed "
                     "handshakes are closed by nmap with RST+ACK (SO_LINGER 0), closed ports RST+ACK"),
    "accept-queue-overflow": ("real kernel", "listener with backlog 2 that never accepts, "
                              "tcp_abort_on_overflow=1; 2 clients fill the accept queue, the router "
                              "holds (iptables DROP of non-SYN segments for 0.5 s) the requests of 3 "
                              "more whose handshakes then complete together: 1 takes the last slot, "
                              "the server answers the other 2 with a bare RST (seq = their ACK)"),
    "time-wait": ("raw SYN + real kernel", "the server closes first and holds TIME_WAIT; a raw scapy SYN "
                  "(no options) from the same client port with a sequence number below the old "
                  "connection's gets the TIME_WAIT socket's ACK, which the client kernel answers with "
                  "a bare RST; then a real connect() from the same port (higher ISN) is accepted. "
                  "Only that one SYN is raw"),
    "malformed-syn": ("raw SYN+FIN + real kernel", "raw scapy SYN+FIN segments: to listening port 8080 "
                      "(Linux drops it silently) and to closed port 8081 (RST+ACK, ack = seq+2)"),
    "retransmission": ("real kernel", "the router drops everything the server sends after its SYN/ACK; "
                       "the client (tcp_retries2=3) retransmits its request 5 times and gives up with "
                       "ETIMEDOUT ~6.7 s after: Linux sends no RST when it gives up; no RST"),
    "retransmission-abort": ("real kernel", "same drop; the client application gives up after 1.6 s "
                             "(3 retransmissions) and closes with SO_LINGER{1,0}: RST+ACK from the "
                             "retransmitting side"),
    "idle-timeout": ("raw RSTs (router) + real kernel", "a connection left idle; after 6 s the router "
                     "(lab/inject.py idle, scapy) forges RST+ACK with exact sequence numbers to both "
                     "ends, like a load balancer's idle reset (the one to the server is on the server "
                     "and router captures, the one to the client on the client capture)"),
    "idle-timeout-server": ("real kernel", "the server itself aborts (SO_LINGER{1,0}) after 6 s idle"),
    "fin-then-reset": ("real kernel", "the server answers, shutdown(SHUT_WR) (FIN), and 20 ms later "
                       "closes with SO_LINGER{1,0} (RST+ACK) before the client closes"),
    "fin-then-reset-injected": ("raw RSTs (router) + real kernel", "the server answers and closes "
                                "(FIN); the router (lab/inject.py fin) forges RST+ACK to both ends right "
                                "after that FIN"),
    "data-after-close": ("real kernel", "the server closes after answering; the client writes again "
                         "after the FIN and the server kernel (orphaned FIN_WAIT2) answers with a bare RST"),
    "injected-synack": ("raw RST (router) + real kernel", "the router (lab/inject.py synack) forges a "
                        "bare RST (seq = server ISN+1, server's address, TTL 64) to the client as soon "
                        "as it sees the SYN/ACK, and lets the real packets pass (bypass blocking). The "
                        "server never learns: when it closes 1.5 s later, the client kernel resets its FIN"),
    "injected-clienthello": ("raw RST (router) + real kernel", "`openssl s_server` / `openssl s_client "
                             "-servername blocked.example` (TLS 1.3, ffdhe8192 so the server is slow); "
                             "the router (lab/inject.py clienthello) forges a bare RST to the client "
                             "when the ClientHello names blocked.example; the ServerHello still "
                             "arrives and the client kernel resets each of its segments"),
    "challenge-ack": ("raw RST+SYN (router) + real kernel", "on an established, idle connection the "
                      "router forges, \"from the client\", an in-window RST whose seq is 1000 past the "
                      "expected one, then a SYN (RFC 5961): the server answers each with a challenge "
                      "ACK (dup ACK) and the connection survives and closes with FIN"),
    "abort-inflight": ("real kernel", "the router's link to the client is slowed (tbf 2 Mbit/s) so the "
                       "server's 40 KB answer is in flight when the client closes with SO_LINGER{1,0} "
                       "without reading: its RST+ACK, then a bare RST from the client kernel for every "
                       "segment that still arrives (a genuine RST burst)"),
}


def scenario_of(fname):
    base = os.path.basename(fname)
    for point in ("client", "server", "router"):
        suf = f".{point}.pcap"
        if base.endswith(suf):
            return base[: -len(suf)], point
    raise SystemExit(f"cannot tell scenario/point of {fname}")


def label(path):
    scenario, point = scenario_of(path)
    rs = rsts(path, scenario, point)
    rule = RULES.get(scenario)
    if rule is None:
        raise SystemExit(f"no rule for scenario {scenario}")
    labels = rule(rs, {"path": path, "scenario": scenario, "point": point})
    if len(labels) != len(rs):
        raise Unexpected(f"{path}: rule gave {len(labels)} labels for {len(rs)} RSTs: {rs}")
    req = dict(REQUIRED.get(scenario, {}).get("*", {}))
    req.update(REQUIRED.get(scenario, {}).get(point, {}))
    for cause, n in req.items():
        got = sum(1 for _, c in labels if c == cause)
        if got < n:
            raise Unexpected(f"{path}: {got} RST(s) with cause {cause}, the scenario makes at least {n}")
    out = []
    for r, (sender, cause) in zip(rs, labels):
        assert cause in CAUSES, cause
        # no-connection means its sender has no state: phase none by the README's definition
        ph = "none" if cause == "no-connection" else phase(path, scenario, r)
        out.append({"frame": r.frame, "sender": sender, "cause": cause, "phase": ph, "_r": r})
    return scenario, point, out


def phase(path, scenario, r):
    """The RST's phase from the segments of its tcp.stream before it (README: "Phase of a RST")."""
    rows = tshark(path, f"tcp.stream=={r.stream} && frame.number < {r.frame}",
                  ["frame.number", "ip.src", "ipv6.src", "tcp.srcport", "tcp.flags.str", "tcp.len"],
                  DECODE.get(scenario, []))
    segs = [((x[2] or x[1]).split(",")[-1], int(x[3].split(",")[-1]), x[4].split(",")[-1], int(x[5].split(",")[-1] or 0))
            for x in rows]
    if not segs or any("R" in f for _, _, f, _ in segs):
        return "none"  # nothing of the connection before it, or the connection was already reset
    mine = [s for s in segs if (s[0], s[1]) == (r.src, r.sport)]
    theirs = [s for s in segs if (s[0], s[1]) != (r.src, r.sport)]
    if not mine and not (theirs and "S" in theirs[-1][2] and "A" not in theirs[-1][2]):
        return "none"  # the sender never spoke and does not answer a SYN: it does not know the connection
    if any("F" in f and "S" not in f for _, _, f, _ in segs):
        return "teardown"
    if any(n > 0 for _, _, _, n in segs):
        return "data"
    return "handshake"


def main():
    if sys.argv[1:2] == ["--check"]:
        for p in sys.argv[2:]:
            s, pt, out = label(p)
            print(p)
            for e in out:
                print(f"  {e['frame']:>4} {e['sender']:<9} {e['cause']:<26} {e['_r']}")
        return
    d = sys.argv[1]
    files = sorted(f for f in os.listdir(d) if f.endswith(".pcap"))
    expected, lines, seen = {}, [], []
    for f in files:
        sc, pt, out = label(os.path.join(d, f))
        if sc not in seen:
            seen.append(sc)
        expected[f] = [{k: e[k] for k in ("frame", "sender", "cause", "phase")} for e in out]
        rst = "; ".join(f"#{e['frame']} {e['sender']} {e['cause']} "
                        f"({'RST+ACK' if e['_r'].ack_flag else 'RST'} from {e['_r'].src}, ttl {e['_r'].ttl})"
                        for e in out) or "none"
        lines.append(f"| `{f}` | `{sc}` | {POINT[pt]} | {len(out)} | {rst} |")
    with open(os.path.join(d, "expected.json"), "w") as fh:
        fh.write("{\n" + ",\n".join(
            f' "{f}": [' + ", ".join(json.dumps(e) for e in v) + "]" for f, v in expected.items()) + "\n}\n")
    with open(os.path.join(d, "files.md"), "w") as fh:
        fh.write("## Scenarios\n\n| scenario | made with | what happens |\n| --- | --- | --- |\n")
        for sc in seen:
            kind, text = DESC.get(sc, ("?", "?"))
            fh.write(f"| `{sc}` | {kind} | {text} |\n")
        fh.write("\n## Files and their RSTs\n\nFrame numbers as tshark counts them; sender and cause "
                 "as in `expected.json` (the address and TTL are only shown to help reading).\n\n"
                 "| file | scenario | captured at | RSTs | RST frames |\n| --- | --- | --- | --- | --- |\n")
        fh.write("\n".join(lines) + "\n")
    print(f"labelled {len(files)} captures, {sum(len(v) for v in expected.values())} RSTs")


if __name__ == "__main__":
    main()
