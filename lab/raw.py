#!/usr/bin/python3
"""Client-side raw TCP segments for the lab (scapy), for what a socket cannot send.

  raw.py synfin --dst 10.99.2.2 --dport 8080 --sport 41000
        a SYN+FIN segment (no options). Linux drops it silently on a listening port and
        answers RST+ACK (ack = seq + 2: SYN and FIN both count) on a closed port.
  raw.py oldsyn --dst 10.99.2.2 --dport 8080 --sport 40000 --seq N
        a plain SYN (no options, so no timestamp) with sequence number N; sent to a
        4-tuple that the server holds in TIME_WAIT with N below its rcv_nxt, the server
        answers with an ACK for the old connection, and the client's kernel, which has no
        socket for it, answers that ACK with RST.

The client kernel does not know these segments (raw socket), so it answers any reply
itself with RST, as it would for any unknown connection.
"""
import argparse
import json
import time

from scapy.all import IP, TCP, IPv6  # noqa: E402
from scapy.layers.inet6 import L3RawSocket6  # noqa: E402
from scapy.supersocket import L3RawSocket  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["synfin", "oldsyn"])
    ap.add_argument("--dst", required=True)
    ap.add_argument("--dport", type=int, required=True)
    ap.add_argument("--sport", type=int, required=True)
    ap.add_argument("--seq", type=int, default=1000000)
    a = ap.parse_args()
    flags = "SF" if a.kind == "synfin" else "S"
    if ":" in a.dst:
        pkt = IPv6(dst=a.dst, hlim=64) / TCP(sport=a.sport, dport=a.dport, flags=flags, seq=a.seq, window=64240)
        s = L3RawSocket6()
    else:
        pkt = IP(dst=a.dst, ttl=64) / TCP(sport=a.sport, dport=a.dport, flags=flags, seq=a.seq, window=64240)
        s = L3RawSocket()
    s.send(pkt)
    s.close()
    print(json.dumps({"ev": "sent", "kind": a.kind, "dst": a.dst, "dport": a.dport, "sport": a.sport,
                      "seq": a.seq, "flags": flags, "t": time.time()}), flush=True)


if __name__ == "__main__":
    main()
