// Cisco HDLC (LINKTYPE_C_HDLC 104): address, control, then an EtherType.

import { malformed, st, u16 } from './context.js';
import { decodeEthertype } from './ethernet.js';

export const CHDLC_HEADER_LEN = 4;
const CHDLC_PROTOCOL = 2;

export function decodeChdlc(off: number): void {
  if (st.len - off < CHDLC_HEADER_LEN) return malformed(`Cisco HDLC header truncated (${Math.max(0, st.len - off)} of ${CHDLC_HEADER_LEN} bytes)`);
  decodeEthertype(u16(off + CHDLC_PROTOCOL), off + CHDLC_HEADER_LEN, Infinity);
}
