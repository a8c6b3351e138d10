// Cisco ERSPAN (draft-foschiano-erspan) inside GRE: type I (no header), II and III, then the mirrored Ethernet frame.

import { malformed, st, u16, u8, undecoded, undecodedName } from './context.js';
import { decodeEthernet } from './ethernet.js';

/** GRE protocol types: 0x88BE carries types I and II (III too, by its version field), 0x22EB type III. */
export const GRE_ERSPAN = 0x88be;
export const GRE_ERSPAN_III = 0x22eb;
export const ERSPAN_II_HEADER_LEN = 8;
export const ERSPAN_III_HEADER_LEN = 12;

const VERSION_BYTE = 0; // version in the high nibble
const VERSION_II = 1;
const VERSION_III = 2;
const III_FLAGS_WORD = 10; // P (1 bit), frame type (5), hardware id (6), direction (1), granularity (2), O (1)
const III_FRAME_TYPE_SHIFT = 10;
const III_FRAME_TYPE_MASK = 0x1f;
const III_OPTIONAL = 0x0001;
const III_PLATFORM_LEN = 8; // platform-specific subheader, present when O is set
const FRAME_TYPE_ETHERNET = 0;

/**
 * ERSPAN after a GRE header at `off`. `greSequence`: the GRE header had a sequence number; for 0x88BE
 * without one the packet is type I, the Ethernet frame right after GRE (as Wireshark reads it).
 */
export function decodeErspan(greProto: number, greSequence: boolean, off: number, end: number): void {
  if (greProto === GRE_ERSPAN && !greSequence) return decodeEthernet(off, end);
  if (off >= st.len || off >= end) return malformed('ERSPAN header truncated');
  const version = u8(off + VERSION_BYTE) >> 4;
  if (version === VERSION_II && greProto === GRE_ERSPAN) {
    if (st.len - off < ERSPAN_II_HEADER_LEN || off + ERSPAN_II_HEADER_LEN > end) return malformed('ERSPAN type II header truncated');
    return decodeEthernet(off + ERSPAN_II_HEADER_LEN, end);
  }
  if (version !== VERSION_III) return undecoded(undecodedName('ERSPAN version', version));
  if (st.len - off < ERSPAN_III_HEADER_LEN || off + ERSPAN_III_HEADER_LEN > end) return malformed('ERSPAN type III header truncated');
  const flags = u16(off + III_FLAGS_WORD);
  const frameType = (flags >> III_FRAME_TYPE_SHIFT) & III_FRAME_TYPE_MASK;
  let p = off + ERSPAN_III_HEADER_LEN;
  if ((flags & III_OPTIONAL) !== 0) p += III_PLATFORM_LEN;
  if (p > end || p > st.len) return malformed('ERSPAN type III platform subheader truncated');
  if (frameType !== FRAME_TYPE_ETHERNET) return undecoded(undecodedName('ERSPAN type III frame type', frameType));
  decodeEthernet(p, end);
}
