// Findings across connections: port scans (per source), reset injection (per host pair), content-triggered
// blocking (RSTs that always follow the same TLS server name or HTTP host), unanswered malformed SYNs.
import type { Connection } from '../flow/connection.js';
import type { ResetEvent } from '../flow/reset-event.js';
import { isMalformedSyn } from './context.js';
import type { Explained } from './classify.js';
import type { ScanDetector } from './scan.js';

const MAX_KEYS = 10_000;

interface Injection {
  client: string;
  server: string;
  frames: number[];
  causes: Set<string>;
  signatures: Set<string>;
}

export class Findings {
  private readonly injections = new Map<string, Injection>();
  /** Per trigger (TLS server name / HTTP host): connections seen, and those reset by a device in the path. */
  private readonly triggers = new Map<string, { total: number; reset: Set<number>; frames: number[] }>();
  private readonly malformedSyns: number[] = [];

  noteConnection(c: Connection): void {
    const t = triggerOf(c);
    if (t && (this.triggers.has(t) || this.triggers.size < MAX_KEYS)) {
      const e = this.triggers.get(t) ?? { total: 0, reset: new Set<number>(), frames: [] };
      e.total++;
      this.triggers.set(t, e);
    }
    if (c.orig.synFlags >= 0 && isMalformedSyn(c.orig.synFlags) && c.resp.packets === 0 && this.malformedSyns.length < 1000) {
      this.malformedSyns.push(c.firstFrame);
    }
  }

  noteReset(c: Connection, r: ResetEvent, v: Explained): void {
    if (v.origin !== 'middlebox') return;
    const key = `${c.client.ip}|${c.server.ip}`;
    let inj = this.injections.get(key);
    if (!inj) {
      if (this.injections.size >= MAX_KEYS) return;
      inj = { client: c.client.ip, server: c.server.ip, frames: [], causes: new Set(), signatures: new Set() };
      this.injections.set(key, inj);
    }
    if (inj.frames.length < 100) inj.frames.push(r.frame);
    inj.causes.add(v.cause);
    for (const s of v.signatures) inj.signatures.add(`(${s.letter}) ${s.id}`);
    const t = triggerOf(c);
    const e = t ? this.triggers.get(t) : undefined;
    if (e) {
      e.reset.add(c.id);
      if (e.frames.length < 100) e.frames.push(r.frame);
    }
  }

  /** Every finding, for the output's `findings` array. */
  list(scans: ScanDetector): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const s of scans.all()) {
      const status = scans.status(s.source);
      if (!status) continue;
      out.push({
        kind: 'port-scan', status, source: s.source, technique: scans.technique(s),
        attempts: s.attempts, failures: s.failures, flagged_at_attempt: s.flaggedAt || null,
        likelihood_ratio: Math.round(s.ratio * 100) / 100,
        targets: [...s.targets].slice(0, 100), ports: [...s.ports].sort((a, b) => a - b).slice(0, 1000), frames: s.frames,
        nmap_fingerprints: s.nmapLike,
      });
    }
    for (const i of this.injections.values()) {
      out.push({ kind: 'reset-injection', client: i.client, server: i.server, frames: i.frames, causes: [...i.causes], signatures: [...i.signatures] });
    }
    for (const [trigger, e] of this.triggers) {
      if (e.reset.size >= 2 && e.reset.size === e.total) {
        out.push({ kind: 'content-blocking', trigger, connections: e.total, frames: e.frames });
      }
    }
    if (this.malformedSyns.length) out.push({ kind: 'unanswered-malformed-syn', frames: this.malformedSyns, note: 'Linux drops SYNs carrying FIN/URG/RST to open ports silently' });
    return out;
  }
}

/** What the client asked for, when it names a site: "tls:example.com" or "http:example.com". */
function triggerOf(c: Connection): string | null {
  const a = c.clientApp;
  let m = /^TLS ClientHello for (\S+)/.exec(a);
  if (m) return `tls:${m[1]}`;
  m = / Host (\S+)/.exec(a);
  return m ? `http:${m[1]}` : null;
}
