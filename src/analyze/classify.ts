// Explains one RST: runs the forged-RST signatures, then the rules in declared order; never looks at ids.
import type { Connection } from '../flow/connection.js';
import type { ResetEvent } from '../flow/reset-event.js';
import { buildContext, type ResetContext } from './context.js';
import type { Environment } from './environment.js';
import type { Rule } from './rule.js';
import { RULES } from './rules/index.js';
import { LINUX_REASON_KERNEL } from './linux-reason.js';
import { resetReasons } from './reasons.js';
import { FORGED_AT, forgedProbability, forgedSignatures, type Signature } from './signatures.js';
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
  ctx.pForged = forgedProbability(ctx.signatures);
  const forged = ctx.pForged >= FORGED_AT;
  ctx.forged = forged;
  const origin = forged ? 'middlebox' : 'endpoint';
  for (const rule of rules) {
    if (!rule.origins.includes(origin)) continue;
    const m = rule.explain(ctx);
    if (!m) continue;
    const evidence = [...m.evidence];
    const finalOrigin = m.origin ?? origin;
    // The origin's probability, from the signatures' weights, scales the rule's confidence in its cause.
    const pOrigin = finalOrigin === 'middlebox' ? Math.max(ctx.pForged, m.origin === 'middlebox' ? m.confidence : 0) : 1 - ctx.pForged;
    for (const sig of ctx.signatures) {
      const line = `(${sig.letter}) ${sig.detail}`;
      if (!evidence.includes(line)) evidence.push(line);
    }
    if (ctx.signatures.length > 0) evidence.push(originLine(ctx.pForged, finalOrigin));
    let confidence = m.confidence * pOrigin;
    if (ctx.oneSided) {
      evidence.push(`one-sided capture: only the ${conn.orig.packets === 0 ? 'server' : 'client'}'s packets of this 4-tuple were captured, so the race, hop-count and timing signatures and the causes that need both directions could not be checked`);
      confidence *= ONE_SIDED_FACTOR;
    }
    if (conn.historyForgotten) evidence.push('the 4-tuple history was cleared when the stream index reached its cap: an earlier connection on this 4-tuple may have been forgotten');
    if (r.text) evidence.push(`the RST carries text: "${r.text}"`);
    for (const i of conn.icmp) evidence.push(`ICMP type ${i.type} code ${i.code} from ${i.from} (frame ${i.frame}) quotes a segment of this connection`);
    evidence.push(effectLine(ctx));
    const reasons = resetReasons(ctx, rule.id, finalOrigin);
    if (reasons.linuxReason) evidence.push(`a Linux sender logs this as reason=${reasons.linuxReason} (tcp:tcp_send_reset, sk_rst_reason as of Linux ${LINUX_REASON_KERNEL})`);
    if (reasons.rstPayload) evidence.push(`the RST carries a diagnostic payload: reason code ${reasons.rstPayload.code}${reasons.rstPayload.text ? ` (${reasons.rstPayload.text})` : ''}, PEN ${reasons.rstPayload.pen}`);
    if (reasons.mptcpReason) evidence.push(`the RST carries MPTCP's MP_TCPRST reason: ${reasons.mptcpReason}`);
    evidence.push(displayFilter(r, evidence));
    return {
      ...reasons,
      cause: rule.id, phase: rule.id === 'no-connection' ? 'none' : r.phase, origin: finalOrigin, confidence: round2(confidence), causedBy: m.causedBy ?? null, effect: ctx.effect,
      evidence, advice: m.advice ?? rule.advice, signatures: ctx.signatures,
    };
  }
  return {
    cause: 'unknown', phase: r.phase, origin: 'unknown', confidence: 0, causedBy: null, effect: ctx.effect, ...resetReasons(ctx, 'unknown', 'unknown'),
    evidence: [`frame ${r.frame}: no cause rule matched this RST`, effectLine(ctx), displayFilter(r, [])],
    advice: 'No rule explains this RST: look at the connection around it (rstscope diagram --frame N) and capture at a second point if a device in the path may be involved.',
    signatures: ctx.signatures,
  };
}

/** How the signatures' weights came out: the probability behind the origin. */
function originLine(p: number, origin: string): string {
  const pct = p > 0.99 ? '> 99%' : p < 0.01 ? '< 1%' : `${Math.round(p * 100)}%`;
  if (origin === 'middlebox') {
    return `the deviations above make a forged RST likely (P(forged) ${pct}); a forger that copies TTL and IP ID cannot be told from the endpoint at one point: rstscope locate with a second capture proves where it was born`;
  }
  return `P(forged) ${pct} from the deviations above: not enough to call it forged (a genuine stack can send this); a second capture point (rstscope locate) settles it`;
}

/** What the receiver did after the RST. */
function effectLine(ctx: ResetContext): string {
  const receiver = ctx.role === 'client' ? 'server' : 'client';
  if (ctx.effect === 'ignored') return `effect: ignored: the ${receiver} kept the connection after it (frame ${ctx.r.ignoredBy})`;
  if (ctx.effect === 'accepted') return `effect: accepted: the ${receiver} sent nothing on the connection after it but RSTs or packets already in flight`;
  return 'effect: unknown: nothing of the connection was captured after it';
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
