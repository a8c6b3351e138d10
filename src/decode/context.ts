// Shared state of one decodePacket() call: the buffer view, the output packet and the tunnel chain.
// A module-level singleton so the per-protocol decoders pass only offsets (no per-packet objects).

import { KIND_MALFORMED, KIND_OTHER, newPacket } from './packet.js';
import type { Packet } from './packet.js';

/** Most tunnel/encapsulation layers we follow before calling the packet malformed. */
export const MAX_TUNNEL_DEPTH = 8;

/** Tunnel ids: one hex digit each in DecodeState.chain. */
export const TUN_VXLAN = 1;
export const TUN_GRE = 2;
export const TUN_IPIP = 3;
export const TUN_6IN4 = 4;
export const TUN_4IN6 = 5;
export const TUN_6IN6 = 6;
export const TUN_GENEVE = 7;
export const TUN_TEREDO = 8;
export const TUN_GTPU = 9;
export const TUN_ERSPAN = 10;

export interface DecodeState {
  /** View over the whole ArrayBuffer behind `out.buf`; offsets are relative to `base`. */
  dv: DataView;
  base: number;
  /** Captured length of `out.buf`. */
  len: number;
  out: Packet;
  verify: boolean;
  /** Tunnel/encapsulation layers entered so far. */
  depth: number;
  /** Tunnel ids, outermost in the highest digit (base 16). */
  chain: number;
  streamless: boolean;
  /** Offset and length of the innermost IPv4 header (for its checksum); -1 for IPv6. */
  ip4Off: number;
  ip4Len: number;
  /** The innermost IP packet is a first fragment (more fragments follow): TCP checksum unverifiable. */
  fragmented: boolean;
  /** Upper-layer protocol found by skipIpv6Extensions(). */
  proto: number;
}

export const st: DecodeState = {
  dv: new DataView(new ArrayBuffer(0)), base: 0, len: 0, out: newPacket(), verify: false,
  depth: 0, chain: 0, streamless: false, ip4Off: -1, ip4Len: 0, fragmented: false, proto: -1,
};

let cachedBuffer: ArrayBufferLike | null = null;
let cachedView: Uint8Array | null = null;
let cachedOffset = 0;

/**
 * Points the state at a new packet, the `len` bytes at `off` of `buf`; reuses the DataView while
 * the reader reuses its buffer.
 */
export function beginPacket(buf: Uint8Array, off: number, len: number, out: Packet, verify: boolean): void {
  // NOTE: hot path: the same view comes back for every frame of a chunk; skip reading .buffer then.
  if (buf !== cachedView) {
    cachedView = buf;
    cachedOffset = buf.byteOffset;
    if (buf.buffer !== cachedBuffer) {
      cachedBuffer = buf.buffer;
      st.dv = new DataView(buf.buffer);
    }
  }
  st.base = cachedOffset + off;
  st.len = len;
  st.out = out;
  st.verify = verify;
  st.depth = 0;
  st.chain = 0;
  st.streamless = false;
  st.ip4Off = -1;
  st.ip4Len = 0;
  st.fragmented = false;
  st.proto = -1;
}

// NOTE: hot path: tiny readers the JIT inlines; callers check bounds against st.len first.
export function u8(off: number): number {
  return st.dv.getUint8(st.base + off);
}
export function u16(off: number): number {
  return st.dv.getUint16(st.base + off);
}
export function u16le(off: number): number {
  return st.dv.getUint16(st.base + off, true);
}
export function u32(off: number): number {
  return st.dv.getUint32(st.base + off);
}

/** Marks the packet malformed; `problem` is one line. */
export function malformed(problem: string): void {
  st.out.kind = KIND_MALFORMED;
  st.out.problem = problem;
}

/** Marks the packet as something we count but do not track. */
export function other(): void {
  st.out.kind = KIND_OTHER;
}

/**
 * Marks the packet as not decoded past an encapsulation that may carry IP (counted per `name` in the
 * capture's warnings). `name` must be a constant or come from undecodedName(): no string per packet.
 */
export function undecoded(name: string): void {
  st.out.kind = KIND_OTHER;
  st.out.undecoded = name;
}

const undecodedNames = new Map<string, Map<number, string>>();

/** `${prefix} 0x${value}` (4 hex digits), cached per prefix and value: steady state does not allocate. */
export function undecodedName(prefix: string, value: number): string {
  let names = undecodedNames.get(prefix);
  if (names === undefined) undecodedNames.set(prefix, names = new Map());
  let name = names.get(value);
  if (name === undefined) {
    name = `${prefix} 0x${value.toString(16).padStart(4, '0')}`;
    names.set(value, name); // values are 16-bit: at most 65536 per prefix
  }
  return name;
}

/** Enters one tunnel layer; false (packet marked malformed) when nested too deep. */
export function enterTunnel(id: number, streamless: boolean): boolean {
  if (!enterLayer()) return false;
  st.chain = st.chain * 16 + id;
  if (streamless) st.streamless = true;
  return true;
}

/** Enters an encapsulation layer that is not named in the tunnel chain (e.g. FabricPath). */
export function enterLayer(): boolean {
  if (++st.depth > MAX_TUNNEL_DEPTH) {
    malformed(`tunnel nesting deeper than ${MAX_TUNNEL_DEPTH}`);
    return false;
  }
  return true;
}

const TUNNEL_NAMES = ['', 'vxlan', 'gre', 'ipip', '6in4', '4in6', '6in6', 'geneve', 'teredo', 'gtp-u', 'erspan'];
const chainNames = new Map<number, string>([[0, '']]);

/** The '+'-joined tunnel chain (outermost first), cached per chain so steady state does not allocate. */
export function tunnelName(chain: number): string {
  const hit = chainNames.get(chain);
  if (hit !== undefined) return hit;
  let name = '';
  for (let c = chain; c > 0; c = Math.floor(c / 16)) {
    const part = TUNNEL_NAMES[c % 16] ?? '?';
    name = name === '' ? part : `${part}+${name}`;
  }
  chainNames.set(chain, name);
  return name;
}
