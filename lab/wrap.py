#!/usr/bin/python3
"""Re-encapsulate a real lab capture in a tunnel header with scapy.

The lab kernel has no GRE / Geneve / IPIP / SIT drivers (`ip link add ... type gre`
answers "Unknown device type"), so these fixtures take the frames of a real capture
and wrap each IP packet, unchanged, as a tunnel endpoint would:

    wrap.py MODE IN.pcap OUT.pcap
      gre     Ether / IPv4 198.51.100.1<->198.51.100.2 proto 47 / GRE(0x0800) / inner IPv4
      geneve  Ether / IPv4 / UDP dport 6081 / Geneve(vni 4242, 0x6558) / inner Ethernet frame
      ipip    Ether / IPv4 proto 4 / inner IPv4
      6in4    Ether / IPv4 proto 41 / inner IPv6

The outer source/destination follow the inner direction (client side = .1, server side = .2),
outer TTL 64, timestamps and the inner packets byte-for-byte as captured. Non-IP frames
(ARP, neighbour discovery) are kept as they were.
"""
import sys
import zlib

from scapy.all import GRE, IP, UDP, Ether, IPv6, PcapReader, PcapWriter, Raw  # noqa: E402
from scapy.contrib.geneve import GENEVE  # noqa: E402

CLIENT_NETS = ("10.99.1.", "fd99:1:")
OUT_C, OUT_S = "198.51.100.1", "198.51.100.2"


def outer(inner_src):
    c = inner_src.startswith(CLIENT_NETS)
    return (OUT_C, OUT_S) if c else (OUT_S, OUT_C)


def wrap(mode, pkt):
    if not pkt.haslayer(Ether):
        return pkt
    eth = pkt[Ether]
    inner = eth.payload
    if mode in ("gre", "ipip") and not isinstance(inner, IP):
        return pkt
    if mode == "6in4" and not isinstance(inner, IPv6):
        return pkt
    if mode == "geneve" and not isinstance(inner, (IP, IPv6)):
        return pkt
    src, dst = outer(inner.src)
    head = Ether(src=eth.src, dst=eth.dst, type=0x0800)
    if mode == "gre":
        new = head / IP(src=src, dst=dst, ttl=64, proto=47, id=0, flags="DF") / GRE(proto=0x0800) / Raw(bytes(inner))
    elif mode == "ipip":
        new = head / IP(src=src, dst=dst, ttl=64, proto=4, id=0, flags="DF") / Raw(bytes(inner))
    elif mode == "6in4":
        new = head / IP(src=src, dst=dst, ttl=64, proto=41, id=0, flags="DF") / Raw(bytes(inner))
    elif mode == "geneve":
        sport = 49152 + (zlib.crc32(f"{inner.src}>{inner.dst}".encode()) & 0x3FFF)
        new = (head / IP(src=src, dst=dst, ttl=64, id=0, flags="DF") /
               UDP(sport=sport, dport=6081) / GENEVE(vni=4242, proto=0x6558) / Raw(bytes(eth)))
    else:
        raise SystemExit("unknown mode " + mode)
    new = Ether(bytes(new))  # compute lengths and checksums
    new.time = pkt.time
    return new


def main():
    mode, src, dst = sys.argv[1:4]
    n = 0
    with PcapReader(src) as r, PcapWriter(dst, linktype=1, sync=True) as w:
        for pkt in r:
            w.write(wrap(mode, pkt))
            n += 1
    print(f"{mode}: wrapped {n} frames of {src} into {dst}")


if __name__ == "__main__":
    main()
