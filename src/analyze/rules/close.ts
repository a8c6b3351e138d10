// data-after-close, fin-then-reset and abortive-close: RSTs around the end of a connection.
import { ACK, FIN, SYN } from '../../decode/packet.js';
import { seqDiff } from '../../decode/seq.js';
import type { ResetContext } from '../context.js';
import type { Match } from '../rule.js';
import type { Rule } from '../rule.js';
import { EXACT, LIKELY, PATTERN, WEAK } from '../rule.js';
import { answersLine, ms, peerLastLine, predictionLine } from './basic.js';

/** A RST this soon after a FIN is a "fast close" rather than an unrelated abort. */
const FIN_THEN_RESET_WINDOW = 1;

export const dataAfterClose: Rule = {
  id: 'data-after-close',
  definition: 'the RST is sent because data arrived that its sender will not read: payload after its FIN, or unread data in its receive buffer when it closed (Linux then sends RST instead of FIN)',
  advice: 'The peer kept sending after this side closed: fix the application protocol so both sides agree when the conversation ends (e.g. read the full request before closing, or half-close with shutdown(SHUT_WR) and drain).',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    const a = ctx.answers;
    const s = ctx.sender;
    const data = ctx.r.peerDataFrame;
    // Payload from the peer after this side's FIN (the RST answers it or a segment right behind it).
    if (s.finFrame > 0 && data > s.finFrame && data < ctx.r.frame) {
      return {
        confidence: ctx.isExactReply || ctx.atNextSeq ? EXACT : PATTERN,
        evidence: [`the ${ctx.role} closed with a FIN in frame ${s.finFrame}`, `then payload arrived from the ${ctx.role === 'client' ? 'server' : 'client'} in frame ${data}; ` + answersLine(ctx)],
      };
    }
    if (!a || a.len === 0) return undefined;
    return unreadAtClose(ctx);
  },
};

/**
 * Close with unread data: the server's RST sits at its next sequence number with ACK, it had acknowledged the
 * client's last data (it reached its receive buffer) and sent nothing after it: that request was never answered.
 */
function unreadAtClose(ctx: ResetContext): Match | undefined {
  const { r, sender, peer } = ctx;
  const a = ctx.answers!;
  // A server's unanswered data is a request it never read; a client's last data in is usually a response it read.
  if (ctx.role !== 'server' || !ctx.atNextSeq || !(r.flags & ACK) || r.phase !== 'data' || a.flags & FIN) return undefined;
  const end = (a.seq + a.len) >>> 0;
  if (seqDiff(r.ack, end) < 0 || peer.nextSeq === null || seqDiff(peer.nextSeq, end) !== 0) return undefined;
  if (sender.lastSegFrame > a.frame) return undefined;
  // Right on the lab's close-unread captures, wrong on most public traces (aborts after reading): weak.
  return {
    confidence: WEAK,
    evidence: [
      `the client sent ${a.len} bytes in frame ${a.frame} and the server sent no data after them`,
      `RST ack ${r.ack} covers those bytes (they reached the server's receive buffer) and seq ${r.seq} is its next sequence number: the close-with-unread-data RST (Linux sends it instead of a FIN); an abort after reading them (SO_LINGER 0) looks the same on the wire`,
    ],
  };
}

export const finThenReset: Rule = {
  id: 'fin-then-reset',
  definition: 'a RST right after a FIN, instead of finishing the close (load balancer or security device fast close)',
  advice: 'A fast close: a load balancer or security device (or the application) resets right after the FIN to skip TIME_WAIT. Harmless if the data was delivered; if it was not, disable the device\'s "reset on close" or fix the application\'s close.',
  origins: ['endpoint', 'unknown', 'middlebox'],
  explain(ctx) {
    const { conn, r } = ctx;
    // The side that sent the FIN resets right after it, or a device in the path resets after either side's FIN
    // (a load balancer's fast close resets both ends); a genuine receiver of a FIN that aborts is an abortive close.
    const candidates = ctx.forged ? [conn.orig, conn.resp] : [ctx.sender];
    const fins = candidates.filter((e) => e.finFrame > 0 && e.finTime <= r.time && !(e.synFlags >= 0 && e.finFrame === e.firstFrame && e.synFlags & SYN));
    const last = fins.sort((x, y) => y.finTime - x.finTime)[0];
    if (!last || r.time - last.finTime > FIN_THEN_RESET_WINDOW) return undefined;
    const who = last === conn.orig ? 'client' : 'server';
    const evidence = [`a FIN from the ${who} in frame ${last.finFrame}, ${ms(r.time - last.finTime)} before this RST`];
    const p = predictionLine(ctx);
    if (p) evidence.push(p);
    return { confidence: PATTERN, evidence };
  },
};

export const abortiveClose: Rule = {
  id: 'abortive-close',
  definition: 'an endpoint aborts (SO_LINGER 0, application or process abort, close with unread data): RST or RST+ACK at its next sequence',
  advice: 'The application aborted the connection: look for close() with SO_LINGER {1,0}, a process exit or crash, or close() with unread data in the receive buffer (Linux then sends RST instead of FIN); read everything before closing.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    // The handshake phase too: a server that accept()s and aborts at once (rate limiting, TCP wrappers, SO_LINGER 0).
    const acceptThenAbort = ctx.r.phase === 'handshake' && ctx.role === 'server' && ctx.conn.handshakeAckTime > 0 && ctx.atNextSeq && (ctx.r.flags & ACK) !== 0;
    if (ctx.r.phase !== 'data' && ctx.r.phase !== 'teardown' && !acceptThenAbort) return undefined;
    if (acceptThenAbort) return { confidence: PATTERN, evidence: [predictionLine(ctx)!, `right after the handshake (completed ${ms(ctx.r.time - ctx.conn.handshakeAckTime)} before), with no data: the server accepted the connection and aborted it`] };
    if (ctx.atNextSeq) return { confidence: EXACT, evidence: [predictionLine(ctx)!, peerLastLine(ctx)] };
    if (ctx.isExactReply) return { confidence: PATTERN, evidence: [predictionLine(ctx)!] };
    return { confidence: LIKELY, evidence: [`RST seq ${ctx.r.seq} is not the ${ctx.role}'s next sequence number (${ctx.sender.nextSeq ?? 'unknown'})`, answersLine(ctx)] };
  },
};
