// Linux "cooked" capture headers: SLL v1 (LINKTYPE_LINUX_SLL 113) and v2 (LINKTYPE_LINUX_SLL2 276).

import { malformed, other, st, u16 } from './context.js';
import { decodeEthertype } from './ethernet.js';

export const SLL_HEADER_LEN = 16;
export const SLL2_HEADER_LEN = 20;
const SLL_HATYPE = 2;
const SLL_PROTOCOL = 14;
const SLL2_PROTOCOL = 0;
const SLL2_HATYPE = 8;
/** ARPHRD_NETLINK: the protocol field is a netlink family, not an EtherType. */
const ARPHRD_NETLINK = 824;
/** Protocol values below this are Linux ETH_P_* pseudo-types (802.2, 802.3, CAN, ...), not EtherTypes. */
const MIN_ETHERTYPE = 0x0600;

/** SLL v1: packet type, ARPHRD type, address length, address (8), protocol. */
export function decodeSll(off: number): void {
  if (st.len - off < SLL_HEADER_LEN) return malformed(`Linux SLL header truncated (${st.len - off} of ${SLL_HEADER_LEN} bytes)`);
  dispatch(u16(off + SLL_HATYPE), u16(off + SLL_PROTOCOL), off + SLL_HEADER_LEN);
}

/** SLL v2: protocol, reserved, interface index, ARPHRD type, packet type, address length, address (8). */
export function decodeSll2(off: number): void {
  if (st.len - off < SLL2_HEADER_LEN) return malformed(`Linux SLL2 header truncated (${st.len - off} of ${SLL2_HEADER_LEN} bytes)`);
  dispatch(u16(off + SLL2_HATYPE), u16(off + SLL2_PROTOCOL), off + SLL2_HEADER_LEN);
}

function dispatch(hatype: number, protocol: number, off: number): void {
  if (hatype === ARPHRD_NETLINK || protocol < MIN_ETHERTYPE) return other();
  decodeEthertype(protocol, off, Infinity);
}
