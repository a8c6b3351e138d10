// no-connection: the sender never took part in this connection as captured: it answers a segment
// (not a SYN) of a connection it does not know, e.g. after a reboot, a failover or a NAT timeout.
import type { Rule } from '../rule.js';
import { EXACT, HEURISTIC, WEAK } from '../rule.js';
import { answersLine } from './basic.js';

export const noConnection: Rule = {
  id: 'no-connection',
  definition: 'a RST answering a segment of a connection its sender does not know (no state: restarted host, failover, expired NAT or firewall state)',
  advice: 'The sender had no state for this connection: check for a restart, a failover, or a NAT/firewall/load-balancer entry that expired while the other side still used it.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    if (ctx.r.phase !== 'none') return undefined;
    if (!ctx.answers) {
      return { confidence: WEAK, evidence: ['the RST is the first packet of this connection in the capture: the connection began before the capture, or the other direction was not captured'] };
    }
    return {
      confidence: ctx.isExactReply ? EXACT : HEURISTIC,
      evidence: [`the ${ctx.role} sent nothing on this connection before; ` + answersLine(ctx)],
    };
  },
};
