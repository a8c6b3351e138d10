// syn-scan, connect-scan and client-abort: the client resets during or right after the handshake.
// A scan when its source is flagged by the scan detector (or suspected and carrying nmap's fingerprints);
// otherwise a client abort (health check, timed-out connect, happy eyeballs).
import { ACK } from '../../decode/packet.js';
import type { ResetContext } from '../context.js';
import type { Rule } from '../rule.js';
import { EXACT, HEURISTIC, LIKELY, PATTERN } from '../rule.js';
import { SHORT_SCAN_WINDOW } from '../short-scan.js';
import { answersLine, handshakeCompleted, ms, serverAnsweredSyn } from './basic.js';

export const synScan: Rule = {
  id: 'syn-scan',
  definition: 'RST alone from the client after the SYN/ACK, no ACK, as part of a scan (half-open / nmap -sS)',
  advice: 'A half-open (SYN) port scan: block the scanning address, and review its other traffic for what it found open.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    if (ctx.role !== 'client' || ctx.r.flags & ACK || !serverAnsweredSyn(ctx) || handshakeCompleted(ctx)) return undefined;
    const stateless = statelessScanner(ctx);
    const scan = scanEvidence(ctx);
    if (!scan && !stateless) return undefined;
    const lines = [...(stateless ? [stateless] : []), ...(scan?.lines ?? [])];
    return { confidence: scan?.flagged || stateless ? EXACT : LIKELY, evidence: [answersLine(ctx), 'the client never completed the handshake: half-open', ...lines] };
  },
};

export const connectScan: Rule = {
  id: 'connect-scan',
  definition: 'full handshake then RST+ACK from the client at once, no data, as part of a scan (nmap -sT)',
  advice: 'A connect() port scan: block the scanning address, and review its other traffic for what it found open.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    const { conn, r } = ctx;
    if (ctx.role !== 'client' || !(r.flags & ACK) || !handshakeCompleted(ctx) || conn.orig.bytes + conn.resp.bytes > 0) return undefined;
    const scan = scanEvidence(ctx);
    const short = scan ? null : ctx.env.shortScans.around(r.src, r.dst, r.time);
    if (!scan && !short) return undefined;
    const head = `handshake completed, RST ${ms(r.time - conn.handshakeAckTime)} later, no data in either direction`;
    if (scan) return { confidence: scan.flagged ? EXACT : LIKELY, evidence: [head, ...scan.lines] };
    const ports = short!.ports;
    return {
      confidence: ports.length >= 3 ? LIKELY : HEURISTIC,
      evidence: [head, `${r.src} connected to ${ports.length} ports of ${r.dst} (${ports.join(', ')}) within ${SHORT_SCAN_WINDOW} s and reset each without data, never repeating a port nor exchanging data with that host: a short connect scan (below the sequential test's 4 failures)`],
    };
  },
};

export const clientAbort: Rule = {
  id: 'client-abort',
  definition: 'the client resets during or right after the handshake, not as part of a scan (health checks, timed-out connect)',
  advice: 'The client gave up on the connection during or right after the handshake: look for a connect timeout, a health check that closes with SO_LINGER 0, or happy-eyeballs racing; if it repeats from one address across ports, treat it as a scan.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    // Right after the handshake: a client that idled first and then reset is an idle-timeout.
    if (ctx.role !== 'client' || ctx.r.phase !== 'handshake' || ctx.r.activitySilence >= ctx.env.idleMin) return undefined;
    const status = ctx.env.scans.status(ctx.r.src);
    return {
      confidence: PATTERN,
      evidence: [answersLine(ctx), `no data exchanged before it`, status === 'suspected' ? `${ctx.r.src} is a suspected scanner (below the threshold)` : `${ctx.r.src} is not flagged as a scanner`],
    };
  },
};

/** Lines proving the source scans, or undefined when it is neither flagged nor a suspect with nmap's fingerprints. */
function scanEvidence(ctx: ResetContext): { flagged: boolean; lines: string[] } | undefined {
  const src = ctx.r.src;
  const status = ctx.env.scans.status(src);
  const s = ctx.env.scans.get(src);
  if (!s || status === null) return undefined;
  const nmap = nmapFingerprint(ctx);
  if (status === 'suspected' && !nmap) return undefined;
  const lines = [
    status === 'scanner'
      ? `${src} is flagged as a scanner (sequential hypothesis test: ${s.failures} failed of ${s.attempts} first contacts, flagged at attempt ${s.flaggedAt}; ${s.ports.size} ports on ${s.targets.size} hosts)`
      : `${src} is a suspected scanner (${s.failures} failed of ${s.attempts} first contacts)`,
  ];
  if (nmap) lines.push(`its SYN carries nmap's fingerprint: ${nmap}`);
  return { flagged: status === 'scanner', lines };
}

/** A stateless scanner's SYN (ZMap, masscan): no TCP options at all, or ZMap's IP ID 54321; its kernel then resets the SYN/ACK. */
function statelessScanner(ctx: ResetContext): string | undefined {
  const c = ctx.conn.orig;
  if (c.synFlags < 0) return undefined;
  if (c.synOptions === '') return `the client's SYN carries no TCP options (window ${c.synWindow}): a stateless scanner's probe (ZMap, masscan), whose own kernel resets the SYN/ACK`;
  if (c.ipIds.includes(54321)) return "the client's SYN has IP ID 54321, ZMap's fixed value: a stateless scanner's probe, whose own kernel resets the SYN/ACK";
  return undefined;
}

function nmapFingerprint(ctx: ResetContext): string | undefined {
  const c = ctx.conn.orig;
  if (c.synFlags < 0) return undefined;
  const marks: string[] = [];
  if (c.synWindow === 1024) marks.push('window 1024');
  if (c.synOptions === 'MSS') marks.push('MSS-only options');
  if (!c.synDf && ctx.r.ipId >= 0) marks.push('no DF');
  return marks.length >= 2 ? marks.join(', ') : undefined;
}
