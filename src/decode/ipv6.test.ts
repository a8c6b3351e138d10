import { describe, expect, it } from 'vitest';
import { cat, eth, ext6, frag6, ipv4, ipv6 } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp, udp } from '../../test/build/packet-transport.js';
import { formatAddress } from './address.js';
import { KIND_FRAGMENT, KIND_MALFORMED, KIND_OTHER, KIND_TCP } from './packet.js';

const SEG = tcp({ sport: 22, dport: 60000, seq: 5, flags: 'R', payload: [7, 7] });
const v6 = (o: Parameters<typeof ipv6>[0], payload: Uint8Array) => eth(ipv6(o, payload), { type: 0x86dd });

/** AH: next, length in 4-byte units minus 2 (16 bytes -> 2), reserved (2), SPI (4), sequence (4), ICV (4 here). */
function ah(next: number, payload: Uint8Array): Uint8Array {
  return cat([next, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0xaa, 0xbb, 0xcc, 0xdd], payload);
}

describe('ipv6: known packet', () => {
  it('decodes addresses and hop limit', () => {
    const p = decode(v6({ src: 'fe80::1', dst: '2001:db8:0:0:1::9', hopLimit: 3 }, SEG), 1, true);
    expect(p).toMatchObject({ kind: KIND_TCP, ipVersion: 6, srcOff: 22, dstOff: 38, ttl: 3, ipId: -1, df: false, payloadLen: 2, checksumOk: true });
    expect(formatAddress(p.buf, p.srcOff, 6)).toBe('fe80::1');
    expect(formatAddress(p.buf, p.dstOff, 6)).toBe('2001:db8::1:0:0:9');
  });

  it('walks hop-by-hop, routing, destination options, AH and mobility headers', () => {
    // hop-by-hop (0) -> routing (43) -> destination options (60) -> AH (51) -> mobility (135) -> TCP
    const chain = ext6(43, ext6(60, ext6(51, ah(135, ext6(6, SEG)), 1), 2));
    const p = decode(v6({ next: 0 }, chain));
    expect([p.kind, p.payloadOff]).toEqual([KIND_TCP, 14 + 40 + 8 + 24 + 16 + 16 + 8 + 20]);
    const direct = decode(v6({ next: 0 }, ext6(51, ah(6, SEG))));
    expect([direct.kind, direct.sport, direct.payloadLen]).toEqual([KIND_TCP, 22, 2]);
  });

  it('first fragment decodes TCP; non-first fragment is KIND_FRAGMENT', () => {
    const first = decode(v6({ next: 44 }, frag6(6, SEG, 0, true)), 1, true);
    expect([first.kind, first.sport, first.checksumOk]).toEqual([KIND_TCP, 22, null]);
    const later = decode(v6({ next: 44 }, frag6(6, new Uint8Array(16), 2, false)));
    expect(later.kind).toBe(KIND_FRAGMENT);
    const atomic = decode(v6({ next: 44 }, frag6(6, SEG, 0, false))); // RFC 6946 atomic fragment
    expect(atomic.kind).toBe(KIND_TCP);
  });

  it('payload length 0 (jumbogram / TSO) uses the captured length', () => {
    expect(decode(v6({ payloadLength: 0 }, SEG)).payloadLen).toBe(2);
  });

  it('no next header and UDP are KIND_OTHER', () => {
    expect(decode(v6({ next: 59 }, new Uint8Array(0))).kind).toBe(KIND_OTHER);
    expect(decode(v6({ next: 17 }, udp([1, 2], 53, 5353))).kind).toBe(KIND_OTHER);
  });
});

describe('ipv6: truncated buffer', () => {
  it('every prefix gives MALFORMED or a consistent result', () => {
    expectPrefixesConsistent(v6({}, SEG));
    expectPrefixesConsistent(v6({ next: 0 }, ext6(44, frag6(51, ah(6, SEG), 0, true), 1)));
  });
});

describe('ipv6: impossible length fields', () => {
  it('extension header longer than the payload', () => {
    const p = decode(v6({ next: 60 }, ext6(6, SEG, 10).subarray(0, 8 + SEG.length)));
    expect([p.kind, p.problem]).toEqual([KIND_MALFORMED, 'IPv6 extension header 60 length 88 runs past the payload']);
  });

  it('payload length beyond the enclosing tunnel', () => {
    const inner = ipv6({ payloadLength: 200 }, SEG);
    const p = decode(eth(ipv4({ proto: 41 }, inner)));
    expect(p.problem).toBe('IPv6 payload length 200 > 22 bytes left in the enclosing layer');
  });

  it('wrong version', () => {
    const f = v6({}, SEG);
    f[14] = 0x40;
    expect(decode(f).problem).toBe('IPv6 version field 4');
  });
});

describe('ipv6: extension chain edge cases', () => {
  it('16 extension headers are fine, 17 are malformed', () => {
    const chain = (n: number): Uint8Array => {
      let body: Uint8Array = SEG;
      let next = 6;
      for (let i = 0; i < n; i++) {
        body = ext6(next, body);
        next = 60;
      }
      return v6({ next }, body);
    };
    expect(decode(chain(16)).kind).toBe(KIND_TCP);
    const p = decode(chain(17));
    expect([p.kind, p.problem]).toEqual([KIND_MALFORMED, 'IPv6 extension header chain longer than 16']);
  });

  it('extension header cut by the payload length', () => {
    const p = decode(v6({ next: 0, payloadLength: 1 }, ext6(6, SEG)));
    expect(p.problem).toBe('IPv6 extension header 0 truncated');
  });
});
