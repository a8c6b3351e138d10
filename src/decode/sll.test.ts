import { describe, expect, it } from 'vitest';
import { ipv4, ipv6, sll, sll2, vlan } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { KIND_MALFORMED, KIND_OTHER, KIND_TCP } from './packet.js';

const SEG = tcp({ sport: 6667, dport: 40000, flags: 'FA' });

describe('sll: known packets', () => {
  it('SLL v1 (113) with IPv4 and IPv6', () => {
    const p = decode(sll(ipv4({}, SEG)), 113, true);
    expect(p).toMatchObject({ kind: KIND_TCP, sport: 6667, srcOff: 16 + 12, checksumOk: true });
    expect(decode(sll(ipv6({}, SEG), 0x86dd), 113).srcOff).toBe(16 + 8);
  });

  it('SLL v2 (276) with IPv4, IPv6 and a VLAN tag', () => {
    expect(decode(sll2(ipv4({}, SEG)), 276).srcOff).toBe(20 + 12);
    expect(decode(sll2(ipv6({}, SEG), 0x86dd), 276).ipVersion).toBe(6);
    expect(decode(sll2(vlan(ipv4({}, SEG), 7), 0x8100), 276).kind).toBe(KIND_TCP);
  });

  it('Linux pseudo-protocols and netlink are KIND_OTHER', () => {
    expect(decode(sll(new Uint8Array(20), 0x0004), 113).kind).toBe(KIND_OTHER); // ETH_P_802_2
    expect(decode(sll(ipv4({}, SEG), 0x0800, 824), 113).kind).toBe(KIND_OTHER); // ARPHRD_NETLINK
  });
});

describe('sll: truncated buffer', () => {
  it('every prefix gives MALFORMED or a consistent result', () => {
    expectPrefixesConsistent(sll(ipv4({}, SEG)), 113);
    expectPrefixesConsistent(sll2(ipv6({}, SEG), 0x86dd), 276);
    expect(decode(sll(ipv4({}, SEG)).subarray(0, 15), 113).problem).toBe('Linux SLL header truncated (15 of 16 bytes)');
  });
});

describe('sll: impossible lengths', () => {
  it('IPv4 length inconsistent behind SLL', () => {
    const p = decode(sll(ipv4({ totalLength: 19 }, SEG)), 113);
    expect([p.kind, p.problem]).toEqual([KIND_MALFORMED, 'IPv4 total length 19 < header length 20']);
  });
});
