import { describe, expect, it } from 'vitest';
import { eth, ipv4, ipv6 } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { KIND_MALFORMED, KIND_TCP, KIND_UNSUPPORTED_LINK } from './packet.js';

const V4 = ipv4({}, tcp({ sport: 1000, dport: 2000, flags: 'S' }));
const V6 = ipv6({}, tcp({ sport: 1000, dport: 2000, flags: 'S' }));

describe('linktype: dispatch', () => {
  it('raw IP link types 101, 12 and 14 pick the version from the first nibble', () => {
    for (const lt of [101, 12, 14]) {
      expect(decode(V4, lt)).toMatchObject({ kind: KIND_TCP, ipVersion: 4, srcOff: 12 });
      expect(decode(V6, lt)).toMatchObject({ kind: KIND_TCP, ipVersion: 6, srcOff: 8 });
    }
  });

  it('228 is IPv4 only, 229 IPv6 only', () => {
    expect(decode(V4, 228).kind).toBe(KIND_TCP);
    expect(decode(V6, 229).kind).toBe(KIND_TCP);
    expect(decode(V6, 228).problem).toBe('IPv4 version field 6');
  });

  it('Ethernet is link type 1; unknown link types are KIND_UNSUPPORTED_LINK', () => {
    expect(decode(eth(V4), 1).kind).toBe(KIND_TCP);
    const p = decode(eth(V4), 147); // LINKTYPE_USER0
    expect([p.kind, p.problem]).toEqual([KIND_UNSUPPORTED_LINK, 'unsupported link type 147']);
  });
});

describe('linktype: truncated buffer', () => {
  it('every prefix of raw packets gives MALFORMED or a consistent result', () => {
    expectPrefixesConsistent(V4, 101);
    expectPrefixesConsistent(V6, 229);
    expect(decode(new Uint8Array(0), 101).problem).toBe('raw IP packet is empty');
  });
});

describe('linktype: impossible fields', () => {
  it('raw IP with a version that is neither 4 nor 6', () => {
    const p = decode(new Uint8Array([0x50, 0, 0, 0]), 101);
    expect([p.kind, p.problem]).toEqual([KIND_MALFORMED, 'raw IP version 5 (not 4 or 6)']);
  });
});
