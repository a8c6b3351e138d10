// IPv4 header: lengths, TTL, ID, DF, fragments; then the upper-layer protocol.

import { malformed, st, u16, u8 } from './context.js';
import { decodeIpPayload } from './ip-payload.js';
import { KIND_FRAGMENT } from './packet.js';

export const IPV4_MIN_HEADER_LEN = 20;
const VER_IHL = 0;
const TOTAL_LEN = 2;
const IDENT = 4;
const FLAGS_FRAG = 6;
const TTL = 8;
const PROTOCOL = 9;
const SRC = 12;
const DST = 16;
const FLAG_DF = 0x4000;
const FLAG_MF = 0x2000;
const FRAG_OFFSET_MASK = 0x1fff;

/** Decodes an IPv4 packet at `off`; `limit` is where the enclosing layer ends (Infinity: unknown). */
export function decodeIPv4(off: number, limit: number): void {
  const avail = st.len - off;
  if (avail < IPV4_MIN_HEADER_LEN) return malformed(`IPv4 header truncated (${Math.max(0, avail)} of 20 bytes)`);
  const verIhl = u8(off + VER_IHL);
  if (verIhl >> 4 !== 4) return malformed(`IPv4 version field ${verIhl >> 4}`);
  const hl = (verIhl & 0x0f) * 4;
  if (hl < IPV4_MIN_HEADER_LEN) return malformed(`IPv4 header length ${hl} < 20`);
  if (avail < hl) return malformed(`IPv4 options truncated (${avail} of ${hl} bytes)`);
  let total = u16(off + TOTAL_LEN);
  if (total === 0) {
    total = Math.min(limit, st.len) - off; // TSO capture: length 0, use what is there (as Wireshark does)
  } else if (total < hl) {
    return malformed(`IPv4 total length ${total} < header length ${hl}`);
  }
  if (off + total > limit) return malformed(`IPv4 total length ${total} > ${limit - off} bytes left in the enclosing layer`);

  const out = st.out;
  out.ipVersion = 4;
  out.srcOff = off + SRC;
  out.dstOff = off + DST;
  out.ttl = u8(off + TTL);
  out.ipId = u16(off + IDENT);
  const ff = u16(off + FLAGS_FRAG);
  out.df = (ff & FLAG_DF) !== 0;
  if ((ff & FRAG_OFFSET_MASK) !== 0) {
    out.kind = KIND_FRAGMENT; // a non-first fragment has no upper-layer header
    return;
  }
  st.ip4Off = off;
  st.ip4Len = hl;
  st.fragmented = (ff & FLAG_MF) !== 0;
  decodeIpPayload(u8(off + PROTOCOL), off + hl, off + total);
}
