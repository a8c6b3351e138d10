// idle-timeout: a RST after a silence in both directions that is long for this connection (at least
// --idle-min, many times its usual gap and round trip). Sent by an endpoint's idle timer or, often, by a
// load balancer, NAT or firewall that expired the flow ("reset on idle" sends it to both sides at once).
import type { ResetContext } from '../context.js';
import type { Rule } from '../rule.js';
import type { AnsweredSegment } from '../../flow/reset-event.js';
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
    const device = origin === 'middlebox' || ctx.forged;
    // A device forgot the idle flow and answers the next segment: only a device; an endpoint doing that is no-connection.
    if (idle.trigger && !device) return undefined;
    const matches = device ? DEVICE_IDLE_DEFAULTS.filter(([t]) => Math.abs(idle.silence - t) <= t * 0.1).map(([, name]) => name) : [];
    const advice = !device
      ? `The ${ctx.role}'s application (or its stack's timer) gave up after ${ms(idle.silence)} of silence and aborted: look at its idle or read timeout; if the connection should stay open, keep it alive (application pings or TCP keepalive) below that timeout.`
      : `A device in the path (firewall, NAT, conntrack or load balancer) expired this idle flow${idle.trigger ? ' and answered the next segment with a RST' : ''}: keep the connection alive below the shortest idle timer in the path (TCP keepalive or application pings), or raise the device's timeout (conntrack: nf_conntrack_tcp_timeout_established).` +
        (matches.length ? ` The silence (${ms(idle.silence)}) is consistent with the default idle timeout of ${matches.join('; ')}.` : '');
    return { confidence: device ? LIKELY : HEURISTIC, evidence, ...(origin ? { origin } : {}), advice };
  },
};

interface IdleFacts {
  /** Seconds of silence on the 4-tuple before the RST, or before the segment it answers. */
  silence: number;
  line: string;
  /** The segment that came after the silence and drew the RST (a device that forgot the flow answers it), or null. */
  trigger: AnsweredSegment | null;
  keepaliveOnly: boolean;
}

/** Seconds within which a RST answering the first segment after a silence counts as its answer. */
const ANSWER_WITHIN = 1;

function idleFacts(ctx: ResetContext): IdleFacts | undefined {
  const { r, conn, answers } = ctx;
  const min = ctx.env.idleMin;
  const others = conn.gapCount > 1 ? (conn.gapSum - r.silence) / (conn.gapCount - 1) : 0;
  const rtt = conn.synAckTime > 0 && conn.synTime > 0 ? conn.synAckTime - conn.synTime : 0;
  const long = (s: number): boolean => s >= min && s >= 10 * others && s >= 10 * rtt;
  const usual = `; the connection's usual gap is ${ms(others)}${rtt > 0 ? `, its handshake round trip ${ms(rtt)}` : ''}`;
  const prev = conn.previous;
  // The RST opens a new connection on a known 4-tuple: the silence runs from the previous connection's last packet.
  if (prev && conn.firstFrame === r.frame) {
    const silence = r.time - prev.endTime;
    // After a close, only a device's expiring flow state resets late; an endpoint's late RST is no-connection.
    if (silence < min || (prev.closed && !ctx.forged)) return undefined;
    return {
      silence, trigger: null, keepaliveOnly: false,
      line: `${ms(silence)} of silence on this 4-tuple before the RST: its previous connection (${prev.id}, ${prev.state}) ended with frame ${prev.lastFrame}`,
    };
  }
  if (r.phase !== 'none' && long(r.activitySilence)) {
    return {
      silence: r.activitySilence, trigger: null, keepaliveOnly: r.activitySilence > r.silence + 1,
      line: `${ms(r.activitySilence)} of silence before the RST (frame ${r.frame})${usual}`,
    };
  }
  if (answers && answers.gapBefore >= min && r.time - answers.time <= ANSWER_WITHIN && (answers.gapBefore >= 10 * rtt)) {
    const since = prev && conn.firstFrame === answers.frame ? ` (since its previous connection ${prev.id}, ${prev.state}, ended with frame ${prev.lastFrame})` : '';
    return {
      silence: answers.gapBefore, trigger: answers, keepaliveOnly: false,
      line: `frame ${answers.frame}, the first packet after ${ms(answers.gapBefore)} of silence on this 4-tuple${since}, drew this RST ${ms(r.time - answers.time)} later`,
    };
  }
  return undefined;
}
