import { describe, expect, it } from 'vitest';
import { cat, eth, ipv4, ipv6, vlan } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp, udp } from '../../test/build/packet-transport.js';
import { geneve, gre, gtpu, pptpGre, teredo, vxlan } from '../../test/build/packet-tunnels.js';
import { KIND_MALFORMED, KIND_OTHER, KIND_TCP } from './packet.js';

const SEG = tcp({ sport: 8080, dport: 50123, seq: 99, flags: 'RA', payload: [1, 2, 3, 4] });
const IN4 = ipv4({ src: '10.1.1.1', dst: '10.2.2.2', ttl: 9 }, SEG);
const IN6 = ipv6({ src: '2001:db8::1', dst: '2001:db8::2', hopLimit: 9 }, SEG);
const OUTER = { src: '192.0.2.10', dst: '192.0.2.20' };
const overUdp = (payload: Uint8Array, sport: number, dport: number) => eth(ipv4({ ...OUTER, proto: 17 }, udp(payload, sport, dport)));

/** The inner segment decoded, in the given tunnel chain, with this streamless verdict. */
function expectInner(frame: Uint8Array, tunnel: string, streamless: boolean, ipVersion: 4 | 6 = 4) {
  const p = decode(frame, 1, true);
  expect(p, p.problem).toMatchObject({ kind: KIND_TCP, tunnel, streamless, ipVersion, ttl: 9, sport: 8080, dport: 50123, seq: 99, payloadLen: 4, checksumOk: true });
  expect(p.srcOff).toBe(frame.length - SEG.length - (ipVersion === 4 ? 8 : 32));
  return p;
}

describe('tunnels: known packets', () => {
  it('IP-in-IP: ipip, 6in4, 4in6, 6in6 (tshark decodes all)', () => {
    expectInner(eth(ipv4({ ...OUTER, proto: 4 }, IN4)), 'ipip', false);
    expectInner(eth(ipv4({ ...OUTER, proto: 41 }, IN6)), '6in4', false, 6);
    expectInner(eth(ipv6({ next: 4 }, IN4), { type: 0x86dd }), '4in6', false);
    expectInner(eth(ipv6({ next: 41 }, IN6), { type: 0x86dd }), '6in6', false, 6);
  });

  it('GRE with IPv4, IPv6 and transparent Ethernet bridging', () => {
    expectInner(eth(ipv4({ ...OUTER, proto: 47 }, gre(IN4))), 'gre', false);
    expectInner(eth(ipv4({ ...OUTER, proto: 47 }, gre(IN6, { protocol: 0x86dd, checksum: true, key: 7, seq: 1 }))), 'gre', false, 6);
    expectInner(eth(ipv4({ ...OUTER, proto: 47 }, gre(eth(vlan(IN4, 3), { type: 0x8100 }), { protocol: 0x6558, key: 1 }))), 'gre', false);
    expectInner(eth(ipv6({ next: 47 }, gre(IN4)), { type: 0x86dd }), 'gre', false);
  });

  it('VXLAN: 4789 decoded by tshark, 8472 not (streamless)', () => {
    expectInner(overUdp(vxlan(eth(IN4)), 51515, 4789), 'vxlan', false);
    expectInner(overUdp(vxlan(eth(IN6, { type: 0x86dd })), 4789, 51515), 'vxlan', false, 6);
    expectInner(overUdp(vxlan(eth(IN4)), 51515, 8472), 'vxlan', true);
  });

  it('a lower well-known port shadows the tunnel port, as in tshark', () => {
    expectInner(overUdp(vxlan(eth(IN4)), 53, 4789), 'vxlan', true);
    expectInner(overUdp(gtpu(IN4), 2152, 6081), 'gtp-u', false); // both are tunnel ports: the lower wins
  });

  it('Geneve with Ethernet, IPv4 and IPv6 payloads and options', () => {
    expectInner(overUdp(geneve(eth(IN4)), 40000, 6081), 'geneve', false);
    expectInner(overUdp(geneve(IN4, 0x0800), 40000, 6081), 'geneve', false);
    expectInner(overUdp(geneve(IN6, 0x86dd, [0x01, 0x02, 0x03, 0x01, 0xa, 0xb, 0xc, 0xd]), 40000, 6081), 'geneve', false, 6);
  });

  it('GTP-U T-PDUs, with sequence number and extension headers', () => {
    expectInner(overUdp(gtpu(IN4), 2152, 2152), 'gtp-u', false);
    expectInner(overUdp(gtpu(IN6, { seq: 5 }), 5906, 2152), 'gtp-u', false, 6);
    expectInner(overUdp(gtpu(IN4, { ext: [[0x85, [0x10, 0x05]], [0xc0, [1, 2, 3, 4, 5, 6]]] }), 2152, 2152), 'gtp-u', false);
    expect(decode(overUdp(gtpu([], { type: 1 }), 2152, 2152)).kind).toBe(KIND_OTHER); // echo request
  });

  it('Teredo on 3544 (decoded) and on other ports (heuristic, streamless)', () => {
    expectInner(overUdp(teredo(IN6), 3544, 61000), 'teredo', false, 6);
    expectInner(overUdp(teredo(IN6, { origin: true }), 3544, 61000), 'teredo', false, 6);
    expectInner(overUdp(teredo(IN6, { auth: { id: [1, 2, 3], value: [4, 5] }, origin: true }), 61000, 3544), 'teredo', false, 6);
    expectInner(overUdp(teredo(IN6), 3797, 32900), 'teredo', true, 6);
    expect(decode(overUdp(cat(IN6, [0]), 3797, 32900)).kind).toBe(KIND_OTHER); // length does not match
    expect(decode(overUdp(new Uint8Array(60), 3797, 32900)).kind).toBe(KIND_OTHER);
  });

  it('nested tunnels join with "+" outermost first; any undecoded layer makes the inner streamless', () => {
    expectInner(eth(ipv4({ proto: 47 }, gre(ipv4({ proto: 17 }, udp(vxlan(eth(IN4)), 50000, 4789))))), 'gre+vxlan', false);
    expectInner(overUdp(vxlan(eth(ipv4({ proto: 17 }, udp(gtpu(IN4), 2152, 2152)))), 50000, 8472), 'vxlan+gtp-u', true);
  });

  it('a UDP tunnel in a first IP fragment is decoded from the inner lengths', () => {
    const dgram = udp(gtpu(IN4), 2152, 2152);
    const frame = eth(ipv4({ ...OUTER, proto: 17, mf: true }, dgram.subarray(0, dgram.length - 4)));
    const p = decode(frame, 1, true);
    expect(p).toMatchObject({ kind: KIND_TCP, tunnel: 'gtp-u', payloadLen: 4, capturedPayloadLen: 0, checksumOk: null });
  });

  it('GRE version 1 (PPTP): PPP inside, with or without sequence/acknowledgement and address/control', () => {
    expectInner(eth(ipv4({ ...OUTER, proto: 47 }, pptpGre(cat([0xff, 0x03, 0x00, 0x21], IN4), { seq: 1, ack: 0 }))), 'gre', false);
    expectInner(eth(ipv4({ ...OUTER, proto: 47 }, pptpGre(cat([0x21], IN4)))), 'gre', false);
    const ackOnly = decode(eth(ipv4({ proto: 47 }, pptpGre([], { ack: 5 }))));
    expect([ackOnly.kind, ackOnly.undecoded]).toEqual([KIND_OTHER, '']);
    const noKey = decode(eth(ipv4({ proto: 47 }, gre(IN4, { version: 1, protocol: 0x880b }))));
    expect([noKey.kind, noKey.undecoded]).toEqual([KIND_OTHER, 'GRE version 1 (not PPTP)']);
  });

  it('GRE: WCCP redirect with and without its header; an unknown protocol or version is named as undecoded', () => {
    expectInner(eth(ipv4({ ...OUTER, proto: 47 }, gre(IN4, { protocol: 0x883e }))), 'gre', false);
    expectInner(eth(ipv4({ ...OUTER, proto: 47 }, gre(cat([0, 0, 0, 0], IN4), { protocol: 0x883e }))), 'gre', false);
    const eoip = decode(eth(ipv4({ proto: 47 }, gre(IN4, { protocol: 0x6400, key: 1 }))));
    expect([eoip.kind, eoip.undecoded]).toEqual([KIND_OTHER, 'GRE protocol 0x6400']);
    const v2 = decode(eth(ipv4({ proto: 47 }, gre(IN4, { version: 2 }))));
    expect([v2.kind, v2.undecoded]).toEqual([KIND_OTHER, 'GRE version 0x0002']);
    const keepalive = decode(eth(ipv4({ proto: 47 }, gre([], { protocol: 0 }))));
    expect([keepalive.kind, keepalive.undecoded, keepalive.tunnel]).toEqual([KIND_OTHER, '', '']);
  });
});

describe('tunnels: truncated buffer', () => {
  it('every prefix gives MALFORMED or a consistent result', () => {
    expectPrefixesConsistent(eth(ipv4({ proto: 4 }, IN4)));
    expectPrefixesConsistent(eth(ipv4({ proto: 47 }, gre(eth(IN4), { protocol: 0x6558, checksum: true, key: 1, seq: 2 }))));
    expectPrefixesConsistent(overUdp(vxlan(eth(IN4)), 50000, 4789));
    expectPrefixesConsistent(overUdp(geneve(IN6, 0x86dd, [1, 2, 3, 1, 0, 0, 0, 0]), 50000, 6081));
    expectPrefixesConsistent(overUdp(gtpu(IN4, { seq: 1, ext: [[0x85, [1, 2]]] }), 2152, 2152));
    expectPrefixesConsistent(overUdp(teredo(IN6, { auth: { id: [1], value: [2] }, origin: true }), 3544, 50000));
    // The heuristic needs the IPv6 version and payload length (6 bytes) before it can recognise Teredo.
    expectPrefixesConsistent(overUdp(teredo(IN6), 3797, 32900), 1, 14 + 20 + 8 + 6);
  });
});

describe('tunnels: impossible length fields', () => {
  it('UDP lengths', () => {
    expect(decode(eth(ipv4({ proto: 17 }, udp(vxlan(eth(IN4)), 1, 4789, 6)))).problem).toBe('UDP length 6 < 8');
    expect(decode(eth(ipv4({ proto: 17 }, udp([], 1, 4789, 200)))).problem).toBe('UDP length 200 > IP payload length 8');
  });

  it('inner IP longer than the tunnel payload', () => {
    const inner = ipv4({ totalLength: 400 }, SEG);
    expect(decode(overUdp(vxlan(eth(inner)), 50000, 4789)).problem).toBe('IPv4 total length 400 > 44 bytes left in the enclosing layer');
  });

  it('GTP-U lengths', () => {
    const g = gtpu(IN4);
    g[3] = 200; // length field
    expect(decode(overUdp(g, 2152, 2152)).problem).toBe(`GTP-U length 200 > UDP payload ${IN4.length}`);
    const zero = gtpu(IN4, { ext: [[0x85, [1, 2]]] });
    zero[12] = 0; // first extension header's length
    expect(decode(overUdp(zero, 2152, 2152)).problem).toBe('GTP-U extension header length 0');
  });

  it('Geneve options longer than the payload', () => {
    const g = geneve([], 0x0800);
    g[0] = 10; // 40 bytes of options claimed
    expect(decode(overUdp(g, 50000, 6081)).problem).toBe('Geneve options run past the UDP payload');
  });

  it('nesting deeper than 8 tunnels', () => {
    let pkt = IN4;
    for (let i = 0; i < 9; i++) pkt = ipv4({ proto: 4, ttl: 9 }, pkt);
    expect(decode(eth(pkt)).problem).toBe('tunnel nesting deeper than 8');
    let ok = IN4;
    for (let i = 0; i < 8; i++) ok = ipv4({ proto: 4 }, ok);
    expect(decode(eth(ok)).tunnel).toBe(new Array(8).fill('ipip').join('+'));
  });
});

describe('tunnels: optional-field edge cases', () => {
  it('GRE routing (RFC 1701 source route entries, ending with a null SRE)', () => {
    // flags R|C (0xc000), protocol, checksum+offset (4), SRE: family 0x0800, offset 0, length 4, one address, null SRE.
    const withRouting = cat([0xc0, 0x00, 0x08, 0x00], [0, 0, 0, 0], [0x08, 0x00, 0, 4, 1, 2, 3, 4], [0, 0, 0, 0], IN4);
    expectInner(eth(ipv4({ proto: 47 }, withRouting)), 'gre', false);
    const endless = cat([0x40, 0x00, 0x08, 0x00], [0, 0, 0, 0], [0x08, 0x00, 0, 4, 1, 2, 3, 4]);
    expect(decode(eth(ipv4({ proto: 47 }, endless))).problem).toBe('GRE routing field truncated');
  });

  it('GTP-U optional fields present without E still skip 4 bytes', () => {
    expectInner(overUdp(gtpu(IN4, { seq: 0xffff }), 2152, 2152), 'gtp-u', false);
  });

  it('Teredo bubble (IPv6 with no next header) is KIND_OTHER in a teredo tunnel', () => {
    const p = decode(overUdp(ipv6({ next: 59 }, []), 3544, 3797));
    expect([p.kind, p.tunnel]).toEqual([KIND_OTHER, 'teredo']);
  });

  it('non-tunnel UDP is KIND_OTHER with no tunnel', () => {
    const p = decode(overUdp(new Uint8Array(30), 5353, 5353));
    expect([p.kind, p.tunnel, p.streamless]).toEqual([KIND_OTHER, '', false]);
  });

  it('a truncated VXLAN header is malformed', () => {
    expect(decode(overUdp(new Uint8Array(4), 50000, 4789)).problem).toBe('VXLAN header truncated');
    expect(decode(overUdp(new Uint8Array(4), 50000, 4789)).kind).toBe(KIND_MALFORMED);
  });
});
