// The kinds of a client's first packets, kept per connection for the tampering signature (analyze/tamper.ts).
import { ACK, FIN, RST, SYN } from '../decode/packet.js';

/** Client-packet kinds, 3 bits each in a connection's record of its first packets. */
export const T_SYN = 1;
export const T_ACK = 2;
export const T_DATA = 3;
export const T_RST = 4;
export const T_RST_ACK = 5;
export const T_RST_ZERO = 6;
export const T_FIN = 7;

/** How many client packets the signature reads, and the silence (s) after the last one that makes a timeout. */
export const TAMPER_PACKETS = 10;
export const TAMPER_QUIET = 3;

/** The kind of one client packet. */
export function tamperKind(flags: number, payloadLen: number, ack: number): number {
  if (flags & RST) return flags & ACK ? T_RST_ACK : ack === 0 ? T_RST_ZERO : T_RST;
  if (flags & SYN) return T_SYN;
  if (flags & FIN) return T_FIN;
  return payloadLen > 0 ? T_DATA : T_ACK;
}

