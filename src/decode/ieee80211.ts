// IEEE 802.11 data frames (LINKTYPE_IEEE802_11 105, radiotap 127, Aruba GRE): MAC header, then LLC/SNAP.

import { malformed, other, st, u16le, u8, undecoded } from './context.js';
import { decodeLlc } from './ethernet.js';

export const WLAN_HEADER_LEN = 24;
export const RADIOTAP_MIN_LEN = 8;

const FC_LEN = 2;
const FC_TYPE_BYTE = 0; // version (2 bits), type (2), subtype (4), low bits first
const FC_FLAGS_BYTE = 1;
const FC_VERSION_MASK = 0x03;
const FC_TYPE_SHIFT = 2;
const FC_TYPE_MASK = 0x03;
const FC_SUBTYPE_SHIFT = 4;
const TYPE_DATA = 2;
const SUBTYPE_QOS = 0x08;
const SUBTYPE_NO_DATA = 0x04; // Null, CF-Ack, CF-Poll without data
const FLAG_TO_DS = 0x01;
const FLAG_FROM_DS = 0x02;
const FLAG_MORE_FRAGMENTS = 0x04;
const FLAG_PROTECTED = 0x40;
const FLAG_ORDER = 0x80; // +HTC in QoS data frames
const SEQ_CTRL = 22; // fragment number in the low 4 bits
const FRAGMENT_MASK = 0x000f;
const ADDR4_LEN = 6;
const QOS_CTRL_LEN = 2;
const QOS_AMSDU = 0x80; // first QoS control byte: A-MSDU present
const HT_CTRL_LEN = 4;
const RADIOTAP_LENGTH = 2; // little-endian

/** An 802.11 frame at `off`; `end` bounds it (a trailing FCS is left to the IP lengths). */
export function decode80211(off: number, end: number): void {
  if (st.len - off < FC_LEN || off + FC_LEN > end) return malformed('802.11 frame control truncated');
  const fc = u8(off + FC_TYPE_BYTE);
  const flags = u8(off + FC_FLAGS_BYTE);
  const subtype = fc >> FC_SUBTYPE_SHIFT;
  if ((fc & FC_VERSION_MASK) !== 0 || ((fc >> FC_TYPE_SHIFT) & FC_TYPE_MASK) !== TYPE_DATA) return other(); // management, control
  if (st.len - off < WLAN_HEADER_LEN || off + WLAN_HEADER_LEN > end) return malformed('802.11 header truncated');
  if ((subtype & SUBTYPE_NO_DATA) !== 0) return other();
  if ((flags & FLAG_PROTECTED) !== 0) return other(); // encrypted: tshark cannot read it either without keys
  if ((flags & FLAG_MORE_FRAGMENTS) !== 0 || (u16le(off + SEQ_CTRL) & FRAGMENT_MASK) !== 0) return undecoded('802.11 fragment');
  let p = off + WLAN_HEADER_LEN;
  if ((flags & (FLAG_TO_DS | FLAG_FROM_DS)) === (FLAG_TO_DS | FLAG_FROM_DS)) p += ADDR4_LEN;
  if ((subtype & SUBTYPE_QOS) !== 0) {
    if (st.len - p < QOS_CTRL_LEN || p + QOS_CTRL_LEN > end) return malformed('802.11 QoS control truncated');
    if ((u8(p) & QOS_AMSDU) !== 0) return undecoded('802.11 A-MSDU');
    p += QOS_CTRL_LEN;
    if ((flags & FLAG_ORDER) !== 0) p += HT_CTRL_LEN;
  }
  if (p > end || p > st.len) return malformed('802.11 header truncated');
  decodeLlc(p, end);
}

/** Radiotap header (little-endian length at byte 2), then the 802.11 frame. */
export function decodeRadiotap(off: number): void {
  if (st.len - off < RADIOTAP_MIN_LEN) return malformed('radiotap header truncated');
  const len = u16le(off + RADIOTAP_LENGTH);
  if (len < RADIOTAP_MIN_LEN || st.len - off < len) return malformed(`radiotap length ${len} does not fit the frame`);
  decode80211(off + len, Infinity);
}
