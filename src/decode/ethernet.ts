// Ethernet II / 802.3+SNAP, VLAN tags (802.1Q, 802.1ad, 0x9100), MPLS label stacks, Cisco FabricPath,
// 802.1ah provider backbone bridging, PPPoE sessions, NSH.

import { enterLayer, malformed, other, st, u16, u8, undecoded } from './context.js';
import { decodeIPv4 } from './ipv4.js';
import { decodeIPv6 } from './ipv6.js';
import { decodeNsh, ETHERTYPE_NSH } from './nsh.js';
import { decodePppoeSession, ETHERTYPE_PPPOE_SESSION } from './ppp.js';

export const ETH_HEADER_LEN = 14;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
export const ETHERTYPE_QINQ_OLD = 0x9100;
export const ETHERTYPE_MPLS = 0x8847;
export const ETHERTYPE_MPLS_MULTICAST = 0x8848;
export const ETHERTYPE_FABRICPATH = 0x8903;
/** 802.1ah provider backbone bridging: an I-TAG, then the customer's Ethernet frame. */
export const ETHERTYPE_PBB = 0x88e7;
/** Transparent Ethernet bridging (GRE, Geneve protocol type). */
export const ETHERTYPE_TEB = 0x6558;

const ETH_TYPE = 12;
const VLAN_TAG_LEN = 4;
const VLAN_INNER_TYPE = 2;
const MPLS_ENTRY_LEN = 4;
const MPLS_BOS_BYTE = 2; // the bottom-of-stack bit is the low bit of the third byte
/** FabricPath: FTag/TTL (2 bytes) follow the 0x8903 type, then the inner Ethernet frame. */
const FABRICPATH_TAG_LEN = 2;
const PBB_ITAG_LEN = 4; // priority, DEI, use-customer-address, reserved bits, I-SID (24 bits)
/** Largest 802.3 length field; larger values are EtherTypes (>= 0x0600). */
const MAX_8023_LENGTH = 1500;
const LLC_SNAP_LEN = 8; // DSAP 0xaa, SSAP 0xaa, control 0x03, OUI (3), EtherType (2)
const SNAP_TYPE = 6;

/** Decodes an Ethernet frame at `off`; `limit` is where the enclosing layer ends (Infinity at top). */
export function decodeEthernet(off: number, limit: number): void {
  if (st.len - off < ETH_HEADER_LEN) {
    return malformed(`Ethernet header truncated (${Math.max(0, st.len - off)} of ${ETH_HEADER_LEN} bytes)`);
  }
  if (off + ETH_HEADER_LEN > limit) return malformed('Ethernet frame shorter than its header');
  const type = u16(off + ETH_TYPE);
  if (type <= MAX_8023_LENGTH) return decodeLlc(off + ETH_HEADER_LEN, limit);
  decodeEthertype(type, off + ETH_HEADER_LEN, limit);
}

/** Dispatches on an EtherType whose payload starts at `off` (also used by SLL and GRE). */
export function decodeEthertype(type: number, off: number, limit: number): void {
  // VLAN tags: loop, bounded by the captured length (each tag consumes 4 bytes).
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    if (st.len - off < VLAN_TAG_LEN) return malformed('VLAN tag truncated');
    type = u16(off + VLAN_INNER_TYPE);
    off += VLAN_TAG_LEN;
  }
  switch (type) {
    case ETHERTYPE_IPV4: return decodeIPv4(off, limit);
    case ETHERTYPE_IPV6: return decodeIPv6(off, limit);
    case ETHERTYPE_MPLS:
    case ETHERTYPE_MPLS_MULTICAST: return decodeMpls(off, limit);
    case ETHERTYPE_FABRICPATH:
      if (!enterLayer()) return;
      return decodeEthernet(off + FABRICPATH_TAG_LEN, limit);
    case ETHERTYPE_PBB:
      if (!enterLayer()) return;
      return decodeEthernet(off + PBB_ITAG_LEN, limit);
    case ETHERTYPE_PPPOE_SESSION: return decodePppoeSession(off, limit);
    case ETHERTYPE_NSH: return decodeNsh(off, limit);
    default: return other();
  }
}

/** Whether decodeEthertype() follows `type` (an encapsulation carrying something else ends there). */
export function followsEthertype(type: number): boolean {
  switch (type) {
    case ETHERTYPE_IPV4: case ETHERTYPE_IPV6: case ETHERTYPE_VLAN: case ETHERTYPE_QINQ: case ETHERTYPE_QINQ_OLD:
    case ETHERTYPE_MPLS: case ETHERTYPE_MPLS_MULTICAST: case ETHERTYPE_FABRICPATH: case ETHERTYPE_PBB:
    case ETHERTYPE_PPPOE_SESSION: case ETHERTYPE_NSH: return true;
    default: return false;
  }
}

/** MPLS label stack, then IPv4/IPv6 guessed from the first nibble as Wireshark does. */
function decodeMpls(off: number, limit: number): void {
  for (;;) {
    if (st.len - off < MPLS_ENTRY_LEN) return malformed('MPLS label stack truncated');
    const bottom = (u8(off + MPLS_BOS_BYTE) & 1) !== 0;
    off += MPLS_ENTRY_LEN;
    if (bottom) break;
  }
  if (off >= st.len) return malformed('MPLS payload truncated');
  const version = u8(off) >> 4;
  if (version === 4) return decodeIPv4(off, limit);
  if (version === 6) return decodeIPv6(off, limit);
  undecoded('MPLS pseudowire'); // control word / Ethernet over MPLS
}

/** 802.2 LLC at `off` (802.3, FDDI, 802.11): only SNAP with an EtherType is followed. */
export function decodeLlc(off: number, limit: number): void {
  if (st.len - off < LLC_SNAP_LEN) return other();
  if (u8(off) !== 0xaa || u8(off + 1) !== 0xaa || u8(off + 2) !== 0x03) return other();
  decodeEthertype(u16(off + SNAP_TYPE), off + LLC_SNAP_LEN, limit);
}
