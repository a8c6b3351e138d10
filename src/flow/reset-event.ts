import type { RstDiagnostic } from '../decode/rst-payload.js';

// What the tracker records about each RST packet: the packet facts and the connection context.

export type Phase = 'handshake' | 'data' | 'teardown' | 'none';

/** The segment a RST most likely answers: the peer's last packet before it. */
export interface AnsweredSegment {
  frame: number;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  time: number;
  ipId: number;
  ttl: number;
  /** Seconds of silence on the 4-tuple before it (either direction, the previous connection on the tuple included). */
  gapBefore: number;
}

export interface ResetEvent {
  frame: number;
  tsSec: number;
  tsNsec: number;
  /** Seconds (float) for arithmetic. */
  time: number;
  precision: number;
  stream: number | null;
  /** Whether the originator (Zeek's orig; our "client") sent it, as seen when it arrived. */
  fromOrig: boolean;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  flags: number;
  seq: number;
  ack: number;
  ttl: number;
  ipId: number;
  df: boolean;
  window: number;
  payloadLen: number;
  /** Printable text carried in the RST payload (RFC 1122 4.2.2.12), '' when none. */
  text: string;
  /** The RST diagnostic payload (draft-ietf-tcpm-rst-diagnostic-payload), null when none. */
  diagnostic: RstDiagnostic | null;
  /** Reason code of an MPTCP MP_TCPRST option on the RST (RFC 8684 3.6), -1 when none. */
  mptcpReason: number;
  phase: Phase;
  /** The connection was already reset (by either side) before this RST: frame of the first RST, else null. */
  afterReset: number | null;
  answers: AnsweredSegment | null;
  /** Sender's next sequence number before this RST (null if it never sent anything). */
  senderNextSeq: number | null;
  /** Time of the sender's last packet other than a RST before this one (0 when none). */
  senderLastTime: number;
  /** The peer's last segment with payload before this RST (0 when none). */
  peerDataFrame: number;
  /** The receiver's state when the RST arrived: the highest ACK it had sent and its last advertised window (unscaled, -1 unknown). */
  receiverAck: number | null;
  receiverWindow: number;
  /** Frame of the receiver's first packet showing it kept the connection after this RST (it ignored it), else null. */
  ignoredBy: number | null;

  tunnel: string;
  /** Seconds since the connection's previous packet (either direction), and since its last non-keepalive one. */
  silence: number;
  activitySilence: number;
  /** The sender's unanswered retransmissions of one segment in a row, just before the RST. */
  senderRtxRun: number;
  /** The same, counting retransmissions that ACKs seen at this capture point covered (the ACKs got lost after it). */
  senderRtxRepeat: number;
  /** Frame of an identical earlier packet (a duplicate from a second interface or a SPAN), else null. */
  duplicateOf: number | null;
}
