import { describe, expect, it } from 'vitest';
import { ipv4, ipv6, loopback } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { KIND_MALFORMED, KIND_OTHER, KIND_TCP } from './packet.js';

const V4 = ipv4({ src: '127.0.0.1', dst: '127.0.0.1' }, tcp({ sport: 110, dport: 50000, flags: 'RA' }));
const V6 = ipv6({ src: '::1', dst: '::1' }, tcp({ sport: 110, dport: 50000 }));

describe('null/loop: known packets', () => {
  it('AF_INET in host (little-endian) and network byte order, both link types', () => {
    for (const lt of [0, 108]) {
      for (const le of [true, false]) {
        const p = decode(loopback(V4, 2, le), lt, true);
        expect([p.kind, p.srcOff, p.sport, p.checksumOk]).toEqual([KIND_TCP, 4 + 12, 110, true]);
      }
    }
  });

  it('AF_INET6 as 24, 28 and 30', () => {
    for (const family of [24, 28, 30]) {
      expect(decode(loopback(V6, family, true), 0).ipVersion).toBe(6);
      expect(decode(loopback(V6, family, false), 108).kind).toBe(KIND_TCP);
    }
  });

  it('other families are KIND_OTHER', () => {
    expect(decode(loopback(V4, 7, true), 0).kind).toBe(KIND_OTHER);
  });
});

describe('null/loop: truncated buffer', () => {
  it('every prefix gives MALFORMED or a consistent result', () => {
    expectPrefixesConsistent(loopback(V4, 2, true), 0);
    expectPrefixesConsistent(loopback(V6, 30, false), 108);
    expect(decode(new Uint8Array([2, 0]), 0).problem).toBe('loopback header truncated (2 of 4 bytes)');
  });
});

describe('null/loop: impossible lengths', () => {
  it('an IPv6 payload length past the packet is fine (snaplen) but a bad version is not', () => {
    expect(decode(loopback(ipv6({ payloadLength: 4000 }, tcp()), 30, true), 0).kind).toBe(KIND_TCP);
    expect(decode(loopback(V4, 30, true), 0)).toMatchObject({ kind: KIND_MALFORMED, problem: 'IPv6 version field 4' });
  });
});
