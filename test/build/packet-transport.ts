// Test helpers for TCP (with options), UDP and ICMP errors.

import { internetChecksum } from '../../src/decode/checksum.js';
import { cat, u16be, u32be } from './packet-builders.js';
import type { Bytes } from './packet-builders.js';

const FLAG_LETTERS = 'FSRPAUECN'; // bit order: FIN=0x001 ... NS=0x100

/** "SA" -> SYN|ACK; letters F S R P A U E C N. */
export function flagBits(flags: string): number {
  let bits = 0;
  for (const ch of flags) {
    const i = FLAG_LETTERS.indexOf(ch);
    if (i < 0) throw new Error(`unknown TCP flag letter ${ch}`);
    bits |= 1 << i;
  }
  return bits;
}

export interface TcpOpts {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  flags?: string | number; // default 'A'
  window?: number;
  urgent?: number;
  options?: Bytes; // raw option bytes, padded with EOL to a multiple of 4
  dataOffset?: number; // override, in 4-byte words
  payload?: Bytes;
}

/** TCP: sport, dport, seq, ack, data offset/flags, window, checksum (filled by ipv4/ipv6), urgent, options. */
export function tcp(o: TcpOpts = {}): Uint8Array {
  const raw = o.options ?? [];
  const padded = cat(raw, new Array<number>((4 - (raw.length % 4)) % 4).fill(0));
  const doff = o.dataOffset ?? 5 + padded.length / 4;
  const flags = typeof o.flags === 'number' ? o.flags : flagBits(o.flags ?? 'A');
  return cat(u16be(o.sport ?? 40000), u16be(o.dport ?? 80), u32be(o.seq ?? 1000), u32be(o.ack ?? 0),
    u16be(((doff & 0xf) << 12) | (flags & 0x1ff)), u16be(o.window ?? 65535), [0, 0], u16be(o.urgent ?? 0),
    padded, o.payload ?? []);
}

/** TCP option encoders: kind, length, value. */
export const opt = {
  eol: (): number[] => [0],
  nop: (): number[] => [1],
  mss: (v: number): number[] => [2, 4, ...u16be(v)],
  ws: (shift: number): number[] => [3, 3, shift],
  sackPerm: (): number[] => [4, 2],
  sack: (blocks: Array<[number, number]>): number[] => [5, 2 + 8 * blocks.length, ...blocks.flatMap(([l, r]) => [...u32be(l), ...u32be(r)])],
  ts: (val: number, ecr: number): number[] => [8, 10, ...u32be(val), ...u32be(ecr)],
  raw: (kind: number, len: number, body: number[] = []): number[] => [kind, len, ...body],
};

/** UDP: sport, dport, length, checksum (0 = none). */
export function udp(payload: Bytes, sport: number, dport: number, length?: number): Uint8Array {
  return cat(u16be(sport), u16be(dport), u16be(length ?? 8 + payload.length), [0, 0], payload);
}

/** ICMPv4: type, code, checksum, 4 bytes rest-of-header (next-hop MTU in the low half for 3/4), quote. */
export function icmp4(type: number, code: number, quoted: Bytes, mtu = 0): Uint8Array {
  const m = cat([type, code, 0, 0], [0, 0], u16be(mtu), quoted);
  m.set(u16be(internetChecksum(m)), 2);
  return m;
}

/** ICMPv6: type, code, checksum (left 0: needs the pseudo header), 4 bytes (MTU for type 2), quote. */
export function icmp6(type: number, code: number, quoted: Bytes, mtu = 0): Uint8Array {
  return cat([type, code, 0, 0], u32be(mtu), quoted);
}
