// firewall-reject: a RST answering a SYN, carrying the server's address, sent by a device in the path
// (iptables REJECT --reject-with tcp-reset, ACL "reject"): its hop count, IP ID or fingerprint is unlike
// the same server's own packets at this capture point (from its other connections).
import type { Rule } from '../rule.js';
import { LIKELY, PATTERN } from '../rule.js';
import { hops } from '../hops.js';
import { answersSyn, serverAnsweredSyn } from './basic.js';

export const firewallReject: Rule = {
  id: 'firewall-reject',
  definition: "a RST answering a SYN, with the server's address, sent by a device in the path (its hop count or fingerprint unlike the server's own packets here)",
  advice: 'A firewall or ACL between the capture point and the server rejects this connection: check its rules for this client, server and port; capture on the far side of it (rstscope locate) to prove where.',
  origins: ['middlebox', 'unknown', 'endpoint'],
  explain(ctx) {
    if (ctx.role !== 'server' || !answersSyn(ctx) || serverAnsweredSyn(ctx)) return undefined;
    const usual = ctx.env.usualHops(ctx.r.src);
    const h = hops(ctx.r.ttl);
    const evidence: string[] = [];
    if (usual !== null && usual !== h) {
      evidence.push(`RST TTL ${ctx.r.ttl} (${h} hops) while ${ctx.r.src}'s own packets on its other connections arrive ${usual} hops away at this capture point: sent from ${usual > h ? 'closer to the capture point than the server' : 'farther than the server'}`);
    }
    for (const s of ctx.signatures) if (s.id !== 'hops') evidence.push(`(${s.letter}) ${s.detail}`);
    if (evidence.length === 0) return undefined;
    return { confidence: usual !== null && evidence.length > 1 ? PATTERN : LIKELY, origin: 'middlebox', evidence };
  },
};
