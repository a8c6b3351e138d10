// idle-timeout: a RST after a silence in both directions that is long for this connection (at least
// --idle-min, many times its usual gap and round trip). Sent by an endpoint's idle timer or, often, by a
// load balancer, NAT or firewall that expired the flow ("reset on idle" sends it to both sides at once).
import type { ResetContext } from '../context.js';
import type { Rule } from '../rule.js';
import { HEURISTIC, LIKELY } from '../rule.js';
import { ms } from './basic.js';

/** Known idle timeouts of common devices, in seconds. */
export const DEVICE_IDLE_DEFAULTS: ReadonlyArray<[number, string]> = [
  [60, 'AWS Application Load Balancer (60 s)'],
  [240, 'Azure Load Balancer (4 min)'],
  [300, 'F5 BIG-IP fastL4 profile (300 s)'],
  [350, 'AWS Network Load Balancer / NAT gateway (350 s)'],
  [1200, 'GCP Cloud NAT established TCP (1200 s)'],
];


export const idleTimeout: Rule = {
  id: 'idle-timeout',
  definition: 'a RST after a silence in both directions that is long for this connection',
  advice: 'Keep the connection alive below the idle timeout of every device in the path (TCP keepalive or application pings shorter than the shortest timeout), or raise the timeout.',
  origins: ['endpoint', 'unknown', 'middlebox'],
  explain(ctx) {
    const idle = idleFacts(ctx);
    if (!idle) return undefined;
    const evidence = [idle.line];
    if (idle.keepaliveOnly) evidence.push(`only keepalive probes crossed the connection during the last ${ms(ctx.r.activitySilence)}`);
    const both = ctx.resets.find((x) => x.fromOrig !== ctx.r.fromOrig && Math.abs(x.time - ctx.r.time) < 0.01 && x.duplicateOf === null);
    let origin: 'middlebox' | undefined;
    if (both) {
      evidence.push(`a RST went to the other side too (frame ${both.frame}, ${ms(Math.abs(both.time - ctx.r.time))} apart): both sides reset at once, as a load balancer's "reset on idle" does`);
      origin = 'middlebox';
    }
    const matches = DEVICE_IDLE_DEFAULTS.filter(([t]) => Math.abs(ctx.r.activitySilence - t) <= t * 0.1).map(([, name]) => name);
    const advice = matches.length
      ? `The silence (${ms(ctx.r.activitySilence)}) matches the idle timeout of ${matches.join('; ')}. Keep the connection alive below it (TCP keepalive or application pings), or raise the timeout.`
      : undefined;
    return { confidence: origin ? LIKELY : HEURISTIC, evidence, ...(origin ? { origin } : {}), ...(advice ? { advice } : {}) };
  },
};

function idleFacts(ctx: ResetContext): { line: string; keepaliveOnly: boolean } | undefined {
  const { r, conn } = ctx;
  const silence = r.activitySilence;
  if (silence < ctx.env.idleMin || r.phase === 'none') return undefined;
  const others = conn.gapCount > 1 ? (conn.gapSum - r.silence) / (conn.gapCount - 1) : 0;
  const rtt = conn.synAckTime > 0 && conn.synTime > 0 ? conn.synAckTime - conn.synTime : 0;
  if (silence < 10 * others || silence < 10 * rtt) return undefined;
  return {
    line: `${ms(silence)} of silence before the RST (frame ${r.frame}); the connection's usual gap is ${ms(others)}${rtt > 0 ? `, its handshake round trip ${ms(rtt)}` : ''}`,
    keepaliveOnly: r.activitySilence > r.silence + 1,
  };
}
