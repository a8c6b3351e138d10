// Everything a cause rule may look at for one RST, computed once: the packet, its connection, what it
// answers, what a genuine stack would have sent (RFC 9293 3.10.7), and the cross-connection environment.
import { ACK, FIN, RST, SYN, URG } from '../decode/packet.js';
import { seqDiff } from '../decode/seq.js';
import type { Connection } from '../flow/connection.js';
import type { Endpoint } from '../flow/endpoint.js';
import type { LoggedPacket } from '../flow/packet-log.js';
import type { AnsweredSegment, ResetEvent } from '../flow/reset-event.js';
import type { Environment } from './environment.js';
import type { Signature } from './signatures.js';

export interface ResetContext {
  r: ResetEvent;
  conn: Connection;
  /** 'client' or 'server': who the RST claims to come from. */
  role: 'client' | 'server';
  sender: Endpoint;
  peer: Endpoint;
  /** Every RST of the connection (for bursts and follow-ons), and this RST's place in it. */
  resets: readonly ResetEvent[];
  index: number;
  env: Environment;
  /** The segment it most likely answers (the peer's last packet before it), or null. */
  answers: AnsweredSegment | null;
  /** RFC 9293 reply to `answers`: ACK-bearing segment -> <SEQ=SEG.ACK><CTL=RST>; else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
  replySeq: number | null;
  replyAck: number | null;
  /** The RST is exactly the reply a stateless stack sends to `answers`. */
  isExactReply: boolean;
  /** The RST sits at the sender's next sequence number (an active abort, RFC 9293 <SEQ=SND.NXT><CTL=RST>). */
  atNextSeq: boolean;
  /** Packets kept around this RST, in frame order, and the ones after it. */
  around: readonly LoggedPacket[];
  after: readonly LoggedPacket[];
  /** Forged-RST signatures that fired (filled by the signature stage before the rules run). */
  signatures: Signature[];
  /** P(forged) from the signatures' weights, and whether that makes the origin `middlebox`. */
  pForged: number;
  forged: boolean;
  /** Did the receiver act on it: stop (accepted), go on (ignored), or nothing captured after it (unknown). */
  effect: Effect;
  /** Capture saw only one direction of this connection. */
  oneSided: boolean;
}

export type Effect = 'accepted' | 'ignored' | 'unknown';

export function buildContext(r: ResetEvent, conn: Connection, resets: readonly ResetEvent[], env: Environment, index: number): ResetContext {
  const sender = r.fromOrig ? conn.orig : conn.resp;
  const peer = r.fromOrig ? conn.resp : conn.orig;
  const a = r.answers;
  let replySeq: number | null = null;
  let replyAck: number | null = null;
  if (a) {
    if (a.flags & ACK) replySeq = a.ack;
    else {
      replySeq = 0;
      replyAck = (a.seq + a.len + (a.flags & SYN ? 1 : 0) + (a.flags & FIN ? 1 : 0)) >>> 0;
    }
  }
  const hasAck = (r.flags & ACK) !== 0;
  const isExactReply =
    a !== null &&
    (a.flags & ACK ? !hasAck && r.seq === replySeq : hasAck && r.seq === 0 && r.ack === replyAck);
  const window = conn.log.windows.find((w) => w.rstFrame === r.frame);
  const around = window ? window.packets : [];
  const after = around.filter((p) => p.frame > r.frame);
  // Packets are logged relative to the low endpoint until the connection is final; by now they are resolved.
  return {
    r, conn, role: r.fromOrig ? 'client' : 'server', sender, peer, resets, index, env, answers: a,
    replySeq, replyAck, isExactReply,
    atNextSeq: sender.nextSeq !== null && seqDiff(r.seq, sender.nextSeq) === 0,
    around, after, signatures: [], pForged: 0, forged: false, effect: resetEffect(r, conn),
    oneSided: isOneSided(conn),
  };
}

/** A SYN carrying flags a SYN must not carry (RFC 9293; Linux drops SYN+FIN on open ports). */
export function isMalformedSyn(flags: number): boolean {
  return (flags & SYN) !== 0 && (flags & ACK) === 0 && (flags & (FIN | RST | URG)) !== 0;
}


/** `ignored` when the receiver kept the connection after it (the tracker marks that), else whether anything followed. */
export function resetEffect(r: ResetEvent, conn: Connection): Effect {
  if (r.ignoredBy !== null) return 'ignored';
  return conn.lastFrame > r.frame ? 'accepted' : 'unknown';
}

/** Only one direction of the 4-tuple was captured: this connection's, and its previous connection's if any. */
function isOneSided(conn: Connection): boolean {
  if (conn.orig.packets > 0 && conn.resp.packets > 0) return false;
  const prev = conn.previous;
  return !(prev && prev.clientTtl > 0 && prev.serverTtl > 0);
}
