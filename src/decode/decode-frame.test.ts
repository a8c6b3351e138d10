import { describe, expect, it } from 'vitest';
import { eth, ipv4, ipv6 } from '../../test/build/packet-builders.js';
import { icmp4, opt, tcp, udp } from '../../test/build/packet-transport.js';
import { vxlan } from '../../test/build/packet-tunnels.js';
import { decodeFrame, decodePacket } from './decode-packet.js';
import { newPacket, type Packet } from './packet.js';

const SEG = tcp({ flags: 'PA', options: [...opt.nop(), ...opt.nop(), ...opt.ts(7, 9)], payload: [1, 2, 3, 4] });
const SYN = tcp({ flags: 'S', options: [...opt.mss(1460), ...opt.sackPerm(), ...opt.ts(1, 0), ...opt.nop(), ...opt.ws(7)] });
const FRAMES: Array<[Uint8Array, number]> = [
  [eth(ipv4({}, SEG)), 1],
  [eth(ipv6({}, SYN), { type: 0x86dd }), 1],
  [eth(ipv4({ proto: 1 }, icmp4(3, 4, ipv4({}, SEG).subarray(0, 28), 576))), 1],
  [eth(ipv4({ proto: 17 }, udp(vxlan(eth(ipv4({}, SEG))), 5000, 4789))), 1],
  [ipv4({}, SEG).subarray(0, 30), 101], // malformed: truncated TCP header
];

/** The packet with its buffer offsets made relative to `base` (for comparing). */
function relative(p: Packet, base: number): Record<string, unknown> {
  const { buf: _buf, ...rest } = p;
  return { ...rest, srcOff: p.srcOff - base, dstOff: p.dstOff - base, payloadOff: p.payloadOff - base, icmpFromOff: p.icmpFromOff - base };
}

describe('decodeFrame', () => {
  it('decodes a frame inside a larger buffer exactly as decodePacket decodes it alone', () => {
    for (const [frame, linktype] of FRAMES) {
      const alone = newPacket();
      decodePacket(frame, linktype, alone, { verifyChecksums: true });
      const big = new Uint8Array(frame.length + 100).fill(0xee);
      big.set(frame, 37);
      const inside = newPacket();
      decodeFrame(big, 37, frame.length, linktype, inside, { verifyChecksums: true });
      expect(inside.buf).toBe(big);
      expect(relative(inside, 37)).toEqual(relative(alone, 0));
      if (inside.capturedPayloadLen > 0) expect(big[inside.payloadOff]).toBe(frame[alone.payloadOff]);
    }
  });

  it('names NOP,NOP,TS options like the general option walk', () => {
    const p = newPacket();
    decodePacket(eth(ipv4({}, SEG)), 1, p, { verifyChecksums: false });
    expect([p.optionKinds, p.tsVal, p.tsEcr]).toEqual(['NOP,NOP,TS', 7, 9]);
    const q = newPacket();
    decodePacket(eth(ipv4({}, tcp({ flags: 'A', options: [...opt.nop(), ...opt.nop(), ...opt.ts(7, 9), ...opt.nop(), ...opt.nop(), 0, 0, 0, 0] }))), 1, q, { verifyChecksums: false });
    expect(q.optionKinds).toBe('NOP,NOP,TS,NOP,NOP,EOL');
  });
});
