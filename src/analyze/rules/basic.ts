// Small facts several rules share.
import { ACK, SYN } from '../../decode/packet.js';
import { segmentName, flagLetters } from '../../report/flags.js';
import type { ResetContext } from '../context.js';

export function answersSyn(ctx: ResetContext): boolean {
  const a = ctx.answers;
  return a !== null && (a.flags & (SYN | ACK)) === SYN;
}

/** The server sent a SYN/ACK on this connection (before or after the RST). */
export function serverAnsweredSyn(ctx: ResetContext): boolean {
  return ctx.conn.resp.synCount > 0;
}

/** The client completed the handshake (an ACK after the SYN/ACK). */
export function handshakeCompleted(ctx: ResetContext): boolean {
  return ctx.conn.handshakeAckTime > 0;
}

export function rstLine(ctx: ResetContext): string {
  const r = ctx.r;
  return `frame ${r.frame}: ${flagLetters(r.flags)} from the ${ctx.role} (${r.src}:${r.sport}) seq ${r.seq}${r.flags & ACK ? ` ack ${r.ack}` : ''}, window ${r.window}, TTL ${r.ttl}`;
}

export function answersLine(ctx: ResetContext): string {
  const a = ctx.answers;
  if (!a) return `nothing from the ${ctx.role === 'client' ? 'server' : 'client'} was captured before it`;
  return `it answers frame ${a.frame} (${segmentName(a.flags, a.len)}, seq ${a.seq}${a.flags & ACK ? `, ack ${a.ack}` : ''}) ${ms(ctx.r.time - a.time)} later`;
}

/** The peer's last packet before the RST, for a RST that answers none (an active abort). */
export function peerLastLine(ctx: ResetContext): string {
  const a = ctx.answers;
  const peer = ctx.role === 'client' ? 'server' : 'client';
  if (!a) return `nothing from the ${peer} was captured before it`;
  return `the ${peer}'s last packet before it: frame ${a.frame} (${segmentName(a.flags, a.len)}, seq ${a.seq}${a.flags & ACK ? `, ack ${a.ack}` : ''}), ${ms(ctx.r.time - a.time)} earlier`;
}

export function predictionLine(ctx: ResetContext): string | undefined {
  if (ctx.isExactReply) return `exactly the RFC 9293 reply to frame ${ctx.answers!.frame}: ${ctx.r.flags & ACK ? `<SEQ=0><ACK=${ctx.replyAck}><CTL=RST,ACK>` : `<SEQ=${ctx.replySeq}><CTL=RST>`}`;
  if (ctx.atNextSeq) return `seq ${ctx.r.seq} is the ${ctx.role}'s next sequence number (an active abort, <SEQ=SND.NXT><CTL=RST>)`;
  return undefined;
}

export function ms(s: number): string {
  return s < 1 ? `${(s * 1000).toFixed(3)} ms` : `${s.toFixed(3)} s`;
}

