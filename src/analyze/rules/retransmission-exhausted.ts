// retransmission-exhausted: the same segment retransmitted several times without an ACK covering it,
// then a RST from the retransmitter (Windows ends with RST+ACK after 5 retransmissions; Linux sends none
// when tcp_retries2 runs out, and an application giving up aborts with a RST).
import type { Rule } from '../rule.js';
import { EXACT, PATTERN } from '../rule.js';
import { ms } from './basic.js';

/** Retransmissions of one segment in a row that count as "exhausted". */
export const MIN_RETRANSMISSIONS = 3;

export const retransmissionExhausted: Rule = {
  id: 'retransmission-exhausted',
  definition: 'the same segment retransmitted several times unanswered, then a RST from the retransmitter',
  advice: 'The path or the peer stopped delivering: look for drops between the capture point and the peer (capture at a second point: rstscope locate shows the bytes lost), a dead peer, or a middlebox discarding the flow; check tcp_retries2 / TcpMaxDataRetransmissions.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    const s = ctx.sender;
    const n = ctx.r.senderRtxRun;
    if (n >= MIN_RETRANSMISSIONS) {
      const silence = ctx.r.time - (ctx.peer.lastTime || ctx.r.time);
      return {
        confidence: ctx.atNextSeq ? EXACT : PATTERN,
        evidence: [
          `the ${ctx.role} retransmitted the segment at seq ${s.rtxSeq} ${n} times in a row without an ACK covering it`,
          `nothing from the peer for ${ms(silence)} before the RST (frame ${ctx.r.frame})`,
        ],
      };
    }
    const repeat = ctx.r.senderRtxRepeat;
    if (repeat < MIN_RETRANSMISSIONS) return undefined;
    // ACKs were seen here yet the sender kept retransmitting: they are lost between this point and the sender.
    return {
      confidence: PATTERN,
      evidence: [
        `the ${ctx.role} retransmitted the segment at seq ${s.rtxSeq} ${repeat} times in a row although the peer's ACKs covering it passed this capture point`,
        `so those ACKs were lost between here and the ${ctx.role}; capture on the ${ctx.role}'s side to confirm (rstscope locate)`,
      ],
    };
  },
};
