import { describe, expect, it } from 'vitest';
import { cat, eth, hex, ipv4, ipv6 } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { formatAddress } from './address.js';
import { KIND_MALFORMED, KIND_OTHER, KIND_TCP } from './packet.js';

// arkime_synthetic.pcap frame 307: NSH (MD type 1, length 6 words, next protocol IPv4) / ICMP echo.
const NSH_ICMP = hex(`001122334443001122334442894f0fc601010045001c0000000000000000000000000000000045000027000100004001
  e581c0a80a01c0a80a020800643c000000006e7368207061796c6f6164`);

/** NSH: version 0, TTL 63, length in 4-byte words, MD type 2, next protocol; service path; context headers. */
const nsh = (next: number, payload: Uint8Array, contextWords = 0) =>
  cat([0x0f, 0xc0 | (2 + contextWords), 0x02, next], [0, 0, 1, 255], new Array<number>(contextWords * 4).fill(0), payload);
const SEG = tcp({ sport: 1111, dport: 80, flags: 'R' });

describe('nsh', () => {
  it('decodes a real NSH packet (ICMP inside: not TCP, the inner IPv4 is reached)', () => {
    const p = decode(NSH_ICMP, 1, true);
    expect([p.kind, p.undecoded]).toEqual([KIND_OTHER, '']);
  });

  it('IPv4, IPv6 and Ethernet inside, with context headers; unknown next protocols are named', () => {
    const v4 = decode(eth(nsh(1, ipv4({ src: '10.0.0.1' }, SEG), 4), { type: 0x894f }));
    expect(v4.kind).toBe(KIND_TCP);
    expect(formatAddress(v4.buf, v4.srcOff, 4)).toBe('10.0.0.1');
    expect(decode(eth(nsh(2, ipv6({}, SEG)), { type: 0x894f })).ipVersion).toBe(6);
    expect(decode(eth(nsh(3, eth(ipv4({}, SEG))), { type: 0x894f })).kind).toBe(KIND_TCP);
    expect(decode(eth(nsh(0x42, ipv4({}, SEG)), { type: 0x894f })).undecoded).toBe('NSH next protocol 0x0042');
  });

  it('a length below 2 words is malformed; truncations are malformed or consistent', () => {
    const bad = eth(nsh(1, ipv4({}, SEG)), { type: 0x894f });
    bad[15] = 0xc1;
    expect(decode(bad).kind).toBe(KIND_MALFORMED);
    expect(expectPrefixesConsistent(eth(nsh(1, ipv4({}, SEG), 4), { type: 0x894f }))).toBeGreaterThan(0);
  });
});
