// malformed-syn: a SYN carrying FIN, URG or RST is answered by a RST. Linux drops SYN+FIN to an open port
// silently and answers it with RST+ACK on a closed one (the ack counts the FIN too); some devices reset it.
import { flagLetters } from '../../report/flags.js';
import { isMalformedSyn } from '../context.js';
import type { Rule } from '../rule.js';
import { EXACT, PATTERN } from '../rule.js';
import { answersLine } from './basic.js';

export const malformedSyn: Rule = {
  id: 'malformed-syn',
  definition: 'a RST answering a SYN that carries FIN, URG, RST or other invalid flags',
  advice: 'The client (or a scanner: nmap -sF/-sX style probes) sends SYNs with invalid flags; find the software that crafts them. Unanswered malformed SYNs mean the port is open on Linux.',
  origins: ['endpoint', 'unknown', 'middlebox'],
  explain(ctx) {
    const a = ctx.answers;
    if (!a || ctx.role !== 'server' || !isMalformedSyn(a.flags)) return undefined;
    return {
      confidence: ctx.isExactReply ? EXACT : PATTERN,
      evidence: [`frame ${a.frame} is a SYN with flags ${flagLetters(a.flags)}, which no TCP stack may send`, answersLine(ctx)],
    };
  },
};
