// no-connection: the sender never took part in this connection as captured: it answers a segment
// (not a SYN) of a connection it does not know, e.g. after a reboot, a failover or a NAT timeout.
import type { Rule } from '../rule.js';
import { ACK } from '../../decode/packet.js';
import { EXACT, HEURISTIC, WEAK } from '../rule.js';
import { answersLine, ms } from './basic.js';

export const noConnection: Rule = {
  id: 'no-connection',
  definition: 'a RST answering a segment of a connection its sender does not know (no state: restarted host, failover, expired NAT or firewall state)',
  advice: 'The sender had no state for this connection: check for a restart, a failover, or a NAT/firewall/load-balancer entry that expired while the other side still used it.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    if (ctx.r.phase !== 'none') return undefined;
    const prev = ctx.conn.previous;
    if (!ctx.answers && prev) {
      return {
        confidence: HEURISTIC,
        evidence: [`the RST is the first packet on this 4-tuple since its previous connection (${prev.id}, ${prev.state}) ended with frame ${prev.lastFrame}, ${ms(ctx.r.time - prev.endTime)} before: its sender no longer had the connection`],
      };
    }
    if (!ctx.answers) {
      return { confidence: WEAK, evidence: [ctx.conn.firstFrame === ctx.r.frame
        ? 'no earlier packet of this 4-tuple was captured: the connection began before the capture, or its other packets were not captured'
        : `nothing from the ${ctx.role === 'client' ? 'server' : 'client'} was captured before it`] };
    }
    return {
      confidence: ctx.isExactReply ? EXACT : HEURISTIC,
      evidence: [`the ${ctx.role} sent nothing on this connection before; ` + answersLine(ctx)],
    };
  },
};

/**
 * A Linux stateless reply in the middle of a connection: RST without ACK, window 0, IP ID 0 with DF, seq =
 * the ACK of the segment it answers (tcp_v4_send_reset). The sender's stack no longer had the connection:
 * an earlier RST it accepted (not captured here), a restart, or a socket already gone.
 */
export const statelessReply: Rule = {
  id: 'no-connection',
  definition: noConnection.definition,
  advice: 'The sender\'s stack no longer had this connection when the segment arrived: look for an earlier RST it accepted (perhaps forged, and not visible at this capture point: capture on its side), a restart, or a socket closed long before.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    const { r } = ctx;
    if (r.phase === 'handshake' || !ctx.isExactReply || r.flags & ACK || r.window !== 0) return undefined;
    if (r.ipId > 0 || (r.ipId === 0 && !r.df)) return undefined;
    return {
      confidence: HEURISTIC,
      evidence: [
        answersLine(ctx),
        `RST without ACK, window 0${r.ipId === 0 ? ', IP ID 0 with DF' : ''}: the stateless reply a Linux stack sends for a segment of a connection it does not have (an aborting socket would send RST+ACK with its window)`,
      ],
    };
  },
};
