// Explains one RST: runs the forged-RST signatures, then the rules in declared order; never looks at ids.
import type { Connection } from '../flow/connection.js';
import type { ResetEvent } from '../flow/reset-event.js';
import { buildContext } from './context.js';
import type { Environment } from './environment.js';
import type { Rule } from './rule.js';
import { RULES } from './rules/index.js';
import { forgedSignatures, type Signature } from './signatures.js';
import type { ResetVerdict } from './verdict.js';

/** One-sided captures cannot check every signature: confidence is scaled down. */
const ONE_SIDED_FACTOR = 0.8;

export interface Explained extends ResetVerdict {
  signatures: Signature[];
}

export function explainReset(
  r: ResetEvent, conn: Connection, resets: readonly ResetEvent[], index: number, env: Environment, rules: readonly Rule[] = RULES,
): Explained {
  const ctx = buildContext(r, conn, resets, env, index);
  ctx.signatures = forgedSignatures(ctx);
  const forged = ctx.signatures.some((s) => s.id === 'race') || ctx.signatures.length >= 2;
  ctx.forged = forged;
  const origin = forged ? 'middlebox' : 'endpoint';
  for (const rule of rules) {
    if (!rule.origins.includes(origin)) continue;
    const m = rule.explain(ctx);
    if (!m) continue;
    const evidence = [...m.evidence];
    // A forged verdict always names the signatures that made it so.
    for (const sig of forged ? ctx.signatures : []) {
      const line = `(${sig.letter}) ${sig.detail}`;
      if (!evidence.includes(line)) evidence.push(line);
    }
    if (!forged && ctx.signatures.length === 1) evidence.push(`one forged-RST signature fired, not enough to call it forged: (${ctx.signatures[0]!.letter}) ${ctx.signatures[0]!.detail}`);
    let confidence = m.confidence;
    if (ctx.oneSided) {
      evidence.push(`one-sided capture: only the ${conn.orig.packets === 0 ? 'server' : 'client'}'s packets were captured, so the race, hop-count and timing signatures and the causes that need both directions could not be checked`);
      confidence *= ONE_SIDED_FACTOR;
    }
    if (r.text) evidence.push(`the RST carries text: "${r.text}"`);
    for (const i of conn.icmp) evidence.push(`ICMP type ${i.type} code ${i.code} from ${i.from} (frame ${i.frame}) quotes a segment of this connection`);
    evidence.push(displayFilter(r, evidence));
    return {
      cause: rule.id, origin: m.origin ?? origin, confidence: round2(confidence), causedBy: m.causedBy ?? null,
      evidence, advice: m.advice ?? rule.advice, signatures: ctx.signatures,
    };
  }
  return {
    cause: 'unknown', origin: 'unknown', confidence: 0, causedBy: null,
    evidence: [`frame ${r.frame}: no cause rule matched this RST`, displayFilter(r, [])],
    advice: 'No rule explains this RST: look at the connection around it (rstscope diagram --frame N) and capture at a second point if a device in the path may be involved.',
    signatures: ctx.signatures,
  };
}

/** The last evidence line: a display filter showing the RST and every frame the evidence cites. */
export function displayFilter(r: ResetEvent, evidence: readonly string[]): string {
  const frames = new Set<number>([r.frame]);
  for (const line of evidence) for (const m of line.matchAll(/\bframes? (\d+)/g)) frames.add(Number(m[1]));
  const list = [...frames].sort((a, b) => a - b);
  const pick = list.length === 1 ? `frame.number == ${list[0]}` : `frame.number in {${list.join(', ')}}`;
  return r.stream === null ? `Wireshark filter: ${pick}` : `Wireshark filter: ${pick} || (tcp.stream eq ${r.stream} && tcp.flags.reset == 1)`;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
