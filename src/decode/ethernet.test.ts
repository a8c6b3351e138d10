import { describe, expect, it } from 'vitest';
import { cat, eth, fabricPath, hex, ipv4, ipv6, mpls, vlan } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { formatAddress } from './address.js';
import { KIND_MALFORMED, KIND_OTHER, KIND_TCP, SYN } from './packet.js';

// mixed-vlan-mpls.pcap frame 1:
// 18:49:06.874907 MPLS (label 29, tc 6, [S], ttl 255) IP 10.1.2.1.11001 > 10.34.0.1.23: Flags [S], seq 2553417723, win 4128, options [mss 536], length 0
const MPLS_SYN = hex(`0030 96e6 fc39 0030 9605 2838 8847 0001
  ddff 45c0 002c 0000 0000 ff06 a4e7 0a01
  0201 0a22 0001 2af9 0017 9832 0ffb 0000
  0000 6002 1020 a240 0000 0204 0218`);

const IP4 = ipv4({}, tcp({ sport: 1, dport: 2, seq: 3, flags: 'S' }));

describe('ethernet: known packets', () => {
  it('decodes a real MPLS-labelled SYN', () => {
    const p = decode(MPLS_SYN, 1, true);
    expect(p).toMatchObject({ kind: KIND_TCP, sport: 11001, dport: 23, seq: 2553417723, flags: SYN, window: 4128, mss: 536, ttl: 255, tunnel: '', checksumOk: true });
    expect(formatAddress(p.buf, p.srcOff, 4)).toBe('10.1.2.1');
    expect(p.srcOff).toBe(14 + 4 + 12);
  });

  it('802.1Q, 802.1ad + 802.1Q, and 0x9100 tags', () => {
    expect(decode(eth(vlan(IP4, 10), { type: 0x8100 })).srcOff).toBe(14 + 4 + 12);
    const qinq = decode(eth(vlan(vlan(IP4, 20), 10, 0x8100), { type: 0x88a8 }));
    expect([qinq.kind, qinq.srcOff]).toEqual([KIND_TCP, 14 + 8 + 12]);
    const stacked = decode(eth(vlan(vlan(vlan(IP4, 3), 2, 0x8100), 1, 0x9100), { type: 0x9100 }));
    expect([stacked.kind, stacked.srcOff]).toEqual([KIND_TCP, 14 + 12 + 12]);
  });

  it('MPLS label stacks guess IPv4/IPv6 from the first nibble', () => {
    const v4 = decode(eth(mpls(IP4, [16, 17, 18]), { type: 0x8847 }));
    expect([v4.kind, v4.srcOff]).toEqual([KIND_TCP, 14 + 12 + 12]);
    const v6 = decode(eth(mpls(ipv6({}, tcp()), [100]), { type: 0x8848 }));
    expect([v6.kind, v6.ipVersion]).toEqual([KIND_TCP, 6]);
    expect(decode(eth(mpls([0, 0, 0, 0, 1, 2], [5]), { type: 0x8847 })).kind).toBe(KIND_OTHER); // control word
    expect(decode(eth(vlan(mpls(IP4, [7]), 5, 0x8847), { type: 0x8100 })).kind).toBe(KIND_TCP);
  });

  it('802.1ah PBB carries an I-TAG and the customer frame; MPLS pseudowires are named as undecoded', () => {
    const p = decode(eth(cat([0, 0, 0, 9], eth(IP4)), { type: 0x88e7 }));
    expect([p.kind, p.srcOff, p.tunnel]).toEqual([KIND_TCP, 14 + 4 + 14 + 12, '']);
    expect(decode(eth(mpls([0, 0, 0, 0, 1, 2], [5]), { type: 0x8847 })).undecoded).toBe('MPLS pseudowire');
    expect(expectPrefixesConsistent(eth(cat([0, 0, 0, 9], eth(IP4)), { type: 0x88e7 }))).toBeGreaterThan(0);
  });

  it('Cisco FabricPath carries an inner Ethernet frame (not a tunnel: tshark decodes it, cfp)', () => {
    const p = decode(fabricPath(eth(IP4)));
    expect([p.kind, p.srcOff, p.tunnel, p.streamless]).toEqual([KIND_TCP, 16 + 14 + 12, '', false]);
  });

  it('802.3 with LLC/SNAP, and non-IP EtherTypes', () => {
    const snap = cat([0xaa, 0xaa, 0x03, 0, 0, 0], [0x08, 0x00], IP4);
    expect(decode(eth(snap, { type: snap.length })).kind).toBe(KIND_TCP);
    expect(decode(eth([0x42, 0x42, 0x03, 0, 0, 0, 0, 0], { type: 8 })).kind).toBe(KIND_OTHER); // STP
    expect(decode(eth(new Uint8Array(28), { type: 0x0806 })).kind).toBe(KIND_OTHER); // ARP
  });
});

describe('ethernet: truncated buffer', () => {
  it('every prefix gives MALFORMED or a consistent result', () => {
    expect(expectPrefixesConsistent(MPLS_SYN)).toBe(MPLS_SYN.length);
    expectPrefixesConsistent(eth(vlan(vlan(IP4, 20), 10, 0x8100), { type: 0x88a8 }));
    expectPrefixesConsistent(fabricPath(eth(vlan(IP4, 4), { type: 0x8100 })));
    expect(decode(MPLS_SYN.subarray(0, 10)).problem).toBe('Ethernet header truncated (10 of 14 bytes)');
    expect(decode(MPLS_SYN.subarray(0, 16)).problem).toBe('MPLS label stack truncated');
  });
});

describe('ethernet: impossible fields', () => {
  it('an MPLS stack that never reaches bottom-of-stack runs off the packet', () => {
    const p = decode(eth(new Uint8Array(40), { type: 0x8847 }));
    expect([p.kind, p.problem]).toEqual([KIND_MALFORMED, 'MPLS label stack truncated']);
  });

  it('a VLAN tag with no room for its EtherType', () => {
    expect(decode(eth([0, 10], { type: 0x8100 })).problem).toBe('VLAN tag truncated');
  });
});

describe('ethernet: tag edge cases', () => {
  it('nested FabricPath counts against the nesting bound', () => {
    let frame = eth(IP4);
    for (let i = 0; i < 9; i++) frame = fabricPath(frame);
    expect(decode(frame).problem).toBe('tunnel nesting deeper than 8');
  });
});
