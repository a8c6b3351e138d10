// ICMP / ICMPv6 errors that quote a TCP segment: the main fields describe the QUOTED packet.

import { malformed, other, st, u16, u32, u8 } from './context.js';
import { EXT_FRAGMENT, EXT_MALFORMED, skipIpv6Extensions } from './ipv6.js';
import { KIND_ICMP_TCP } from './packet.js';

export const ICMP_HEADER_LEN = 8;
const ICMP4_UNREACH = 3;
const ICMP4_SOURCE_QUENCH = 4;
const ICMP4_REDIRECT = 5;
const ICMP4_TIME_EXCEEDED = 11;
const ICMP4_PARAM_PROBLEM = 12;
const ICMP4_CODE_FRAG_NEEDED = 4;
const ICMP4_NEXT_HOP_MTU = 6; // 16 bits in the second half of the rest-of-header word
const ICMP6_PACKET_TOO_BIG = 2;
const ICMP6_MAX_ERROR = 4; // types 1..4 are errors
const ICMP6_MTU = 4;
const PROTO_TCP = 6;
/** Ports + sequence number: all an ICMP error has to quote. */
const QUOTED_TCP_MIN = 8;
// Offsets inside the quoted IPv4 / IPv6 / TCP headers.
const Q4_MIN_LEN = 20;
const Q4_TOTAL_LEN = 2;
const Q4_IDENT = 4;
const Q4_FLAGS_FRAG = 6;
const Q4_TTL = 8;
const Q4_PROTOCOL = 9;
const Q4_SRC = 12;
const Q4_DST = 16;
const Q4_DF = 0x4000;
const Q4_FRAG_OFFSET_MASK = 0x1fff;
const Q6_LEN = 40;
const Q6_PAYLOAD_LEN = 4;
const Q6_NEXT_HEADER = 6;
const Q6_HOP_LIMIT = 7;
const Q6_SRC = 8;
const Q6_DST = 24;
const QT_SEQ = 4;
const QT_ACK = 8;
const QT_OFFSET_FLAGS = 12;
const QT_WINDOW = 14;

/** ICMPv4 at `off`; errors quoting a TCP header become KIND_ICMP_TCP, everything else KIND_OTHER. */
export function decodeIcmp4(off: number, end: number): void {
  if (st.len - off < ICMP_HEADER_LEN) return malformed(`ICMP header truncated (${Math.max(0, st.len - off)} of 8 bytes)`);
  const type = u8(off);
  if (type !== ICMP4_UNREACH && type !== ICMP4_SOURCE_QUENCH && type !== ICMP4_REDIRECT
    && type !== ICMP4_TIME_EXCEEDED && type !== ICMP4_PARAM_PROBLEM) return other();
  const code = u8(off + 1);
  const out = st.out;
  out.icmpType = type;
  out.icmpCode = code;
  out.icmpFromOff = out.srcOff;
  if (type === ICMP4_UNREACH && code === ICMP4_CODE_FRAG_NEEDED) out.icmpMtu = u16(off + ICMP4_NEXT_HOP_MTU);
  const q = off + ICMP_HEADER_LEN;
  const qEnd = Math.min(end, st.len); // the quote is cut short by design: use what is there
  if (qEnd - q < Q4_MIN_LEN) return malformed(`ICMP quoted IPv4 header truncated (${Math.max(0, qEnd - q)} of 20 bytes)`);
  const verIhl = u8(q);
  if (verIhl >> 4 !== 4) return malformed(`ICMP quoted IP version ${verIhl >> 4} in an ICMPv4 error`);
  const hl = (verIhl & 0x0f) * 4;
  if (hl < Q4_MIN_LEN) return malformed(`ICMP quoted IPv4 header length ${hl} < 20`);
  const ff = u16(q + Q4_FLAGS_FRAG);
  if ((ff & Q4_FRAG_OFFSET_MASK) !== 0 || u8(q + Q4_PROTOCOL) !== PROTO_TCP) return other(); // no TCP header quoted
  out.ipVersion = 4;
  out.srcOff = q + Q4_SRC;
  out.dstOff = q + Q4_DST;
  out.ttl = u8(q + Q4_TTL);
  out.ipId = u16(q + Q4_IDENT);
  out.df = (ff & Q4_DF) !== 0;
  const total = u16(q + Q4_TOTAL_LEN);
  quotedTcp(q + hl, qEnd, total >= hl ? total - hl : -1);
}

/** ICMPv6 at `off`; errors (types 1..4) quoting a TCP header become KIND_ICMP_TCP. */
export function decodeIcmp6(off: number, end: number): void {
  if (st.len - off < ICMP_HEADER_LEN) return malformed(`ICMPv6 header truncated (${Math.max(0, st.len - off)} of 8 bytes)`);
  const type = u8(off);
  if (type < 1 || type > ICMP6_MAX_ERROR) return other();
  const out = st.out;
  out.icmpType = type;
  out.icmpCode = u8(off + 1);
  out.icmpFromOff = out.srcOff;
  if (type === ICMP6_PACKET_TOO_BIG) out.icmpMtu = u32(off + ICMP6_MTU);
  const q = off + ICMP_HEADER_LEN;
  const qEnd = Math.min(end, st.len);
  if (qEnd - q < Q6_LEN) return malformed(`ICMPv6 quoted IPv6 header truncated (${Math.max(0, qEnd - q)} of 40 bytes)`);
  const version = u8(q) >> 4;
  if (version !== 6) return malformed(`ICMPv6 quoted IP version ${version}`);
  const fragmented = st.fragmented; // the walk below describes the quote, not the outer packet
  const upper = skipIpv6Extensions(u8(q + Q6_NEXT_HEADER), q + Q6_LEN, qEnd);
  st.fragmented = fragmented;
  if (upper === EXT_MALFORMED) return;
  if (upper === EXT_FRAGMENT || st.proto !== PROTO_TCP) return other();
  out.ipVersion = 6;
  out.srcOff = q + Q6_SRC;
  out.dstOff = q + Q6_DST;
  out.ttl = u8(q + Q6_HOP_LIMIT);
  out.ipId = -1;
  out.df = false;
  quotedTcp(upper, qEnd, u16(q + Q6_PAYLOAD_LEN) - (upper - q - Q6_LEN));
}

/** Fills the TCP fields from the quoted header at `t`: what is quoted, 0 for the rest. */
function quotedTcp(t: number, qEnd: number, quotedSegLen: number): void {
  const have = qEnd - t;
  if (have < QUOTED_TCP_MIN) return malformed(`ICMP quoted TCP header truncated (${Math.max(0, have)} of 8 bytes)`);
  const out = st.out;
  out.kind = KIND_ICMP_TCP;
  out.sport = u16(t);
  out.dport = u16(t + 2);
  out.seq = u32(t + QT_SEQ);
  if (have >= QT_ACK + 4) out.ack = u32(t + QT_ACK);
  if (have >= QT_OFFSET_FLAGS + 2) {
    const offFlags = u16(t + QT_OFFSET_FLAGS);
    out.flags = offFlags & 0x1ff;
    const hl = (offFlags >>> 12) * 4;
    if (hl >= 20 && quotedSegLen >= hl) {
      out.tcpHeaderLen = hl;
      out.payloadLen = quotedSegLen - hl; // the quoted segment's size on the wire
    }
  }
  if (have >= QT_WINDOW + 2) out.window = u16(t + QT_WINDOW);
}
