#!/usr/bin/python3
"""A Windows-like TCP endpoint made of raw packets (scapy), for the adversarial lab.

Runs in the server namespace and answers for an address that no kernel owns (--addr,
10.99.2.3): the router has a permanent neighbour entry mapping it to the server veth's
MAC, the server kernel drops those frames (not its address, no forwarding), and this
script sniffs them on the veth and answers with Ethernet frames of its own (sendp).

What makes it look like Windows rather than Linux:
  * IP TTL 128 and DF set on every packet
  * one IP ID counter for the whole host (starts at --ipid-start, +1 per packet sent, plus
    a small random step now and then, as other traffic of a busy host would add), where
    Linux keeps one counter per socket
  * SYN/ACK options MSS 1460, NOP, WScale 8, NOP, NOP, SACK permitted (no timestamps),
    window 64240
  * closed port: RST+ACK, seq 0, ack = SYN seq + 1, window 0
  * an abortive close (closesocket with SO_LINGER {1,0}): RST+ACK at the next sequence
    number, ack = what it received, window 0

Open ports (--open): answers a request (any payload) with an HTTP response, and --abort
seconds later aborts with RST+ACK. Bounded by --timeout.
"""
import argparse
import json
import random
import threading
import time

from scapy.all import IP, TCP, Ether, AsyncSniffer, sendp, get_if_hwaddr  # noqa: E402

T0 = time.time()
RESP = b"HTTP/1.1 200 OK\r\nServer: Microsoft-IIS/10.0\r\nContent-Length: 6\r\n\r\nhello\n"


def log(**kw):
    kw["t"] = round(time.time() - T0, 4)
    print(json.dumps(kw), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iface", required=True)
    ap.add_argument("--addr", required=True)
    ap.add_argument("--open", default="80")
    ap.add_argument("--abort", type=float, default=0.3)
    ap.add_argument("--ipid-start", type=int, default=0x5A10)
    ap.add_argument("--timeout", type=float, default=15)
    ap.add_argument("--ready", default="")
    a = ap.parse_args()
    open_ports = {int(p) for p in a.open.split(",")}
    mymac = get_if_hwaddr(a.iface)
    st = {"ipid": a.ipid_start}
    lock = threading.Lock()
    conns = {}

    def send(p, peer_mac, t):
        with lock:
            st["ipid"] = (st["ipid"] + 1 + (random.randint(1, 3) if random.random() < 0.3 else 0)) % 65536
            ipid = st["ipid"]
        pkt = Ether(src=mymac, dst=peer_mac) / IP(src=a.addr, dst=p[IP].src, ttl=128, flags="DF", id=ipid) / t
        sendp(pkt, iface=a.iface, verbose=False)
        log(ev="sent", flags=str(t.flags), sport=t.sport, dport=t.dport, seq=t.seq, ack=t.ack, ipid=ipid)

    def abort_later(key, peer_mac, p):
        time.sleep(a.abort)
        c = conns[key]
        send(p, peer_mac, TCP(sport=key[1], dport=key[0], flags="RA", seq=c["snd_nxt"], ack=c["rcv_nxt"], window=0))
        c["dead"] = True

    def on_pkt(p):
        if IP not in p or TCP not in p or p[IP].dst != a.addr:
            return
        ip, t = p[IP], p[TCP]
        peer_mac = p[Ether].src
        key = (t.sport, t.dport)
        n = len(bytes(t.payload))
        if t.flags & 0x04:
            conns.pop(key, None)
            return
        if (t.flags & 0x12) == 0x02:
            if t.dport not in open_ports:
                send(p, peer_mac, TCP(sport=t.dport, dport=t.sport, flags="RA", seq=0, ack=t.seq + 1, window=0))
                return
            isn = random.randint(0, 2**32 - 1)
            conns[key] = {"snd_nxt": (isn + 1) % 2**32, "rcv_nxt": (t.seq + 1) % 2**32, "dead": False}
            send(p, peer_mac, TCP(sport=t.dport, dport=t.sport, flags="SA", seq=isn, ack=t.seq + 1, window=64240,
                                  options=[("MSS", 1460), ("NOP", None), ("WScale", 8), ("NOP", None),
                                           ("NOP", None), ("SAckOK", b"")]))
            return
        c = conns.get(key)
        if c is None or c["dead"]:
            # no connection: Windows answers with RST (seq = the segment's ack)
            send(p, peer_mac, TCP(sport=t.dport, dport=t.sport, flags="R", seq=t.ack, window=0))
            return
        if n > 0 and t.seq == c["rcv_nxt"]:
            c["rcv_nxt"] = (t.seq + n) % 2**32
            send(p, peer_mac, TCP(sport=t.dport, dport=t.sport, flags="PA", seq=c["snd_nxt"], ack=c["rcv_nxt"],
                                  window=64240) / RESP)
            c["snd_nxt"] = (c["snd_nxt"] + len(RESP)) % 2**32
            threading.Thread(target=abort_later, args=(key, peer_mac, p), daemon=True).start()
        elif t.flags & 0x01:
            c["rcv_nxt"] = (t.seq + n + 1) % 2**32

    started = threading.Event()
    sn = AsyncSniffer(iface=a.iface, filter=f"tcp and dst host {a.addr}", prn=on_pkt, store=False,
                      started_callback=lambda: started.set(), timeout=a.timeout)
    sn.start()
    started.wait(10)
    time.sleep(0.3)
    log(ev="sniffing", addr=a.addr, open=sorted(open_ports))
    if a.ready:
        with open(a.ready, "w") as fh:
            fh.write("ready\n")
    sn.join(a.timeout + 2)


if __name__ == "__main__":
    main()
