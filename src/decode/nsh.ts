// Network Service Header (RFC 8300, EtherType 0x894F): base and service path headers, context headers, then the next protocol.

import { enterLayer, malformed, st, u8, undecoded, undecodedName } from './context.js';
import { decodeEthernet } from './ethernet.js';
import { decodeIPv4 } from './ipv4.js';
import { decodeIPv6 } from './ipv6.js';

export const ETHERTYPE_NSH = 0x894f;
/** Base header (4) and service path header (4): the least a header length can be. */
export const NSH_MIN_LEN = 8;

const NSH_VERSION_BYTE = 0; // version in the top 2 bits
const NSH_LENGTH_BYTE = 1; // length (6 bits, 4-byte words) in the low bits of this byte with the TTL's last bits above
const NSH_LENGTH_MASK = 0x3f;
const NSH_NEXT_PROTOCOL = 3;
const NEXT_IPV4 = 1;
const NEXT_IPV6 = 2;
const NEXT_ETHERNET = 3;

export function decodeNsh(off: number, limit: number): void {
  if (st.len - off < NSH_MIN_LEN) return malformed('NSH header truncated');
  if (u8(off + NSH_VERSION_BYTE) >> 6 !== 0) return undecoded('NSH (unknown version)');
  const len = (u8(off + NSH_LENGTH_BYTE) & NSH_LENGTH_MASK) * 4;
  if (len < NSH_MIN_LEN) return malformed(`NSH length ${len} < ${NSH_MIN_LEN}`);
  if (off + len > limit || off + len > st.len) return malformed('NSH context headers truncated');
  if (!enterLayer()) return;
  const next = u8(off + NSH_NEXT_PROTOCOL);
  const p = off + len;
  switch (next) {
    case NEXT_IPV4: return decodeIPv4(p, limit);
    case NEXT_IPV6: return decodeIPv6(p, limit);
    case NEXT_ETHERNET: return decodeEthernet(p, limit);
    default: return undecoded(undecodedName('NSH next protocol', next));
  }
}
