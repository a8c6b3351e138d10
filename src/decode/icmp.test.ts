import { describe, expect, it } from 'vitest';
import { eth, ext6, frag6, ipv4, ipv6 } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { icmp4, icmp6, tcp, udp } from '../../test/build/packet-transport.js';
import { formatAddress } from './address.js';
import { KIND_ICMP_TCP, KIND_MALFORMED, KIND_OTHER, SYN } from './packet.js';

// The original SYN from 192.0.2.1:40000 to 198.51.100.2:443, as a router quotes it (IP header + 8 bytes).
const ORIG_SEG = tcp({ sport: 40000, dport: 443, seq: 0xdeadbeef, ack: 0, flags: 'S', window: 1024, payload: new Uint8Array(100) });
const ORIG = ipv4({ src: '192.0.2.1', dst: '198.51.100.2', ttl: 1, id: 77, df: true }, ORIG_SEG);
const QUOTE8 = ORIG.subarray(0, 28);
const ROUTER = { src: '203.0.113.254', dst: '192.0.2.1', proto: 1 };

describe('icmp: known packets', () => {
  it('fragmentation needed quoting 8 bytes: quoted tuple/seq, MTU, sender', () => {
    const p = decode(eth(ipv4(ROUTER, icmp4(3, 4, QUOTE8, 1400))));
    expect(p).toMatchObject({ kind: KIND_ICMP_TCP, icmpType: 3, icmpCode: 4, icmpMtu: 1400, ipVersion: 4,
      sport: 40000, dport: 443, seq: 0xdeadbeef, ack: 0, flags: 0, window: 0, ttl: 1, ipId: 77, df: true, checksumOk: null });
    expect(formatAddress(p.buf, p.icmpFromOff, 4)).toBe('203.0.113.254');
    expect(formatAddress(p.buf, p.srcOff, 4)).toBe('192.0.2.1');
    expect(formatAddress(p.buf, p.dstOff, 4)).toBe('198.51.100.2');
  });

  it('a longer quote also gives ack, flags, window and the quoted segment length', () => {
    const p = decode(eth(ipv4(ROUTER, icmp4(11, 0, ORIG.subarray(0, 20 + 20)))));
    expect(p).toMatchObject({ kind: KIND_ICMP_TCP, icmpType: 11, icmpCode: 0, icmpMtu: -1, flags: SYN, window: 1024, tcpHeaderLen: 20, payloadLen: 100 });
  });

  it('every ICMPv4 error type is recognised; echo and quoted UDP are KIND_OTHER', () => {
    for (const type of [3, 4, 5, 11, 12]) expect(decode(eth(ipv4(ROUTER, icmp4(type, 1, QUOTE8)))).kind).toBe(KIND_ICMP_TCP);
    expect(decode(eth(ipv4(ROUTER, icmp4(8, 0, [1, 2, 3, 4])))).kind).toBe(KIND_OTHER);
    const u = decode(eth(ipv4(ROUTER, icmp4(3, 3, ipv4({ proto: 17 }, udp([1], 5, 53))))));
    expect([u.kind, u.icmpType]).toEqual([KIND_OTHER, 3]);
    expect(decode(eth(ipv4(ROUTER, icmp4(3, 3, ipv4({ fragOffset: 2 }, QUOTE8.subarray(20))))))).toMatchObject({ kind: KIND_OTHER });
  });

  it('ICMPv6 packet too big and destination unreachable, through extension headers', () => {
    const orig6 = ipv6({ src: '2001:db8::a', dst: '2001:db8::b', next: 0 }, ext6(6, tcp({ sport: 5, dport: 6, seq: 7, flags: 'PA' })));
    const router6 = { src: '2001:db8:ffff::1', dst: '2001:db8::a', next: 58 };
    const p = decode(eth(ipv6(router6, icmp6(2, 0, orig6.subarray(0, 40 + 8 + 8), 1280)), { type: 0x86dd }));
    expect(p).toMatchObject({ kind: KIND_ICMP_TCP, icmpType: 2, icmpCode: 0, icmpMtu: 1280, ipVersion: 6, sport: 5, dport: 6, seq: 7, ipId: -1 });
    expect(formatAddress(p.buf, p.icmpFromOff, 6)).toBe('2001:db8:ffff::1');
    expect(formatAddress(p.buf, p.dstOff, 6)).toBe('2001:db8::b');
    for (const type of [1, 3, 4]) expect(decode(eth(ipv6(router6, icmp6(type, 0, orig6)), { type: 0x86dd })).icmpType).toBe(type);
    expect(decode(eth(ipv6(router6, icmp6(128, 0, [1, 2])), { type: 0x86dd })).kind).toBe(KIND_OTHER); // echo request
    const frag = ipv6({ next: 44 }, frag6(6, new Uint8Array(16), 8));
    expect(decode(eth(ipv6(router6, icmp6(1, 0, frag)), { type: 0x86dd })).kind).toBe(KIND_OTHER);
  });
});

describe('icmp: truncated buffer', () => {
  it('every prefix of an 8-byte quote gives MALFORMED or a consistent result', () => {
    expectPrefixesConsistent(eth(ipv4(ROUTER, icmp4(3, 4, QUOTE8, 1400))));
    const orig6 = ipv6({}, tcp()).subarray(0, 48);
    expectPrefixesConsistent(eth(ipv6({ next: 58 }, icmp6(1, 4, orig6)), { type: 0x86dd }));
  });
});

describe('icmp: impossible lengths', () => {
  it('a quote too short for ports and sequence number', () => {
    const p = decode(eth(ipv4(ROUTER, icmp4(3, 1, ORIG.subarray(0, 24)))));
    expect([p.kind, p.problem]).toEqual([KIND_MALFORMED, 'ICMP quoted TCP header truncated (4 of 8 bytes)']);
  });

  it('a quoted IPv4 header length below 20 or a quoted IPv6 packet in ICMPv4', () => {
    const bad = Uint8Array.from(QUOTE8);
    bad[0] = 0x44;
    expect(decode(eth(ipv4(ROUTER, icmp4(3, 1, bad)))).problem).toBe('ICMP quoted IPv4 header length 16 < 20');
    bad[0] = 0x60;
    expect(decode(eth(ipv4(ROUTER, icmp4(3, 1, bad)))).problem).toBe('ICMP quoted IP version 6 in an ICMPv4 error');
  });

  it('a quoted total length shorter than the quoted header leaves the payload length unknown', () => {
    const q = Uint8Array.from(ORIG.subarray(0, 40));
    q[2] = 0;
    q[3] = 30;
    const p = decode(eth(ipv4(ROUTER, icmp4(3, 1, q))));
    expect([p.kind, p.payloadLen, p.tcpHeaderLen]).toEqual([KIND_ICMP_TCP, 0, 0]);
  });
});

describe('icmp: quoted extension-header edge cases', () => {
  it('a quoted extension header cut short is malformed', () => {
    const orig6 = ipv6({ next: 60 }, ext6(6, tcp(), 4)).subarray(0, 40 + 16);
    expect(decode(eth(ipv6({ next: 58 }, icmp6(3, 0, orig6)), { type: 0x86dd })).problem).toBe('IPv6 extension header 60 length 40 runs past the payload');
  });
});
