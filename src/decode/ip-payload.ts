// Upper-layer dispatch shared by IPv4 and IPv6: TCP, UDP (tunnels), ICMP errors, IP-in-IP, GRE.

import { other, st } from './context.js';
import { decodeIcmp4, decodeIcmp6 } from './icmp.js';
import { decodeTcp } from './tcp.js';
import { decodeGre, decodeIpInIp, decodeUdp } from './tunnels.js';

export const PROTO_ICMP = 1;
export const PROTO_IPIP = 4;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_IPV6 = 41;
export const PROTO_GRE = 47;
export const PROTO_ICMPV6 = 58;

/** Decodes protocol `proto` at `off`; `end` is where the IP payload ends on the wire. */
export function decodeIpPayload(proto: number, off: number, end: number): void {
  // A first fragment ends before its datagram does: let UDP and tunnels trust their own lengths.
  const limit = st.fragmented ? Infinity : end;
  switch (proto) {
    case PROTO_TCP: return decodeTcp(off, end); // fragment: the segment length is the fragment's
    case PROTO_UDP: return decodeUdp(off, limit);
    case PROTO_ICMP: return decodeIcmp4(off, limit);
    case PROTO_ICMPV6: return decodeIcmp6(off, limit);
    case PROTO_IPIP:
    case PROTO_IPV6: return decodeIpInIp(proto, off, limit);
    case PROTO_GRE: return decodeGre(off, limit);
    default: return other();
  }
}
