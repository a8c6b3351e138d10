// Explains one RST from what the tracker saw. The cause rules arrive with issue #3; until then every RST
// is `unknown` with evidence of the packet facts, and nothing is claimed that was not seen.
import type { Connection } from '../flow/connection.js';
import type { ResetEvent } from '../flow/reset-event.js';
import { seqDiff } from '../decode/seq.js';
import { flagLetters, segmentName } from '../report/flags.js';
import type { ResetVerdict } from './verdict.js';

export function explainReset(r: ResetEvent, conn: Connection): ResetVerdict {
  const evidence: string[] = [];
  const who = r.fromOrig ? 'client' : 'server';
  evidence.push(
    `frame ${r.frame}: ${flagLetters(r.flags)} from the ${who} ${r.src}:${r.sport}, seq ${r.seq}, ack ${r.ack}, ` +
      `window ${r.window}, TTL ${r.ttl}${r.ipId >= 0 ? `, IP ID ${r.ipId}` : ''}${r.df ? ', DF' : ''}`,
  );
  if (r.answers) {
    const gapMs = ((r.time - r.answers.time) * 1000).toFixed(3);
    evidence.push(`follows frame ${r.answers.frame} (${segmentName(r.answers.flags, r.answers.len)} from the ${r.fromOrig ? 'server' : 'client'}) by ${gapMs} ms`);
  } else evidence.push(`nothing from the ${r.fromOrig ? 'server' : 'client'} was captured before it`);
  if (r.senderNextSeq !== null) {
    const d = seqDiff(r.seq, r.senderNextSeq);
    evidence.push(d === 0 ? `RST seq equals the ${who}'s next sequence number` : `RST seq is ${d > 0 ? '+' : ''}${d} from the ${who}'s next sequence number ${r.senderNextSeq}`);
  }
  if (r.afterOwnReset !== null) evidence.push(`the ${who} already sent a RST in frame ${r.afterOwnReset}`);
  if (r.text) evidence.push(`RST carries text: "${r.text}"`);
  for (const i of conn.icmp) evidence.push(`ICMP type ${i.type} code ${i.code} from ${i.from} in frame ${i.frame} quotes this connection`);
  evidence.push(r.stream === null ? `Wireshark filter: frame.number == ${r.frame}` : `Wireshark filter: tcp.stream eq ${r.stream} && tcp.flags.reset == 1`);
  return {
    cause: 'unknown', origin: 'unknown', confidence: 0,
    causedBy: r.afterOwnReset, evidence,
    advice: 'Look at the connection around this frame; causes are explained from rstscope 0.2 on.',
  };
}
