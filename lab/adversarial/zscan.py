#!/usr/bin/python3
"""A stateless SYN scanner (ZMap / masscan style) for the adversarial lab (scapy).

Sends one raw SYN per port from the client namespace: no TCP options, window 65535,
IP ID 54321, TTL 255, a fixed source port (--sport). The client kernel has no socket for
these, so it answers each SYN/ACK with a bare RST (seq = the SYN/ACK's ack): the scanner
never completes a handshake. Closed ports answer RST+ACK themselves.
"""
import argparse
import json
import time

from scapy.all import IP, TCP  # noqa: E402
from scapy.supersocket import L3RawSocket  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dst", required=True)
    ap.add_argument("--ports", required=True)
    ap.add_argument("--sport", type=int, default=61000)
    ap.add_argument("--gap", type=float, default=0.05)
    a = ap.parse_args()
    s = L3RawSocket()
    for i, port in enumerate(int(p) for p in a.ports.split(",")):
        seq = (0x5C0A0000 + port * 7919) % 2**32
        s.send(IP(dst=a.dst, ttl=255, id=54321) / TCP(sport=a.sport, dport=port, flags="S", seq=seq, window=65535))
        print(json.dumps({"ev": "syn", "dport": port, "sport": a.sport, "seq": seq, "t": time.time()}), flush=True)
        time.sleep(a.gap)
    s.close()


if __name__ == "__main__":
    main()
