// Link-layer dispatch: LINKTYPE_* value -> the decoder of the first header.

import { malformed, st, u8 } from './context.js';
import { decodeEthernet } from './ethernet.js';
import { decodeIPv4 } from './ipv4.js';
import { decodeIPv6 } from './ipv6.js';
import { decodeNull } from './null.js';
import { KIND_UNSUPPORTED_LINK } from './packet.js';
import { decodeSll, decodeSll2 } from './sll.js';

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
/** DLT_RAW on most BSDs and old Linux: raw IP, version from the first nibble. */
export const LINKTYPE_RAW_BSD = 12;
/** DLT_RAW on OpenBSD (value 14): raw IP too. */
export const LINKTYPE_RAW_OPENBSD = 14;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

/** Decodes st.out.buf as a frame of `linktype` (Infinity: the frame's real end is unknown past snaplen). */
export function decodeLink(linktype: number): void {
  switch (linktype) {
    case LINKTYPE_ETHERNET: return decodeEthernet(0, Infinity);
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_BSD:
    case LINKTYPE_RAW_OPENBSD: return decodeRawIp(0, Infinity);
    case LINKTYPE_IPV4: return decodeIPv4(0, Infinity);
    case LINKTYPE_IPV6: return decodeIPv6(0, Infinity);
    case LINKTYPE_LINUX_SLL: return decodeSll(0);
    case LINKTYPE_LINUX_SLL2: return decodeSll2(0);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: return decodeNull(0);
    default:
      st.out.kind = KIND_UNSUPPORTED_LINK;
      st.out.problem = `unsupported link type ${linktype}`;
  }
}

/** Raw IP with no link header: the version nibble picks IPv4 or IPv6. */
export function decodeRawIp(off: number, limit: number): void {
  if (off >= st.len) return malformed('raw IP packet is empty');
  const version = u8(off) >> 4;
  if (version === 4) return decodeIPv4(off, limit);
  if (version === 6) return decodeIPv6(off, limit);
  malformed(`raw IP version ${version} (not 4 or 6)`);
}
