// The decoded summary of one captured packet: the contract between decode/ and flow/.
// One Packet object is reused for every frame (no per-packet allocation): copy what you keep.

/** What decodePacket() found. */
export const KIND_OTHER = 0; // not TCP (UDP, ARP, ICMP informational, ...): counted, not tracked
export const KIND_TCP = 1; // a TCP segment; all IP and TCP fields are valid
export const KIND_ICMP_TCP = 2; // an ICMP/ICMPv6 error quoting a TCP header: fields describe the QUOTED packet
export const KIND_FRAGMENT = 3; // a non-first IP fragment: counted, not decoded
export const KIND_UNSUPPORTED_LINK = 4; // link type we do not decode
export const KIND_MALFORMED = 5; // a header is truncated or impossible; `problem` says which

/** TCP flag bits, as in the header's 9-bit flag field. */
export const FIN = 0x001;
export const SYN = 0x002;
export const RST = 0x004;
export const PSH = 0x008;
export const ACK = 0x010;
export const URG = 0x020;
export const ECE = 0x040;
export const CWR = 0x080;
export const NS = 0x100;

export interface Packet {
  kind: number;
  /** For KIND_MALFORMED: what was wrong (one line, e.g. "IPv4 header length 4 < 20"). */
  problem: string;

  // ---- IP (the innermost IP header that carries TCP, after any tunnel) ----
  /** The buffer the offsets below point into: the frame's bytes, or (decodeFrame) a larger buffer holding them. */
  buf: Uint8Array;
  ipVersion: 4 | 6;
  /** Offsets of the source and destination addresses in `buf` (4 bytes for IPv4, 16 for IPv6). */
  srcOff: number;
  dstOff: number;
  /** TTL (IPv4) or hop limit (IPv6) of that IP header. */
  ttl: number;
  /** IPv4 identification; -1 for IPv6. */
  ipId: number;
  /** IPv4 Don't Fragment bit (false for IPv6). */
  df: boolean;
  /** Tunnel chain outside the inner IP header, '' when none (e.g. 'vxlan', 'gre', 'ipip', 'teredo', 'gtp-u', 'geneve', '6in4'). */
  tunnel: string;
  /** True when tshark 4.0 with default preferences would not decode this TCP segment (so it gets no tcp.stream). */
  streamless: boolean;
  /** KIND_OTHER: the encapsulation decoding stopped at though it may carry IP (e.g. 'GRE version 1 (PPTP)'); '' when none. */
  undecoded: string;

  // ---- TCP ----
  sport: number;
  dport: number;
  /** Unsigned 32-bit sequence and acknowledgement numbers. */
  seq: number;
  ack: number;
  /** 9-bit flag field (FIN..NS above). */
  flags: number;
  /** Raw window field (not scaled). */
  window: number;
  urgent: number;
  /** TCP header length in bytes (data offset * 4). */
  tcpHeaderLen: number;
  /** Payload length on the wire, from the IP length fields (not from the captured length). */
  payloadLen: number;
  /** Offset of the payload in `buf`, and how many payload bytes were captured (<= payloadLen). */
  payloadOff: number;
  capturedPayloadLen: number;

  // ---- TCP options (-1 / false when absent) ----
  mss: number;
  wscale: number;
  sackPermitted: boolean;
  /** Number of SACK blocks in a SACK option (0 when none). */
  sackBlocks: number;
  tsVal: number;
  tsEcr: number;
  /** Option bytes present, in order of kind, e.g. "MSS,SACK_PERM,TS,NOP,WS" (for fingerprints); '' when none. */
  optionKinds: string;
  /** A malformed option was found (never fatal); `problem` describes it. */
  optionsMalformed: boolean;
  /** MPTCP MP_TCPRST option (RFC 8684 3.6): its reason code (mptcpResetReasonName names it), -1 when absent. */
  mptcpRstReason: number;
  /** Its U|V|W|T flag nibble (MPTCP_RST_TRANSIENT = T), -1 when absent. */
  mptcpRstFlags: number;

  /** null when checksums were not verified; else whether the TCP checksum (and IPv4 header checksum) is right. */
  checksumOk: boolean | null;

  // ---- ICMP error (KIND_ICMP_TCP) ----
  /** ICMP type and code (ICMPv4 or ICMPv6), -1 when not an ICMP error. */
  icmpType: number;
  icmpCode: number;
  /** Offset in `buf` of the address of the host that sent the ICMP error (outer IP source). */
  icmpFromOff: number;
  /** Next-hop MTU for "fragmentation needed" / "packet too big", else -1. */
  icmpMtu: number;
}

export interface DecodeOptions {
  verifyChecksums: boolean;
}

export function newPacket(): Packet {
  return {
    kind: KIND_OTHER, problem: '', buf: new Uint8Array(0), ipVersion: 4, srcOff: 0, dstOff: 0,
    ttl: 0, ipId: -1, df: false, tunnel: '', streamless: false, undecoded: '',
    sport: 0, dport: 0, seq: 0, ack: 0, flags: 0, window: 0, urgent: 0, tcpHeaderLen: 0,
    payloadLen: 0, payloadOff: 0, capturedPayloadLen: 0,
    mss: -1, wscale: -1, sackPermitted: false, sackBlocks: 0, tsVal: -1, tsEcr: -1, optionKinds: '',
    optionsMalformed: false, mptcpRstReason: -1, mptcpRstFlags: -1, checksumOk: null, icmpType: -1, icmpCode: -1, icmpFromOff: 0, icmpMtu: -1,
  };
}
