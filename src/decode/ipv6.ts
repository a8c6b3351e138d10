// IPv6 header and its extension-header chain; then the upper-layer protocol.

import { malformed, st, u16, u8 } from './context.js';
import { decodeIpPayload } from './ip-payload.js';
import { KIND_FRAGMENT } from './packet.js';

export const IPV6_HEADER_LEN = 40;
/** Longest extension-header chain we walk before calling the packet malformed. */
export const MAX_IPV6_EXTENSIONS = 16;
/** skipIpv6Extensions() results that are not an offset. */
export const EXT_FRAGMENT = -1;
export const EXT_MALFORMED = -2;

const VERSION = 0;
const PAYLOAD_LEN = 4;
const NEXT_HEADER = 6;
const HOP_LIMIT = 7;
const SRC = 8;
const DST = 24;

const NH_HOP_BY_HOP = 0;
const NH_ROUTING = 43;
const NH_FRAGMENT = 44;
const NH_AH = 51;
const NH_DEST_OPTS = 60;
const NH_MOBILITY = 135;
const FRAGMENT_HEADER_LEN = 8;
const FRAG_OFFSET_FIELD = 2; // 13-bit offset, 2 reserved bits, M flag
const EXT_NEXT = 0;
const EXT_LENGTH = 1;

/** Decodes an IPv6 packet at `off`; `limit` is where the enclosing layer ends (Infinity: unknown). */
export function decodeIPv6(off: number, limit: number): void {
  const avail = st.len - off;
  if (avail < IPV6_HEADER_LEN) return malformed(`IPv6 header truncated (${Math.max(0, avail)} of 40 bytes)`);
  const version = u8(off + VERSION) >> 4;
  if (version !== 6) return malformed(`IPv6 version field ${version}`);
  const plen = u16(off + PAYLOAD_LEN);
  // Payload length 0: jumbogram or TSO capture; use what is there.
  const end = plen === 0 ? Math.min(limit, st.len) : off + IPV6_HEADER_LEN + plen;
  if (end > limit) return malformed(`IPv6 payload length ${plen} > ${limit - off - IPV6_HEADER_LEN} bytes left in the enclosing layer`);

  const out = st.out;
  out.ipVersion = 6;
  out.srcOff = off + SRC;
  out.dstOff = off + DST;
  out.ttl = u8(off + HOP_LIMIT);
  st.ip4Off = -1;
  st.fragmented = false;
  const upper = skipIpv6Extensions(u8(off + NEXT_HEADER), off + IPV6_HEADER_LEN, end);
  if (upper === EXT_FRAGMENT) {
    out.kind = KIND_FRAGMENT;
    return;
  }
  if (upper === EXT_MALFORMED) return;
  decodeIpPayload(st.proto, upper, end);
}

/**
 * Walks the extension headers from `off` (first one of type `nh`) up to `end`. Returns the offset of
 * the upper-layer header (its protocol in st.proto), EXT_FRAGMENT for a non-first fragment, or
 * EXT_MALFORMED (packet already marked). Sets st.fragmented for a first fragment.
 */
export function skipIpv6Extensions(nh: number, off: number, end: number): number {
  for (let n = 0; ; n++) {
    if (nh !== NH_HOP_BY_HOP && nh !== NH_ROUTING && nh !== NH_FRAGMENT && nh !== NH_DEST_OPTS
      && nh !== NH_AH && nh !== NH_MOBILITY) break;
    if (n >= MAX_IPV6_EXTENSIONS) {
      malformed(`IPv6 extension header chain longer than ${MAX_IPV6_EXTENSIONS}`);
      return EXT_MALFORMED;
    }
    const need = nh === NH_FRAGMENT ? FRAGMENT_HEADER_LEN : 2;
    if (st.len - off < need || off + need > end) {
      malformed(`IPv6 extension header ${nh} truncated`);
      return EXT_MALFORMED;
    }
    let len: number;
    if (nh === NH_FRAGMENT) {
      const fo = u16(off + FRAG_OFFSET_FIELD);
      if (fo >> 3 !== 0) return EXT_FRAGMENT;
      if ((fo & 1) !== 0) st.fragmented = true;
      len = FRAGMENT_HEADER_LEN;
    } else if (nh === NH_AH) {
      len = (u8(off + EXT_LENGTH) + 2) * 4; // AH counts 4-byte units minus 2
    } else {
      len = (u8(off + EXT_LENGTH) + 1) * 8; // others count 8-byte units minus 1
    }
    if (off + len > end) {
      malformed(`IPv6 extension header ${nh} length ${len} runs past the payload`);
      return EXT_MALFORMED;
    }
    nh = u8(off + EXT_NEXT);
    off += len;
  }
  st.proto = nh;
  return off;
}
