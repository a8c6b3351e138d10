// ARCNET with the Linux header (LINKTYPE_ARCNET_LINUX 129): IP per RFC 1201 (and RFC 1051, RFC 2497 for IPv6).

import { malformed, other, st, u8, undecoded } from './context.js';
import { decodeIPv4 } from './ipv4.js';
import { decodeIPv6 } from './ipv6.js';

/** Source, destination, 2-byte offset; then the ARCNET protocol id. */
export const ARCNET_LINUX_HEADER_LEN = 4;
const ARC_IP_RFC1201 = 0xd4;
const ARC_IP_RFC1051 = 0xf0;
const ARC_IPV6 = 0xc4;
const PROTO_LEN = 1;
const RFC1201_SPLIT_LEN = 3; // split flag (1), sequence number (2)
const SPLIT_EXCEPTION = 0xff; // exception packet: 4 filler bytes (0xff 0xff, protocol, split flag) first
const EXCEPTION_LEN = 4;

export function decodeArcnetLinux(off: number): void {
  if (st.len - off < ARCNET_LINUX_HEADER_LEN + PROTO_LEN) return malformed('ARCNET header truncated');
  let p = off + ARCNET_LINUX_HEADER_LEN;
  const proto = u8(p);
  p += PROTO_LEN;
  if (proto === ARC_IP_RFC1051) return decodeIPv4(p, Infinity);
  if (proto !== ARC_IP_RFC1201 && proto !== ARC_IPV6) return other(); // ARP, RARP, other protocols
  if (p >= st.len) return malformed('ARCNET split flag truncated');
  if (u8(p) === SPLIT_EXCEPTION) p += EXCEPTION_LEN;
  if (p + RFC1201_SPLIT_LEN > st.len) return malformed('ARCNET header truncated');
  if (u8(p) !== 0) return undecoded('ARCNET fragment'); // split packets are not reassembled
  p += RFC1201_SPLIT_LEN;
  if (proto === ARC_IPV6) return decodeIPv6(p, Infinity);
  decodeIPv4(p, Infinity);
}
