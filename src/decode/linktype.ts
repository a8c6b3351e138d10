// Link-layer dispatch: LINKTYPE_* value -> the decoder of the first header.

import { decodeArcnetLinux } from './arcnet.js';
import { decodeChdlc } from './chdlc.js';
import { malformed, st, u8 } from './context.js';
import { decodeEthernet } from './ethernet.js';
import { decodeFddi } from './fddi.js';
import { decode80211, decodeRadiotap } from './ieee80211.js';
import { decodeIpoib } from './ipoib.js';
import { decodeIPv4 } from './ipv4.js';
import { decodeIPv6 } from './ipv6.js';
import { decodeNull } from './null.js';
import { KIND_UNSUPPORTED_LINK } from './packet.js';
import { decodePppFrame } from './ppp.js';
import { decodeSll, decodeSll2 } from './sll.js';

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_PPP = 9;
export const LINKTYPE_FDDI = 10;
/** DLT_RAW on most BSDs and old Linux: raw IP, version from the first nibble. */
export const LINKTYPE_RAW_BSD = 12;
/** DLT_RAW on OpenBSD (value 14): raw IP too. */
export const LINKTYPE_RAW_OPENBSD = 14;
export const LINKTYPE_PPP_HDLC = 50;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_C_HDLC = 104;
export const LINKTYPE_IEEE802_11 = 105;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;
export const LINKTYPE_ARCNET_LINUX = 129;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_IPOIB = 242;
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
    case LINKTYPE_PPP:
    case LINKTYPE_PPP_HDLC: return decodePppFrame(0, Infinity);
    case LINKTYPE_FDDI: return decodeFddi(0);
    case LINKTYPE_C_HDLC: return decodeChdlc(0);
    case LINKTYPE_IEEE802_11: return decode80211(0, Infinity);
    case LINKTYPE_IEEE802_11_RADIOTAP: return decodeRadiotap(0);
    case LINKTYPE_ARCNET_LINUX: return decodeArcnetLinux(0);
    case LINKTYPE_IPOIB: return decodeIpoib(0);
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

/** Names of link types that captures use but rstscope does not decode (for the capture's warning). */
const LINK_NAMES = new Map<number, string>([
  [6, 'IEEE 802.5 Token Ring'], [7, 'ARCNET'], [8, 'SLIP'], [107, 'Frame Relay'], [119, 'Prism 802.11'],
  [139, 'SS7 MTP2 with pseudo-header'], [140, 'SS7 MTP2'], [163, 'AVS 802.11'], [166, 'PPP with pppd direction'],
  [178, 'Juniper Ethernet'], [187, 'Bluetooth HCI H4'], [189, 'Linux USB'], [192, 'PPI'],
  [195, 'IEEE 802.15.4'], [197, 'ERF'], [201, 'Bluetooth HCI H4 with pseudo-header'], [220, 'Linux USB mmapped'],
  [227, 'SocketCAN'], [239, 'NFLOG'], [248, 'SCTP'], [249, 'USBPcap'], [253, 'Netlink'],
  [254, 'Bluetooth Linux monitor'], [281, 'Broadcom DSA tag'], [282, 'Broadcom DSA prepend tag'],
  [283, 'IEEE 802.15.4 TAP'], [284, 'Marvell DSA tag'], [285, 'Marvell EDSA tag'],
]);

/** "link type N (name)" for a capture warning: the name when we know it. */
export function linkTypeLabel(linktype: number): string {
  const name = LINK_NAMES.get(linktype);
  return name === undefined ? `link type ${linktype}` : `link type ${linktype} (${name})`;
}
