// PPPoE session stage (RFC 2516) and the PPP protocol field it carries (IPv4, IPv6).

import { enterLayer, malformed, other, st, u16, u8, undecoded, undecodedName } from './context.js';
import { decodeIPv4 } from './ipv4.js';
import { decodeIPv6 } from './ipv6.js';

export const ETHERTYPE_PPPOE_SESSION = 0x8864;
export const PPPOE_HEADER_LEN = 6;
export const PPP_IPV4 = 0x0021;
export const PPP_IPV6 = 0x0057;

const PPPOE_VER_TYPE = 0;
const PPPOE_CODE = 1;
const PPPOE_LENGTH = 4;
const PPPOE_VER_TYPE_1_1 = 0x11;
const PPPOE_CODE_SESSION = 0x00;
const PPP_PROTOCOL_LEN = 2;
/** PPP protocol numbers below this are network-layer protocols; above are control protocols (LCP, IPCP...). */
const PPP_FIRST_CONTROL = 0x4000;

/** PPPoE session packet at `off` (after the EtherType); its length field bounds the PPP frame. */
export function decodePppoeSession(off: number, limit: number): void {
  if (st.len - off < PPPOE_HEADER_LEN + PPP_PROTOCOL_LEN) return malformed('PPPoE header truncated');
  if (u8(off + PPPOE_VER_TYPE) !== PPPOE_VER_TYPE_1_1 || u8(off + PPPOE_CODE) !== PPPOE_CODE_SESSION) {
    return undecoded('PPPoE (unknown version or code)');
  }
  const len = u16(off + PPPOE_LENGTH);
  if (len < PPP_PROTOCOL_LEN) return malformed(`PPPoE length ${len} < 2`);
  const end = off + PPPOE_HEADER_LEN + len;
  if (end > limit) return malformed('PPPoE length runs past the enclosing layer');
  if (!enterLayer()) return;
  decodePppProtocol(u16(off + PPPOE_HEADER_LEN), off + PPPOE_HEADER_LEN + PPP_PROTOCOL_LEN, end);
}

/** The PPP payload of protocol `proto` at `off`: IP is followed, control protocols are KIND_OTHER. */
export function decodePppProtocol(proto: number, off: number, end: number): void {
  switch (proto) {
    case PPP_IPV4: return decodeIPv4(off, end);
    case PPP_IPV6: return decodeIPv6(off, end);
    default:
      if (proto >= PPP_FIRST_CONTROL) return other(); // LCP, IPCP, authentication: no user traffic
      undecoded(undecodedName('PPP protocol', proto)); // e.g. compressed or multilink data
  }
}

const PPP_ADDRESS_ALL = 0xff;
const PPP_CONTROL_UI = 0x03;
const PPP_ADDRESS_CONTROL_LEN = 2;

/** A PPP frame (HDLC-like framing removed, as in PPTP's GRE): optional address/control, 1- or 2-byte protocol. */
export function decodePppFrame(off: number, end: number): void {
  if (st.len - off < PPP_ADDRESS_CONTROL_LEN || off + PPP_ADDRESS_CONTROL_LEN > end) return malformed('PPP header truncated');
  if (u8(off) === PPP_ADDRESS_ALL && u8(off + 1) === PPP_CONTROL_UI) off += PPP_ADDRESS_CONTROL_LEN;
  if (off >= st.len || off >= end) return malformed('PPP header truncated');
  // Protocol-field compression: an odd first byte is the whole (1-byte) protocol number.
  if ((u8(off) & 1) === 1) return decodePppProtocol(u8(off), off + 1, end);
  if (st.len - off < PPP_PROTOCOL_LEN || off + PPP_PROTOCOL_LEN > end) return malformed('PPP header truncated');
  decodePppProtocol(u16(off), off + PPP_PROTOCOL_LEN, end);
}
