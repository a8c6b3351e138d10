import { describe, expect, it } from 'vitest';
import { cat, eth, ipv4 } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { formatAddress } from './address.js';
import { KIND_FRAGMENT, KIND_MALFORMED, KIND_OTHER, KIND_TCP } from './packet.js';

const SEG = tcp({ sport: 443, dport: 51000, seq: 77, flags: 'RA', payload: [1, 2, 3] });

describe('ipv4: known packet', () => {
  it('decodes addresses, TTL, ID and DF', () => {
    const p = decode(eth(ipv4({ src: '203.0.113.9', dst: '192.0.2.200', ttl: 57, id: 0xbeef, df: true }, SEG)), 1, true);
    expect(p).toMatchObject({ kind: KIND_TCP, ipVersion: 4, srcOff: 26, dstOff: 30, ttl: 57, ipId: 0xbeef, df: true, payloadLen: 3, checksumOk: true });
    expect(formatAddress(p.buf, p.srcOff, 4)).toBe('203.0.113.9');
    expect(formatAddress(p.buf, p.dstOff, 4)).toBe('192.0.2.200');
  });

  it('skips IPv4 options by the header length', () => {
    const p = decode(eth(ipv4({ options: [0x94, 4, 0, 0, 1, 1, 1, 0] }, SEG)), 1, true); // router alert, NOPs, EOL
    expect([p.kind, p.sport, p.payloadOff, p.payloadLen, p.checksumOk]).toEqual([KIND_TCP, 443, 14 + 28 + 20, 3, true]);
  });

  it('first fragment decodes the TCP header it has; later fragments are KIND_FRAGMENT', () => {
    const first = decode(eth(ipv4({ mf: true, id: 9 }, SEG)), 1, true);
    expect([first.kind, first.sport, first.ipId, first.checksumOk]).toEqual([KIND_TCP, 443, 9, null]);
    const later = decode(eth(ipv4({ fragOffset: 3, id: 9 }, [1, 2, 3, 4, 5, 6, 7, 8])));
    expect([later.kind, later.ipId, later.srcOff]).toEqual([KIND_FRAGMENT, 9, 26]);
  });

  it('total length 0 (TSO capture) uses the captured length', () => {
    const p = decode(eth(ipv4({ totalLength: 0 }, SEG)));
    expect([p.kind, p.payloadLen]).toEqual([KIND_TCP, 3]);
  });

  it('ignores Ethernet padding after the total length', () => {
    const p = decode(cat(eth(ipv4({}, tcp())), new Uint8Array(6)));
    expect([p.kind, p.payloadLen, p.capturedPayloadLen]).toEqual([KIND_TCP, 0, 0]);
  });

  it('non-TCP protocols are KIND_OTHER', () => {
    expect(decode(eth(ipv4({ proto: 132 }, [0, 0, 0, 0]))).kind).toBe(KIND_OTHER); // SCTP
  });
});

describe('ipv4: truncated buffer', () => {
  it('every prefix gives MALFORMED or a consistent result', () => {
    expectPrefixesConsistent(eth(ipv4({ options: [1, 1, 1, 1] }, SEG)));
    expectPrefixesConsistent(eth(ipv4({ mf: true }, SEG)));
  });

  it('names the truncation', () => {
    const f = eth(ipv4({ options: [1, 1, 1, 1] }, SEG));
    expect(decode(f.subarray(0, 20)).problem).toBe('IPv4 header truncated (6 of 20 bytes)');
    expect(decode(f.subarray(0, 36)).problem).toBe('IPv4 options truncated (22 of 24 bytes)');
  });
});

describe('ipv4: impossible length fields', () => {
  it('total length below the header length', () => {
    const p = decode(eth(ipv4({ totalLength: 12 }, SEG)));
    expect([p.kind, p.problem]).toEqual([KIND_MALFORMED, 'IPv4 total length 12 < header length 20']);
  });

  it('header length below 20', () => {
    expect(decode(eth(ipv4({ ihl: 4 }, SEG))).problem).toBe('IPv4 header length 16 < 20');
  });

  it('wrong version', () => {
    const f = eth(ipv4({}, SEG));
    f[14] = 0x65;
    expect(decode(f).problem).toBe('IPv4 version field 6');
  });

  it('header length longer than the captured packet', () => {
    expect(decode(eth(ipv4({ ihl: 15 }, [0, 0, 0, 0]))).problem).toBe('IPv4 options truncated (24 of 60 bytes)');
  });
});

describe('ipv4: option edge cases', () => {
  it('a full 40 bytes of options', () => {
    const p = decode(eth(ipv4({ options: new Array<number>(40).fill(1) }, SEG)), 1, true);
    expect([p.kind, p.payloadOff, p.checksumOk]).toEqual([KIND_TCP, 14 + 60 + 20, true]);
  });
});
