// FDDI (LINKTYPE_FDDI 10): frame control, destination and source addresses, then 802.2 LLC.

import { malformed, other, st, u8 } from './context.js';
import { decodeLlc } from './ethernet.js';

export const FDDI_HEADER_LEN = 13;
const FDDI_FC = 0;
const FC_LLC_MASK = 0xf8; // frame control 0x50-0x57: asynchronous LLC frames
const FC_LLC_ASYNC = 0x50;

/** An FDDI frame at `off`: only LLC frames (SNAP inside) are followed. */
export function decodeFddi(off: number): void {
  if (st.len - off < FDDI_HEADER_LEN) return malformed(`FDDI header truncated (${Math.max(0, st.len - off)} of ${FDDI_HEADER_LEN} bytes)`);
  if ((u8(off + FDDI_FC) & FC_LLC_MASK) !== FC_LLC_ASYNC) return other(); // SMT, MAC and token frames
  decodeLlc(off + FDDI_HEADER_LEN, Infinity);
}
