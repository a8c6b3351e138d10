// firewall-reject: a RST answering a SYN, carrying the server's address, sent by a device in the path
// (iptables REJECT --reject-with tcp-reset, ACL "reject"): its consistency with the server's own packets at this
// capture point (hop count, IP ID, fingerprint) makes a forged origin likely.
import type { Rule } from '../rule.js';
import { PATTERN } from '../rule.js';
import { answersLine, answersSyn, serverAnsweredSyn } from './basic.js';

export const firewallReject: Rule = {
  id: 'firewall-reject',
  definition: "a RST answering a SYN, with the server's address, sent by a device in the path (its hop count or fingerprint unlike the server's own packets here)",
  advice: 'A firewall or ACL between the capture point and the server rejects this connection: check its rules for this client, server and port; capture on the far side of it (rstscope locate) to prove where.',
  origins: ['middlebox'],
  explain(ctx) {
    // A client that retried its SYN after it (and got an answer) ignored it: no rejection took effect.
    if (ctx.role !== 'server' || !answersSyn(ctx) || serverAnsweredSyn(ctx) || ctx.effect === 'ignored') return undefined;
    return { confidence: PATTERN, evidence: [answersLine(ctx), 'no SYN/ACK from the server on this connection'] };
  },
};
