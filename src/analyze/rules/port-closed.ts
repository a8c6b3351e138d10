// port-closed: no socket listens: the server's stack answers the SYN with <SEQ=0><ACK=SYN.SEQ+1><CTL=RST,ACK>
// and never sends a SYN/ACK (RFC 9293 3.10.7.1).
import { ACK } from '../../decode/packet.js';
import type { Rule } from '../rule.js';
import { hops } from '../hops.js';
import { EXACT, LIKELY, PATTERN } from '../rule.js';
import { answersLine, answersSyn, predictionLine, serverAnsweredSyn } from './basic.js';

export const portClosed: Rule = {
  id: 'port-closed',
  definition: 'RST+ACK answering a SYN (seq 0, ack = SYN seq + 1), no SYN/ACK',
  advice: 'Nothing listens on this port: check that the service runs and is bound to this address and port (ss -ltn), or that the client uses the right port.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    if (ctx.role !== 'server' || !answersSyn(ctx) || serverAnsweredSyn(ctx) || !(ctx.r.flags & ACK)) return undefined;
    const evidence = [answersLine(ctx)];
    const p = predictionLine(ctx);
    if (p) evidence.push(p);
    evidence.push('no SYN/ACK from the server on this connection');
    const host = ctx.env.host(ctx.r.src);
    const compared = host !== undefined && host.hops.has(hops(ctx.r.ttl));
    if (compared) evidence.push(`its TTL ${ctx.r.ttl} matches ${ctx.r.src}'s own packets on other connections at this capture point`);
    else if (host && host.hops.size > 0) evidence.push(`its TTL ${ctx.r.ttl} (${hops(ctx.r.ttl)} hops) differs from ${ctx.r.src}'s own packets on other connections here (${[...host.hops.keys()].join('/')} hops), though not enough to call it forged`);
    else evidence.push(`no other packet of ${ctx.r.src} at this capture point to compare its TTL with: a firewall in the path would look the same (capture a second point to rule it out)`);
    return { confidence: ctx.isExactReply ? (compared ? EXACT : PATTERN) : LIKELY, evidence };
  },
};
