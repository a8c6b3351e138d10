// IP over InfiniBand (LINKTYPE_IPOIB 242): destination and source hardware addresses, then RFC 4391's header.

import { malformed, st, u16 } from './context.js';
import { decodeEthertype } from './ethernet.js';

/** 20-byte destination and source addresses, type (2), reserved (2). */
export const IPOIB_HEADER_LEN = 44;
const IPOIB_TYPE = 40;

export function decodeIpoib(off: number): void {
  if (st.len - off < IPOIB_HEADER_LEN) return malformed(`IPoIB header truncated (${Math.max(0, st.len - off)} of ${IPOIB_HEADER_LEN} bytes)`);
  decodeEthertype(u16(off + IPOIB_TYPE), off + IPOIB_HEADER_LEN, Infinity);
}
