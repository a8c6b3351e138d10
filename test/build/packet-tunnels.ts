// Test helpers for tunnel headers: VXLAN, Geneve, GRE, GTP-U, Teredo.

import { cat, u16be, u32be } from './packet-builders.js';
import type { Bytes } from './packet-builders.js';

/** VXLAN: flags (0x08 = VNI valid), reserved (3), VNI (3), reserved (1); Ethernet follows. */
export function vxlan(frame: Bytes, vni = 42): Uint8Array {
  return cat([0x08, 0, 0, 0], [(vni >> 16) & 0xff, (vni >> 8) & 0xff, vni & 0xff, 0], frame);
}

/** Geneve: ver(2)/opt len(6, 4-byte units), flags, protocol type, VNI (3), reserved; options. */
export function geneve(payload: Bytes, protocol = 0x6558, options: Bytes = []): Uint8Array {
  return cat([options.length / 4, 0], u16be(protocol), [0, 0, 7, 0], options, payload);
}

export interface GreOpts {
  protocol?: number; // default 0x0800
  checksum?: boolean; // C bit: checksum (2) + reserved (2)
  key?: number; // K bit: key (4)
  seq?: number; // S bit: sequence (4)
  version?: number;
}

/** GRE: C/R/K/S flags + version (2), protocol type (2), then the optional words in C, K, S order. */
export function gre(payload: Bytes, o: GreOpts = {}): Uint8Array {
  const flags = (o.checksum ? 0x8000 : 0) | (o.key !== undefined ? 0x2000 : 0) | (o.seq !== undefined ? 0x1000 : 0) | (o.version ?? 0);
  return cat(u16be(flags), u16be(o.protocol ?? 0x0800), o.checksum ? [0, 0, 0, 0] : [],
    o.key !== undefined ? u32be(o.key) : [], o.seq !== undefined ? u32be(o.seq) : [], payload);
}

export interface GtpOpts {
  teid?: number;
  seq?: number; // sets S and adds the 4 optional bytes
  type?: number; // message type, default 0xff (T-PDU)
  /** Extension headers as [type, content] (content padded so length is a multiple of 4 with the length/next bytes). */
  ext?: Array<[number, number[]]>;
}

/** GTPv1-U: flags (ver 1, PT 1, E, S, PN), type, length (after the first 8 bytes), TEID; options; extensions. */
export function gtpu(payload: Bytes, o: GtpOpts = {}): Uint8Array {
  const ext = o.ext ?? [];
  const hasOpt = o.seq !== undefined || ext.length > 0;
  const flags = 0x30 | (ext.length > 0 ? 0x04 : 0) | (o.seq !== undefined ? 0x02 : 0);
  const extBytes: number[] = [];
  ext.forEach(([, content], i) => {
    const total = Math.ceil((content.length + 2) / 4) * 4;
    const body = [...content, ...new Array<number>(total - 2 - content.length).fill(0)];
    extBytes.push(total / 4, ...body, ext[i + 1]?.[0] ?? 0);
  });
  const opt = hasOpt ? [...u16be(o.seq ?? 0), 0, ext[0]?.[0] ?? 0] : [];
  const rest = cat(opt, extBytes, payload);
  return cat([flags, o.type ?? 0xff], u16be(rest.length), u32be(o.teid ?? 1), rest);
}

export interface TeredoOpts {
  auth?: { id: number[]; value: number[] };
  origin?: boolean;
}

/** Teredo: optional auth (0x0001, id len, au len, id, value, nonce 8, confirmation 1), origin (0x0000, port, addr), IPv6. */
export function teredo(ipv6Packet: Bytes, o: TeredoOpts = {}): Uint8Array {
  const auth = o.auth ? cat([0, 1, o.auth.id.length, o.auth.value.length], o.auth.id, o.auth.value, new Array<number>(9).fill(0)) : [];
  const origin = o.origin ? [0, 0, 0xf2, 0x27, 0x3f, 0x57, 0xfe, 0xf9] : [];
  return cat(auth, origin, ipv6Packet);
}

/** PPPoE session header (ver/type 0x11, code 0, session id, length of PPP protocol + payload), PPP protocol. */
export function pppoe(payload: Bytes, protocol = 0x0021, session = 0x1234): Uint8Array {
  return cat([0x11, 0x00], u16be(session), u16be(payload.length + 2), u16be(protocol), payload);
}

/** ERSPAN type II header (version 1, VLAN, COS/En/T/session id, index); the mirrored Ethernet frame follows. */
export function erspan2(frame: Bytes, session = 5): Uint8Array {
  return cat(u16be(0x1000 | 7), u16be(session & 0x3ff), u32be(18), frame);
}

/** ERSPAN type III header (version 2, 12 bytes), optional 8-byte platform subheader (O bit). */
export function erspan3(frame: Bytes, o: { platform?: boolean; frameType?: number } = {}): Uint8Array {
  const flags = ((o.frameType ?? 0) << 10) | (o.platform ? 1 : 0);
  return cat(u16be(0x2000 | 7), u16be(5), u32be(0x01020304), u16be(0), u16be(flags), o.platform ? u32be(0x0a0b0c0d) : [], o.platform ? u32be(0) : [], frame);
}

/** LLC/SNAP (aa aa 03, OUI 0) with an EtherType. */
export function llcSnap(payload: Bytes, type = 0x0800): Uint8Array {
  return cat([0xaa, 0xaa, 0x03, 0, 0, 0], u16be(type), payload);
}

export interface WlanOpts {
  qos?: boolean; // QoS data (subtype 8) with a QoS control field
  wds?: boolean; // To DS and From DS: a fourth address
  protected?: boolean;
  htc?: boolean; // +HTC (order flag) in a QoS data frame: 4 more bytes
  amsdu?: boolean;
  type?: number; // 0 management, 1 control, 2 data
  fragment?: number;
}

/** An 802.11 frame: frame control (little-endian bit order), duration, 3-4 addresses, sequence control, QoS, HTC. */
export function wlan(payload: Bytes, o: WlanOpts = {}): Uint8Array {
  const subtype = o.qos ? 8 : 0;
  const fc0 = (subtype << 4) | ((o.type ?? 2) << 2);
  const fc1 = (o.wds ? 0x03 : 0x01) | (o.protected ? 0x40 : 0) | (o.htc ? 0x80 : 0);
  const addr = [2, 0, 0, 0, 0, 1];
  return cat([fc0, fc1, 0, 0], addr, addr, addr, [(o.fragment ?? 0) & 0x0f, 0x20], o.wds ? addr : [],
    o.qos ? [o.amsdu ? 0x80 : 0, 0] : [], o.qos && o.htc ? [0, 0, 0, 0] : [], payload);
}

/** Enhanced GRE (PPTP, version 1): K always (payload length, call id), optional S and A; PPP payload. */
export function pptpGre(ppp: Bytes, o: { seq?: number; ack?: number } = {}): Uint8Array {
  const flags = 0x2000 | (o.seq !== undefined ? 0x1000 : 0) | (o.ack !== undefined ? 0x0080 : 0) | 1;
  return cat(u16be(flags), u16be(0x880b), u16be(ppp.length), u16be(7), o.seq !== undefined ? u32be(o.seq) : [],
    o.ack !== undefined ? u32be(o.ack) : [], ppp);
}
