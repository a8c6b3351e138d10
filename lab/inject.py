#!/usr/bin/python3
"""Router-side forger for the lab (scapy): plays a bypass blocker, a load balancer or a
blind attacker. It only listens (a packet socket) and injects; the router kernel keeps
forwarding the real packets. Every sniff is bounded (--timeout and a packet count).

  inject.py synack      --iface rl-rs --port 8080         RST (flags R, seq = server ISN+1, server's
                                                           address) to the client on the SYN/ACK
  inject.py clienthello --iface rl-rc --port 4433 --sni blocked.example [--both]
                                                           RST (R, seq = the ClientHello's ack) to the
                                                           client when a ClientHello names --sni
  inject.py fin         --iface rl-rs --port 8080         RST+ACK to both ends right after the server's FIN
  inject.py idle        --iface rl-rs --port 8080 --idle 6 RST+ACK to both ends once the connection
                                                           has been idle --idle seconds
  inject.py challenge   --iface rl-rs --port 8080         after the exchange, an in-window but not exact
                                                           RST, then a SYN, both "from the client" to the
                                                           server (RFC 5961: the server answers challenge ACKs)

Forged packets leave the router with TTL / hop limit 64 (a genuine endpoint's packet
has 63 by then), and are sent through the router kernel's routing (raw IP socket).
"""
import argparse
import json
import sys
import threading
import time

from scapy.all import IP, TCP, AsyncSniffer, IPv6  # noqa: E402
from scapy.layers.inet6 import L3RawSocket6  # noqa: E402
from scapy.supersocket import L3RawSocket  # noqa: E402

T0 = time.time()


def log(**kw):
    kw["t"] = round(time.time() - T0, 4)
    print(json.dumps(kw), flush=True)


class Forger:
    def __init__(self):
        # kernel raw sockets: the router's own routing and neighbour cache, no scapy ARP
        self.s4 = L3RawSocket()
        self.s6 = L3RawSocket6()

    def send(self, src, dst, **tcp):
        if ":" in src:
            pkt = IPv6(src=src, dst=dst, hlim=64) / TCP(**tcp)
            self.s6.send(pkt)
        else:
            pkt = IP(src=src, dst=dst, ttl=64) / TCP(**tcp)
            self.s4.send(pkt)
        log(ev="forged", src=src, dst=dst, flags=str(tcp.get("flags")), seq=tcp.get("seq"),
            ack=tcp.get("ack", 0), sport=tcp.get("sport"), dport=tcp.get("dport"))


def l3(p):
    return p[IPv6] if IPv6 in p else p[IP]


def seglen(p):
    t = p[TCP]
    n = len(bytes(t.payload))
    return n + (1 if t.flags & 0x02 else 0) + (1 if t.flags & 0x01 else 0)


class Flow:
    """Tracks the next sequence number of each end of the (single) watched connection."""

    def __init__(self, port):
        self.port = port
        self.c = self.s = None       # addresses
        self.cport = None
        self.c_next = self.s_next = None
        self.last = time.time()
        self.data_c = self.data_s = 0
        self.ended = False
        self.lock = threading.Lock()

    def update(self, p):
        ip, t = l3(p), p[TCP]
        if t.flags & 0x04:      # RSTs (ours included) do not move the connection on
            return
        with self.lock:
            self.last = time.time()
            if t.flags & 0x01:
                self.ended = True
            if t.dport == self.port:
                self.c, self.s, self.cport = ip.src, ip.dst, t.sport
                self.c_next = (t.seq + seglen(p)) % 2**32
                self.data_c += len(bytes(t.payload))
            else:
                self.s_next = (t.seq + seglen(p)) % 2**32
                self.data_s += len(bytes(t.payload))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["synack", "clienthello", "fin", "idle", "challenge"])
    ap.add_argument("--iface", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ready", default="")
    ap.add_argument("--timeout", type=float, default=15)
    ap.add_argument("--idle", type=float, default=6)
    ap.add_argument("--sni", default="blocked.example")
    ap.add_argument("--both", action="store_true")
    a = ap.parse_args()
    f = Forger()
    done = threading.Event()
    flow = Flow(a.port)

    def on_pkt(p):
        if TCP not in p or done.is_set():
            return
        ip, t = l3(p), p[TCP]
        if a.mode == "synack":
            if t.sport == a.port and (t.flags & 0x12) == 0x12:
                f.send(ip.src, ip.dst, sport=t.sport, dport=t.dport, flags="R", seq=(t.seq + 1) % 2**32, window=0)
                done.set()
        elif a.mode == "clienthello":
            payload = bytes(t.payload)
            if t.dport == a.port and payload[:1] == b"\x16" and a.sni.encode() in payload:
                f.send(ip.dst, ip.src, sport=t.dport, dport=t.sport, flags="R", seq=t.ack, window=0)
                if a.both:
                    f.send(ip.src, ip.dst, sport=t.sport, dport=t.dport, flags="R",
                           seq=(t.seq + len(payload)) % 2**32, window=0)
                done.set()
        elif a.mode == "fin":
            if t.sport == a.port and t.flags & 0x01:
                nxt = (t.seq + seglen(p)) % 2**32
                f.send(ip.src, ip.dst, sport=t.sport, dport=t.dport, flags="RA", seq=nxt, ack=t.ack, window=0)
                f.send(ip.dst, ip.src, sport=t.dport, dport=t.sport, flags="RA", seq=t.ack, ack=nxt, window=0)
                done.set()
        else:
            flow.update(p)

    started_ev = threading.Event()

    def started():
        log(ev="sniffing", iface=a.iface, mode=a.mode)
        started_ev.set()

    sn = AsyncSniffer(iface=a.iface, filter=f"tcp port {a.port}", prn=on_pkt, store=False,
                      started_callback=started, timeout=a.timeout)
    sn.start()
    started_ev.wait(10)
    time.sleep(0.3)
    if a.ready:
        with open(a.ready, "w") as fh:
            fh.write("ready\n")
    deadline = time.time() + a.timeout
    if a.mode in ("synack", "clienthello", "fin"):
        done.wait(max(0.1, deadline - time.time()))
        log(ev="done" if done.is_set() else "timeout")
    elif a.mode == "idle":
        while time.time() < deadline:
            time.sleep(0.1)
            with flow.lock:
                ready = flow.c_next is not None and flow.s_next is not None and flow.data_s > 0
                if ready and flow.ended:
                    log(ev="connection-ended-before-idle")
                    break
                if ready and time.time() - flow.last >= a.idle:
                    log(ev="idle", seconds=round(time.time() - flow.last, 2))
                    f.send(flow.s, flow.c, sport=a.port, dport=flow.cport, flags="RA",
                           seq=flow.s_next, ack=flow.c_next, window=0)
                    f.send(flow.c, flow.s, sport=flow.cport, dport=a.port, flags="RA",
                           seq=flow.c_next, ack=flow.s_next, window=0)
                    done.set()
                    break
    elif a.mode == "challenge":
        step = 0
        while time.time() < deadline and step < 2:
            time.sleep(0.1)
            with flow.lock:
                ready = flow.data_c > 0 and flow.data_s > 0 and not flow.ended
                quiet = time.time() - flow.last >= 0.5
                c, s, cport, c_next = flow.c, flow.s, flow.cport, flow.c_next
            if not (ready and quiet):
                continue
            if step == 0:   # in-window, not exact: RFC 5961 3.2 -> challenge ACK
                f.send(c, s, sport=cport, dport=a.port, flags="R", seq=(c_next + 1000) % 2**32, window=0)
            else:           # SYN on an established connection: RFC 5961 4.2 -> challenge ACK
                f.send(c, s, sport=cport, dport=a.port, flags="S", seq=(c_next + 5000) % 2**32, window=64240)
            step += 1
            time.sleep(0.8)  # Linux rate-limits challenge ACKs per socket (tcp_invalid_ratelimit, 500 ms)
        if step == 2:
            done.set()
    time.sleep(0.3)
    if sn.running:
        sn.stop()
    return 0 if done.is_set() else 2


if __name__ == "__main__":
    sys.exit(main())
