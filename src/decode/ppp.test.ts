import { describe, expect, it } from 'vitest';
import { eth, hex, ipv4, ipv6, vlan } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { pppoe } from '../../test/build/packet-tunnels.js';
import { formatAddress } from './address.js';
import { KIND_MALFORMED, KIND_OTHER, KIND_TCP, RST, ACK } from './packet.js';

// PcapPlusPlus one_http_stream_rst.pcap frame 10: HTTP over PPPoE in QinQ (802.1Q 3, 802.1Q 2), the closing RST:
// 10.3.65.35.5068 > 185.8.212.46.80: Flags [R.], seq 1037, ack 602, win 0, length 0
const PPPOE_QINQ_RST = hex(`442b03cd52006cf049d4fea8810003ab810002e888641100dde5002a002145000028363640008006ec3c
  0a034123b908d42e13cc00509cd2e253cd8ef6a2501400007fff0000`);

const SEG = tcp({ sport: 40000, dport: 443, flags: 'S' });
const V4 = ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }, SEG);
const V6 = ipv6({ src: '2001:db8::1', dst: '2001:db8::2' }, SEG);

describe('pppoe: known packets', () => {
  it('decodes a real RST in a PPPoE session inside QinQ VLANs', () => {
    const p = decode(PPPOE_QINQ_RST, 1, true);
    expect(p, p.problem).toMatchObject({ kind: KIND_TCP, sport: 5068, dport: 80, flags: RST | ACK, window: 0, checksumOk: true, tunnel: '' });
    expect(formatAddress(p.buf, p.srcOff, 4)).toBe('10.3.65.35');
  });

  it('IPv4 and IPv6 in a PPPoE session, with and without VLAN tags', () => {
    expect(decode(eth(pppoe(V4), { type: 0x8864 })).kind).toBe(KIND_TCP);
    expect(decode(eth(pppoe(V6, 0x0057), { type: 0x8864 })).ipVersion).toBe(6);
    expect(decode(eth(vlan(pppoe(V4), 10, 0x8864), { type: 0x8100 })).kind).toBe(KIND_TCP);
  });

  it('PPP control protocols are not TCP; an unknown network protocol is named as undecoded', () => {
    const lcp = decode(eth(pppoe([1, 1, 0, 4], 0xc021), { type: 0x8864 }));
    expect([lcp.kind, lcp.undecoded]).toEqual([KIND_OTHER, '']);
    const compressed = decode(eth(pppoe([1, 2, 3, 4], 0x00fd), { type: 0x8864 }));
    expect([compressed.kind, compressed.undecoded]).toEqual([KIND_OTHER, 'PPP protocol 0x00fd']);
  });

  it('a PPPoE length without room for the PPP protocol is malformed; every truncation is malformed or consistent', () => {
    const bad = eth(pppoe(V4), { type: 0x8864 });
    bad[14 + 4] = 0;
    bad[14 + 5] = 1;
    expect([decode(bad).kind, decode(bad).problem]).toEqual([KIND_MALFORMED, 'PPPoE length 1 < 2']);
    expect(expectPrefixesConsistent(PPPOE_QINQ_RST)).toBeGreaterThan(0);
    expect(expectPrefixesConsistent(eth(pppoe(V6, 0x0057), { type: 0x8864 }))).toBeGreaterThan(0);
  });
});
