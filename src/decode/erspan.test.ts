import { describe, expect, it } from 'vitest';
import { eth, hex, ipv4 } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { erspan2, erspan3, gre } from '../../test/build/packet-tunnels.js';
import { formatAddress } from './address.js';
import { KIND_MALFORMED, KIND_OTHER, KIND_TCP, RST } from './packet.js';

// suricata-verify bug-5437-02 frame 5: GRE (sequence 0) / ERSPAN type II (session 5) / Ethernet / IPv4:
// 41.108.52.138.34048 > 40.110.35.23.80: Flags [R], seq 851733539, win 0, length 0
const ERSPAN_II_RST = hex(`0000000000000cd0f88c677d08004500005a4d3d0000fe2f143de62fd28c00ebef4a100088be0000000010070005
  00000012002052ff03023817e1ed0b290800450000280000400030066ba9296c348a286e23178500005032c46c2300000000
  50040000ac810000000000000000`);

const INNER = eth(ipv4({ src: '10.9.0.1', dst: '10.9.0.2' }, tcp({ sport: 1234, dport: 80, flags: 'R' })));
const overGre = (payload: Uint8Array) => eth(ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 47 }, payload));

describe('erspan: known packets', () => {
  it('decodes a real RST mirrored by ERSPAN type II', () => {
    const p = decode(ERSPAN_II_RST, 1, true);
    expect(p, p.problem).toMatchObject({ kind: KIND_TCP, sport: 34048, dport: 80, flags: RST, tunnel: 'gre+erspan', streamless: false });
    expect(formatAddress(p.buf, p.srcOff, 4)).toBe('41.108.52.138');
  });

  it('type I (0x88be without a GRE sequence number) is the bare Ethernet frame', () => {
    expect(decode(overGre(gre(INNER, { protocol: 0x88be }))).kind).toBe(KIND_TCP);
  });

  it('type III (0x22eb), with and without the platform-specific subheader', () => {
    expect(decode(overGre(gre(erspan3(INNER), { protocol: 0x22eb, seq: 1 }))).kind).toBe(KIND_TCP);
    expect(decode(overGre(gre(erspan3(INNER, { platform: true }), { protocol: 0x22eb, seq: 1 }))).kind).toBe(KIND_TCP);
    expect(decode(overGre(gre(erspan3(INNER), { protocol: 0x88be, seq: 1 }))).kind).toBe(KIND_TCP);
  });

  it('an unknown version or frame type is named as undecoded', () => {
    const v3 = gre(erspan2(INNER), { protocol: 0x88be, seq: 1 });
    v3[8] = 0x30; // version 3
    expect([decode(overGre(v3)).kind, decode(overGre(v3)).undecoded]).toEqual([KIND_OTHER, 'ERSPAN version 0x0003']);
    const ip = decode(overGre(gre(erspan3(INNER, { frameType: 2 }), { protocol: 0x22eb, seq: 1 })));
    expect([ip.kind, ip.undecoded]).toEqual([KIND_OTHER, 'ERSPAN type III frame type 0x0002']);
  });

  it('truncations are malformed or consistent', () => {
    expect(expectPrefixesConsistent(ERSPAN_II_RST)).toBeGreaterThan(0);
    expect(expectPrefixesConsistent(overGre(gre(erspan3(INNER, { platform: true }), { protocol: 0x22eb, seq: 1 })))).toBeGreaterThan(0);
    expect(decode(ERSPAN_II_RST.subarray(0, 44)).kind).toBe(KIND_MALFORMED);
  });
});
