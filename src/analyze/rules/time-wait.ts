// time-wait: a SYN reuses a 4-tuple whose previous connection closed moments ago. Either the side still in
// TIME_WAIT answers with a RST, or (Linux) it answers an old SYN with an ACK for the previous connection
// and the client then resets (RST seq = that ACK's ack).
import { ACK, SYN } from '../../decode/packet.js';
import type { Rule } from '../rule.js';
import { EXACT, PATTERN } from '../rule.js';
import { answersLine, answersSyn, serverAnsweredSyn, ms } from './basic.js';

const CLOSED_WITH_FINS = new Set(['SF', 'S2', 'S3', 'SH', 'SHR']);

/** A SYN this soon after the tuple's previous connection ended can meet its TIME_WAIT (Linux keeps 60 s). */
const TIME_WAIT_WINDOW = 120;

export const timeWait: Rule = {
  id: 'time-wait',
  definition: 'a SYN reusing a recently closed 4-tuple answered by RST, or answered by an ACK that the client then resets',
  advice: 'The client reuses a source port while the old connection is still in TIME_WAIT: widen the ephemeral port range, enable tcp_tw_reuse on the client, avoid binding fixed source ports, or let the side that closes first be the client.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    const { conn, r } = ctx;
    // Only a connection closed with FINs leaves a TIME_WAIT behind (a rejected or reset one does not).
    const prev = conn.previous && CLOSED_WITH_FINS.has(conn.previous.state) ? conn.previous : null;
    const ago = prev ? conn.firstTime - prev.endTime : Infinity;
    if (ctx.role === 'server' && answersSyn(ctx) && !serverAnsweredSyn(ctx) && prev && ago <= TIME_WAIT_WINDOW) {
      return {
        confidence: ctx.isExactReply ? EXACT - 0.1 : PATTERN - 0.1,
        evidence: [`the previous connection on this 4-tuple (connection ${prev.id}, ${prev.state}) ended ${ms(ago)} before this SYN, at frame ${prev.lastFrame}`, answersLine(ctx)],
      };
    }
    // Linux's answer to an old SYN in TIME_WAIT: an ACK (no SYN) for the old connection; the client resets it.
    const a = ctx.answers;
    if (ctx.role === 'client' && ctx.r.phase === 'handshake' && a && (a.flags & (SYN | ACK)) === ACK && a.len === 0 &&
      conn.orig.synCount > 0 && conn.resp.synCount === 0 && ctx.isExactReply) {
      const isn = conn.orig.isn;
      return {
        confidence: prev ? EXACT : PATTERN,
        evidence: [
          `the server answered the client's SYN${isn !== null ? ` (seq ${isn})` : ''} with a bare ACK in frame ${a.frame} (ack ${a.ack}, not the SYN's seq + 1): the 4-tuple is still in TIME_WAIT on the server`,
          `the client's RST seq ${r.seq} equals that ACK's ack (RFC 9293 reply to an unacceptable ACK)`,
          ...(prev ? [`the previous connection on this 4-tuple (connection ${prev.id}) ended ${ms(ago)} before`] : []),
        ],
      };
    }
    return undefined;
  },
};
