// Tunnels: IP-in-IP (4in4, 6in4, 4in6, 6in6), GRE, and UDP-based VXLAN, Geneve, Teredo, GTP-U.
// Each sets the tunnel chain and whether tshark 4.0 (default preferences) would decode the inner TCP.

import {
  enterTunnel, malformed, other, st, u16, u8, undecoded, undecodedName,
  TUN_4IN6, TUN_6IN4, TUN_6IN6, TUN_ERSPAN, TUN_GENEVE, TUN_GRE, TUN_GTPU, TUN_IPIP, TUN_TEREDO, TUN_VXLAN,
} from './context.js';
import { decodeErspan, GRE_ERSPAN, GRE_ERSPAN_III } from './erspan.js';
import { decodeEthernet, decodeEthertype, ETHERTYPE_TEB, followsEthertype } from './ethernet.js';
import { decode80211 } from './ieee80211.js';
import { decodeIPv4 } from './ipv4.js';
import { decodeIPv6 } from './ipv6.js';
import { decodePppFrame } from './ppp.js';

export const UDP_HEADER_LEN = 8;
export const PORT_VXLAN = 4789;
/** Linux's pre-IANA VXLAN port. */
export const PORT_VXLAN_LINUX = 8472;
export const PORT_GENEVE = 6081;
export const PORT_TEREDO = 3544;
export const PORT_GTPU = 2152;

const UDP_SPORT = 0;
const UDP_DPORT = 2;
const UDP_LENGTH = 4;
const GRE_FLAG_CHECKSUM = 0x8000;
const GRE_FLAG_ROUTING = 0x4000;
const GRE_FLAG_KEY = 0x2000;
const GRE_FLAG_SEQ = 0x1000;
const GRE_FLAG_ACK = 0x0080; // enhanced GRE (version 1): acknowledgement number present
const GRE_VERSION_MASK = 0x0007;
const GRE_VERSION_PPTP = 1;
/** Enhanced GRE (PPTP): the key field holds the payload length (2 bytes) and the call id. */
const GRE_PPTP_PAYLOAD_LENGTH = 4;
const GRE_PROTO_PPP = 0x880b;
const GRE_PROTO_KEEPALIVE = 0x0000;
const GRE_PROTO_CDP = 0x2000;
const GRE_PROTO_NHRP = 0x2001;
const ETHERTYPE_ARP = 0x0806;
const GRE_PROTO_WCCP = 0x883e;
const WCCP_REDIRECT_LEN = 4;
/** Aruba WLAN: 802.11 frames, protocol types 0x8200-0x8370 in steps of 0x10, and 0x9000. */
const GRE_ARUBA_FIRST = 0x8200;
const GRE_ARUBA_LAST = 0x8370;
const GRE_ARUBA_9000 = 0x9000;
const GRE_BASE_LEN = 4;
const GRE_PROTOCOL = 2;
const GRE_OPTIONAL_WORD = 4; // checksum+offset, key, sequence: 4 bytes each
const GRE_SRE_LENGTH = 3;
const GRE_SRE_HEADER_LEN = 4; // address family (2), SRE offset (1), SRE length (1)
const VXLAN_HEADER_LEN = 8;
const GENEVE_HEADER_LEN = 8;
const GENEVE_PROTOCOL = 2;
const GTP_HEADER_LEN = 8;
const GTP_MSG_TYPE = 1;
const GTP_LENGTH = 2;
const GTP_NEXT_EXT = 3; // within the optional fields
const GTP_OPTIONAL_LEN = 4; // sequence (2), N-PDU (1), next extension type (1)
const GTP_FLAGS_E_S_PN = 0x07;
const GTP_FLAG_E = 0x04;
const GTP_FLAG_PT = 0x10;
const GTP_MSG_TPDU = 0xff;
const TEREDO_AUTH = 0x0001;
const TEREDO_AUTH_FIXED_LEN = 13; // indicator (2), ID len (1), AU len (1), nonce (8), confirmation (1)
const TEREDO_AUTH_ID_LEN = 2;
const TEREDO_AUTH_AU_LEN = 3;
const TEREDO_ORIGIN = 0x0000;
const TEREDO_ORIGIN_LEN = 8;
const IPV6_HEADER_LEN = 40;
const IPV6_PAYLOAD_LEN = 4;

/** IP-in-IP (protocol 4 or 41); the outer header's version is still in st.out.ipVersion. */
export function decodeIpInIp(proto: number, off: number, end: number): void {
  const outer6 = st.out.ipVersion === 6;
  const id = proto === 4 ? (outer6 ? TUN_4IN6 : TUN_IPIP) : (outer6 ? TUN_6IN6 : TUN_6IN4);
  if (!enterTunnel(id, false)) return; // tshark: decoded (ip.proto 4 / 41)
  if (proto === 4) decodeIPv4(off, end);
  else decodeIPv6(off, end);
}

/**
 * GRE version 0 (RFC 1701/2784/2890): optional checksum, key, sequence, routing; IPv4/IPv6/Ethernet,
 * ERSPAN, Aruba 802.11 or WCCP inside. Version 1 (PPTP): PPP inside.
 */
export function decodeGre(off: number, end: number): void {
  if (st.len - off < GRE_BASE_LEN) return malformed('GRE header truncated');
  const flags = u16(off);
  const version = flags & GRE_VERSION_MASK;
  if (version === GRE_VERSION_PPTP) return decodePptpGre(off, end, flags);
  if (version !== 0) return undecoded(undecodedName('GRE version', version));
  const proto = u16(off + GRE_PROTOCOL);
  let p = off + GRE_BASE_LEN;
  if ((flags & (GRE_FLAG_CHECKSUM | GRE_FLAG_ROUTING)) !== 0) p += GRE_OPTIONAL_WORD;
  if ((flags & GRE_FLAG_KEY) !== 0) p += GRE_OPTIONAL_WORD;
  if ((flags & GRE_FLAG_SEQ) !== 0) p += GRE_OPTIONAL_WORD;
  if ((flags & GRE_FLAG_ROUTING) !== 0) {
    for (;;) { // source route entries, until the null SRE; each consumes >= 4 bytes
      if (st.len - p < GRE_SRE_HEADER_LEN || p + GRE_SRE_HEADER_LEN > end) return malformed('GRE routing field truncated');
      const family = u16(p);
      const sreLen = u8(p + GRE_SRE_LENGTH);
      p += GRE_SRE_HEADER_LEN + sreLen;
      if (family === 0 && sreLen === 0) break;
    }
  }
  if (p > end || p > st.len) return malformed('GRE header truncated');
  if (proto === GRE_PROTO_KEEPALIVE || proto === GRE_PROTO_CDP || proto === GRE_PROTO_NHRP || proto === ETHERTYPE_ARP) return other(); // control traffic, no TCP
  if (!enterTunnel(TUN_GRE, false)) return; // tshark: decoded (ip.proto 47)
  if (proto === ETHERTYPE_TEB) return decodeEthernet(p, end);
  if (proto === GRE_ERSPAN || proto === GRE_ERSPAN_III) {
    if (!enterTunnel(TUN_ERSPAN, false)) return; // tshark: decoded (gre.proto 0x88be, 0x22eb)
    return decodeErspan(proto, (flags & GRE_FLAG_SEQ) !== 0, p, end);
  }
  if (isArubaWlan(proto)) return decode80211(p, end); // tshark: decoded (gre.proto 0x8200...)
  if (proto === GRE_PROTO_WCCP) return decodeWccp(p, end);
  if (!followsEthertype(proto)) return undecoded(undecodedName('GRE protocol', proto));
  decodeEthertype(proto, p, end);
}

function isArubaWlan(proto: number): boolean {
  return (proto >= GRE_ARUBA_FIRST && proto <= GRE_ARUBA_LAST && (proto & 0x000f) === 0) || proto === GRE_ARUBA_9000;
}

/** WCCP redirection: IPv4 right away, or after a 4-byte redirect header (Wireshark looks at the version nibble). */
function decodeWccp(off: number, end: number): void {
  if (off >= st.len || off >= end) return malformed('WCCP payload truncated');
  if (u8(off) >> 4 === 4) return decodeIPv4(off, end);
  decodeIPv4(off + WCCP_REDIRECT_LEN, end);
}

/** Enhanced GRE (RFC 2637): key (payload length, call id) always, optional sequence and acknowledgement; PPP inside. */
function decodePptpGre(off: number, end: number, flags: number): void {
  const proto = u16(off + GRE_PROTOCOL);
  if (proto !== GRE_PROTO_PPP || (flags & GRE_FLAG_KEY) === 0) return undecoded('GRE version 1 (not PPTP)');
  let p = off + GRE_BASE_LEN + GRE_OPTIONAL_WORD;
  if ((flags & GRE_FLAG_SEQ) !== 0) p += GRE_OPTIONAL_WORD;
  if ((flags & GRE_FLAG_ACK) !== 0) p += GRE_OPTIONAL_WORD;
  if (p > end || p > st.len) return malformed('GRE header truncated');
  const payloadLen = u16(off + GRE_PPTP_PAYLOAD_LENGTH);
  if (payloadLen === 0) return other(); // an acknowledgement without data
  if (p + payloadLen > end) return malformed(`GRE payload length ${payloadLen} > IP payload ${end - p}`);
  if (!enterTunnel(TUN_GRE, false)) return; // tshark: decoded (gre.proto 0x880b)
  decodePppFrame(p, p + payloadLen);
}

/** UDP: only followed into the tunnel protocols above; everything else is KIND_OTHER. */
export function decodeUdp(off: number, end: number): void {
  if (st.len - off < UDP_HEADER_LEN) return malformed(`UDP header truncated (${Math.max(0, st.len - off)} of 8 bytes)`);
  let ulen = u16(off + UDP_LENGTH);
  if (ulen === 0 && st.out.ipVersion === 6) ulen = Math.min(end, st.len) - off; // jumbogram
  if (ulen < UDP_HEADER_LEN) return malformed(`UDP length ${ulen} < 8`);
  if (off + ulen > end) return malformed(`UDP length ${ulen} > IP payload length ${end - off}`);
  const sport = u16(off + UDP_SPORT);
  const dport = u16(off + UDP_DPORT);
  const p = off + UDP_HEADER_LEN;
  const uend = off + ulen;
  // tshark tries the lower port's dissector first, then the higher one. We assume every other port
  // below 1024 has a dissector that claims the packet (53 -> DNS), so a tunnel behind it is streamless.
  const lo = sport < dport ? sport : dport;
  const hi = sport < dport ? dport : sport;
  const port = isTunnelPort(lo) ? lo : isTunnelPort(hi) ? hi : 0;
  const shadowed = port === hi && port !== lo && lo !== 0 && lo < 1024;
  switch (port) {
    case PORT_VXLAN: return decodeVxlan(p, uend, shadowed); // tshark: VXLAN on udp.port 4789 by default
    case PORT_VXLAN_LINUX: return decodeVxlan(p, uend, true); // tshark: 8472 is not a default VXLAN port
    case PORT_GENEVE: return decodeGeneve(p, uend, shadowed); // tshark: Geneve on udp.port 6081 by default
    case PORT_GTPU: return decodeGtpu(p, uend, shadowed); // tshark: GTP on udp.port 2152 by default
    case PORT_TEREDO: return decodeTeredo(p, uend, false, shadowed); // tshark: Teredo on udp.port 3544 only
    default: return decodeTeredo(p, uend, true, true); // tshark: the Teredo heuristic is off by default
  }
}

function isTunnelPort(port: number): boolean {
  return port === PORT_VXLAN || port === PORT_VXLAN_LINUX || port === PORT_GENEVE
    || port === PORT_GTPU || port === PORT_TEREDO;
}

/** VXLAN: flags (1), reserved (3), VNI (3), reserved (1); then Ethernet. */
function decodeVxlan(off: number, end: number, streamless: boolean): void {
  if (st.len - off < VXLAN_HEADER_LEN || off + VXLAN_HEADER_LEN > end) return malformed('VXLAN header truncated');
  if (!enterTunnel(TUN_VXLAN, streamless)) return;
  decodeEthernet(off + VXLAN_HEADER_LEN, end);
}

/** Geneve: version (2 bits) + options length (6 bits, 4-byte units), flags, protocol type, VNI; then options. */
function decodeGeneve(off: number, end: number, streamless: boolean): void {
  if (st.len - off < GENEVE_HEADER_LEN || off + GENEVE_HEADER_LEN > end) return malformed('Geneve header truncated');
  const first = u8(off);
  if (first >> 6 !== 0) return other(); // unknown version
  const p = off + GENEVE_HEADER_LEN + (first & 0x3f) * 4;
  if (p > end) return malformed('Geneve options run past the UDP payload');
  if (!enterTunnel(TUN_GENEVE, streamless)) return;
  const proto = u16(off + GENEVE_PROTOCOL);
  if (proto === ETHERTYPE_TEB) return decodeEthernet(p, end);
  decodeEthertype(proto, p, end);
}

/** GTPv1-U: flags, type, length, TEID, optional seq/N-PDU/next-ext, extension headers; T-PDU carries IP. */
function decodeGtpu(off: number, end: number, streamless: boolean): void {
  if (st.len - off < GTP_HEADER_LEN || off + GTP_HEADER_LEN > end) return malformed('GTP-U header truncated');
  const flags = u8(off);
  if (flags >> 5 !== 1 || (flags & GTP_FLAG_PT) === 0) return other(); // not GTPv1 (GTP' or v2)
  const gend = off + GTP_HEADER_LEN + u16(off + GTP_LENGTH);
  if (gend > end) return malformed(`GTP-U length ${gend - off - GTP_HEADER_LEN} > UDP payload ${end - off - GTP_HEADER_LEN}`);
  let p = off + GTP_HEADER_LEN;
  if ((flags & GTP_FLAGS_E_S_PN) !== 0) {
    if (st.len - p < GTP_OPTIONAL_LEN || p + GTP_OPTIONAL_LEN > gend) return malformed('GTP-U optional fields truncated');
    let next = (flags & GTP_FLAG_E) !== 0 ? u8(p + GTP_NEXT_EXT) : 0;
    p += GTP_OPTIONAL_LEN;
    while (next !== 0) { // extension headers: length in 4-byte units, next type in the last byte
      if (p >= st.len || p >= gend) return malformed('GTP-U extension header truncated');
      const len = u8(p) * 4;
      if (len === 0) return malformed('GTP-U extension header length 0');
      if (p + len > gend || p + len > st.len) return malformed('GTP-U extension header truncated');
      next = u8(p + len - 1);
      p += len;
    }
  }
  if (u8(off + GTP_MSG_TYPE) !== GTP_MSG_TPDU) return other(); // signalling (echo, end marker, ...)
  if (!enterTunnel(TUN_GTPU, streamless)) return;
  decodeInnerIp(p, gend);
}

/**
 * Teredo (RFC 4380): optional authentication and origin indication headers, then IPv6.
 * `heuristic`: not on port 3544, so believe it only if the IPv6 version and payload length fit the
 * UDP payload exactly (needs 6 captured bytes of the IPv6 header; fewer give KIND_OTHER).
 */
function decodeTeredo(off: number, end: number, heuristic: boolean, streamless: boolean): void {
  let p = off;
  if (end - p >= 2) {
    if (st.len - p < 2) return teredoTruncated(heuristic);
    if (u16(p) === TEREDO_AUTH) {
      if (end - p < 4) return other();
      if (st.len - p < 4) return teredoTruncated(heuristic);
      p += TEREDO_AUTH_FIXED_LEN + u8(p + TEREDO_AUTH_ID_LEN) + u8(p + TEREDO_AUTH_AU_LEN);
    }
  }
  if (end - p >= 2) {
    if (st.len - p < 2) return teredoTruncated(heuristic);
    if (u16(p) === TEREDO_ORIGIN) p += TEREDO_ORIGIN_LEN;
  }
  if (end - p < IPV6_HEADER_LEN) return other(); // no room for IPv6: a bare indication, or not Teredo
  if (heuristic) {
    if (st.len - p < IPV6_PAYLOAD_LEN + 2 || u8(p) >> 4 !== 6 || u16(p + IPV6_PAYLOAD_LEN) + IPV6_HEADER_LEN !== end - p) return other();
  } else {
    if (st.len - p < 1) return teredoTruncated(heuristic);
    if (u8(p) >> 4 !== 6) return other();
  }
  if (!enterTunnel(TUN_TEREDO, streamless)) return;
  decodeIPv6(p, end);
}

function teredoTruncated(heuristic: boolean): void {
  if (heuristic) other();
  else malformed('Teredo header truncated');
}

/** IP whose version is given only by its first nibble (GTP-U T-PDU). */
function decodeInnerIp(off: number, end: number): void {
  if (off >= end) return other();
  if (off >= st.len) return malformed('tunnelled IP packet truncated');
  const version = u8(off) >> 4;
  if (version === 4) return decodeIPv4(off, end);
  if (version === 6) return decodeIPv6(off, end);
  other();
}
