// BSD loopback (LINKTYPE_NULL 0) and OpenBSD loop (LINKTYPE_LOOP 108): a 4-byte address family.

import { malformed, other, st, u32 } from './context.js';
import { decodeIPv4 } from './ipv4.js';
import { decodeIPv6 } from './ipv6.js';

export const NULL_HEADER_LEN = 4;
const AF_INET = 2;
/** AF_INET6 differs per OS: 24 (NetBSD/OpenBSD/BSD/OS), 28 (FreeBSD), 30 (macOS). */
const AF_INET6_NETBSD = 24;
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;

/** The family is in the writer's byte order (NULL) or network order (LOOP): accept either. */
export function decodeNull(off: number): void {
  if (st.len - off < NULL_HEADER_LEN) return malformed(`loopback header truncated (${st.len - off} of ${NULL_HEADER_LEN} bytes)`);
  let family = u32(off);
  if (family > 0xffff) family = swap32(family); // a small number written little-endian
  const ip = off + NULL_HEADER_LEN;
  if (family === AF_INET) return decodeIPv4(ip, Infinity);
  if (family === AF_INET6_NETBSD || family === AF_INET6_FREEBSD || family === AF_INET6_DARWIN) return decodeIPv6(ip, Infinity);
  other();
}

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}
