// Public API of the decoding stage.

export { decodeFrame, decodePacket } from './decode-packet.js';
export {
  ACK, CWR, ECE, FIN, KIND_FRAGMENT, KIND_ICMP_TCP, KIND_MALFORMED, KIND_OTHER, KIND_TCP,
  KIND_UNSUPPORTED_LINK, NS, PSH, RST, SYN, URG, newPacket,
} from './packet.js';
export type { DecodeOptions, Packet } from './packet.js';
export { formatAddress } from './address.js';
export { seqAdd, seqDiff, seqGe, seqGt, seqLe, seqLt } from './seq.js';
export { internetChecksum } from './checksum.js';
export { optionLabel } from './tcp-options.js';
export {
  LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_LOOP,
  LINKTYPE_NULL, LINKTYPE_RAW,
} from './linktype.js';
