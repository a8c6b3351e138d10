// no-connection (follow-on): after its first RST the sender has no state; each segment still in flight
// from the peer gets its own RST (RFC 9293 3.10.7.1). caused_by names the first RST.
import type { Rule } from '../rule.js';
import { EXACT, PATTERN } from '../rule.js';
import { answersLine } from './basic.js';

export const followOn: Rule = {
  id: 'no-connection',
  definition: 'a RST answering a segment of a connection its sender does not know (after its own first RST, or never seen)',
  advice: 'Nothing to fix on its own: look at the first RST (caused_by) of this connection.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    const first = ctx.r.afterReset;
    if (first === null) return undefined;
    return {
      confidence: ctx.isExactReply ? EXACT : PATTERN,
      causedBy: first,
      evidence: [
        ctx.resets.find((x) => x.frame === first)?.fromOrig === ctx.r.fromOrig
          ? `the ${ctx.role} already reset this connection in frame ${first}; it keeps no state, so each segment still in flight gets a RST`
          : `the ${ctx.role} accepted the RST of frame ${first} and dropped the connection; it answers what still arrives with a RST`,
        answersLine(ctx),
      ],
    };
  },
};
