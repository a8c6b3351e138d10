import { describe, expect, it } from 'vitest';
import { eth, ext6, fabricPath, frag6, ipv4, ipv6, loopback, mpls, sll, sll2, vlan } from '../../test/build/packet-builders.js';
import { decode } from '../../test/build/packet-decode.js';
import { icmp4, icmp6, opt, tcp, udp } from '../../test/build/packet-transport.js';
import { geneve, gre, gtpu, teredo, vxlan } from '../../test/build/packet-tunnels.js';
import { decodePacket } from './decode-packet.js';
import { KIND_OTHER, KIND_TCP, newPacket } from './packet.js';
import { prng } from '../../test/build/prng.js';

const SEG = tcp({ flags: 'SA', options: [...opt.mss(1460), ...opt.sackPerm(), ...opt.ts(1, 2), ...opt.nop(), ...opt.ws(7)], payload: [1, 2, 3] });
const IN4 = ipv4({}, SEG);
const IN6 = ipv6({}, SEG);
const over = (p: Uint8Array, sport: number, dport: number) => eth(ipv4({ proto: 17 }, udp(p, sport, dport)));

/** A corpus of valid frames covering every decoder, with their link types. */
const CORPUS: Array<[Uint8Array, number]> = [
  [eth(IN4), 1], [eth(IN6, { type: 0x86dd }), 1], [eth(vlan(vlan(IN4, 2), 1, 0x8100), { type: 0x88a8 }), 1],
  [eth(mpls(IN6, [1, 2]), { type: 0x8847 }), 1], [fabricPath(eth(IN4)), 1], [sll(IN4), 113], [sll2(IN6, 0x86dd), 276],
  [loopback(IN4, 2, true), 0], [loopback(IN6, 30, false), 108], [IN4, 101], [IN6, 229],
  [eth(ipv6({ next: 0 }, ext6(44, frag6(6, SEG, 0, true))), { type: 0x86dd }), 1],
  [eth(ipv4({ proto: 1 }, icmp4(3, 4, IN4.subarray(0, 28), 576))), 1],
  [eth(ipv6({ next: 58 }, icmp6(2, 0, IN6.subarray(0, 48), 1280)), { type: 0x86dd }), 1],
  [eth(ipv4({ proto: 4 }, IN4)), 1], [eth(ipv4({ proto: 47 }, gre(eth(IN4), { protocol: 0x6558, key: 1, seq: 2, checksum: true }))), 1],
  [over(vxlan(eth(IN4)), 5000, 4789), 1], [over(geneve(IN6, 0x86dd, [1, 2, 3, 1, 0, 0, 0, 0]), 5000, 6081), 1],
  [over(gtpu(IN4, { seq: 3, ext: [[0x85, [1, 2]]] }), 2152, 2152), 1], [over(teredo(IN6, { auth: { id: [1], value: [2] }, origin: true }), 3544, 9999), 1],
  [over(teredo(IN6), 3797, 32900), 1],
];

describe('decodePacket', () => {
  it('decodes every corpus frame as TCP-bearing', () => {
    for (const [frame, lt] of CORPUS) {
      const p = decode(frame, lt, true);
      expect(p.problem).toBe('');
      expect([1, 2]).toContain(p.kind);
    }
  });

  it('resets every field between packets', () => {
    const out = newPacket();
    decodePacket(eth(ipv4({ proto: 1 }, icmp4(3, 4, IN4.subarray(0, 28), 576))), 1, out, { verifyChecksums: true });
    decodePacket(over(vxlan(eth(IN4)), 5000, 8472), 1, out, { verifyChecksums: true });
    expect(out).toMatchObject({ tunnel: 'vxlan', streamless: true, icmpType: -1, icmpMtu: -1, mss: 1460 });
    const arp = eth(new Uint8Array(28), { type: 0x0806 });
    decodePacket(arp, 1, out, { verifyChecksums: false });
    expect({ ...out, buf: null }).toEqual({ ...newPacket(), buf: null });
    expect(out.buf).toBe(arp);
  });

  it('reads through one DataView per buffer, at any byte offset', () => {
    const frame = eth(IN4);
    const backing = new Uint8Array(4096);
    const out = newPacket();
    for (const at of [0, 1, 333, 4096 - frame.length]) {
      backing.fill(0xee);
      backing.set(frame, at);
      decodePacket(backing.subarray(at, at + frame.length), 1, out, { verifyChecksums: true });
      expect([out.kind, out.sport, out.checksumOk, out.srcOff]).toEqual([KIND_TCP, 40000, true, 26]);
    }
    decodePacket(frame, 1, out, { verifyChecksums: true }); // a different ArrayBuffer: a new view
    expect(out.checksumOk).toBe(true);
    expect(decode(new Uint8Array(0)).kind).toBe(5);
  });

  it('never throws on mutated or truncated frames (fuzz)', () => {
    const rand = prng(0x5eed);
    const out = newPacket();
    let tcp = 0;
    for (let i = 0; i < 20000; i++) {
      const [orig, lt] = CORPUS[i % CORPUS.length]!;
      const f = Uint8Array.from(orig.subarray(0, Math.floor(rand() * (orig.length + 1))));
      const flips = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < flips && f.length > 0; k++) f[Math.floor(rand() * f.length)] = Math.floor(rand() * 256);
      decodePacket(f, lt, out, { verifyChecksums: rand() < 0.5 });
      expect(out.problem.startsWith('decoder error'), out.problem).toBe(false);
      expect(out.problem).not.toContain('\n');
      if (out.kind === KIND_TCP) {
        tcp++;
        expect(out.capturedPayloadLen).toBeLessThanOrEqual(out.payloadLen);
        expect(out.payloadOff + out.capturedPayloadLen).toBeLessThanOrEqual(f.length);
        expect(out.tcpHeaderLen).toBeGreaterThanOrEqual(20);
      }
    }
    expect(tcp).toBeGreaterThan(200); // the fuzz still reaches the TCP decoder often
  });

  it('non-IP frames are KIND_OTHER', () => {
    expect(decode(eth(new Uint8Array(46), { type: 0x88cc })).kind).toBe(KIND_OTHER); // LLDP
  });
});
