// Test helpers that build packets layer by layer: eth(ipv4({...}, tcp({...}))).
// Lengths and checksums are computed unless a test overrides them to build a broken packet.

import { internetChecksum } from '../../src/decode/checksum.js';

export type Bytes = Uint8Array | readonly number[];

/** Concatenates byte arrays. */
export function cat(...parts: Bytes[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Bytes from a hex string; spaces and newlines are ignored. */
export function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function u16be(v: number): number[] {
  return [(v >>> 8) & 0xff, v & 0xff];
}

export function u32be(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/** IPv4 "a.b.c.d" or IPv6 text (with optional ::) to bytes. */
export function addr(text: string): number[] {
  if (!text.includes(':')) return text.split('.').map(Number);
  const [head = '', tail] = text.split('::');
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap(u16be);
}

// ---------------------------------------------------------------- link layers

export interface EthOpts {
  dst?: string; // MAC as "aa:bb:..."
  src?: string;
  type?: number; // EtherType or 802.3 length; default IPv4
}

function mac(s: string): number[] {
  return s.split(':').map((b) => parseInt(b, 16));
}

/** Ethernet II: dst MAC (6), src MAC (6), EtherType (2). */
export function eth(payload: Bytes, o: EthOpts = {}): Uint8Array {
  return cat(mac(o.dst ?? '00:00:5e:00:53:01'), mac(o.src ?? '00:00:5e:00:53:02'), u16be(o.type ?? 0x0800), payload);
}

/** One VLAN tag as it follows a TPID: TCI (PCP 3 bits, DEI 1, VID 12), inner EtherType. */
export function vlan(payload: Bytes, vid: number, type = 0x0800): Uint8Array {
  return cat(u16be(vid & 0x0fff), u16be(type), payload);
}

/** MPLS label stack: per entry label (20 bits), TC (3), bottom-of-stack (1), TTL (8). */
export function mpls(payload: Bytes, labels: number[]): Uint8Array {
  const entries = labels.flatMap((label, i) => u32be(((label << 12) | (i === labels.length - 1 ? 0x100 : 0) | 64) >>> 0));
  return cat(entries, payload);
}

/** Cisco FabricPath: outer DA (6), outer SA (6), 0x8903, FTag/TTL (2), then the inner Ethernet frame. */
export function fabricPath(innerFrame: Bytes): Uint8Array {
  return cat(mac('02:00:00:00:00:01'), mac('02:00:00:00:00:02'), u16be(0x8903), u16be(0x0401), innerFrame);
}

/** Linux SLL v1: packet type (2), ARPHRD (2), address length (2), address (8), protocol (2). */
export function sll(payload: Bytes, protocol = 0x0800, hatype = 1): Uint8Array {
  return cat(u16be(0), u16be(hatype), u16be(6), [0, 0, 0x5e, 0, 0x53, 1, 0, 0], u16be(protocol), payload);
}

/** Linux SLL v2: protocol (2), reserved (2), ifindex (4), ARPHRD (2), packet type (1), addr len (1), addr (8). */
export function sll2(payload: Bytes, protocol = 0x0800, hatype = 1): Uint8Array {
  return cat(u16be(protocol), u16be(0), u32be(2), u16be(hatype), [0, 6], [0, 0, 0x5e, 0, 0x53, 1, 0, 0], payload);
}

/** BSD loopback header: 4-byte address family, little-endian (LINKTYPE_NULL) or big-endian (LOOP). */
export function loopback(payload: Bytes, family: number, littleEndian: boolean): Uint8Array {
  const f = u32be(family);
  return cat(littleEndian ? f.reverse() : f, payload);
}

// ---------------------------------------------------------------- IP

export interface Ipv4Opts {
  src?: string;
  dst?: string;
  proto?: number; // default 6 (TCP)
  ttl?: number;
  id?: number;
  df?: boolean;
  mf?: boolean;
  fragOffset?: number; // in 8-byte units
  options?: Bytes; // raw option bytes, must be a multiple of 4
  totalLength?: number; // override (to build broken packets)
  ihl?: number; // override, in 4-byte words
  checksum?: number; // override the header checksum
  l4Checksum?: boolean; // compute the TCP checksum (default true)
}

/** IPv4: ver/IHL, TOS, total length, ID, flags/fragment offset, TTL, protocol, checksum, src, dst, options. */
export function ipv4(o: Ipv4Opts, payload: Bytes): Uint8Array {
  const options = o.options ?? [];
  const hl = 20 + options.length;
  const src = addr(o.src ?? '192.0.2.1');
  const dst = addr(o.dst ?? '198.51.100.2');
  const proto = o.proto ?? 6;
  const ff = (o.df ? 0x4000 : 0) | (o.mf ? 0x2000 : 0) | (o.fragOffset ?? 0);
  const h = cat([0x40 | (o.ihl ?? hl / 4), 0], u16be(o.totalLength ?? hl + payload.length), u16be(o.id ?? 1),
    u16be(ff), [o.ttl ?? 64, proto], [0, 0], src, dst, options);
  const ck = o.checksum ?? internetChecksum(h);
  h.set(u16be(ck), 10);
  const body = Uint8Array.from(payload);
  if (proto === 6 && o.l4Checksum !== false && !(o.fragOffset) && !o.mf) fillTcpChecksum(body, cat(src, dst, [0, 6], u16be(body.length)));
  return cat(h, body);
}

export interface Ipv6Opts {
  src?: string;
  dst?: string;
  next?: number; // next header, default 6 (TCP)
  hopLimit?: number;
  payloadLength?: number; // override
  l4Checksum?: boolean;
}

/** IPv6: version/class/flow (4), payload length (2), next header (1), hop limit (1), src (16), dst (16). */
export function ipv6(o: Ipv6Opts, payload: Bytes): Uint8Array {
  const src = addr(o.src ?? '2001:db8::1');
  const dst = addr(o.dst ?? '2001:db8::2');
  const next = o.next ?? 6;
  const body = Uint8Array.from(payload);
  if (next === 6 && o.l4Checksum !== false) fillTcpChecksum(body, cat(src, dst, u32be(body.length), [0, 0, 0, 6]));
  return cat([0x60, 0, 0, 0], u16be(o.payloadLength ?? body.length), [next, o.hopLimit ?? 64], src, dst, body);
}

/** IPv6 extension header with 8-byte units (hop-by-hop 0, routing 43, dest opts 60): next, len, padding. */
export function ext6(next: number, payload: Bytes, units = 0): Uint8Array {
  return cat([next, units], new Array<number>(6 + units * 8).fill(0), payload);
}

/** IPv6 fragment header: next, reserved, offset (13 bits, 8-byte units) | M, identification (4). */
export function frag6(next: number, payload: Bytes, offset = 0, more = false): Uint8Array {
  return cat([next, 0], u16be((offset << 3) | (more ? 1 : 0)), u32be(0x1234), payload);
}

function fillTcpChecksum(seg: Uint8Array, pseudo: Uint8Array): void {
  if (seg.length < 18) return; // too short to hold the checksum field
  seg[16] = 0;
  seg[17] = 0;
  const sum = internetChecksum(cat(pseudo, seg));
  seg[16] = sum >> 8;
  seg[17] = sum & 0xff;
}
