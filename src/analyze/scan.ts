// Port-scan detection by sequential hypothesis testing, in the manner of Threshold Random Walk
// (Jung, Paxson, Berger, Balakrishnan, IEEE S&P 2004): each first contact of a source to a (host, port)
// succeeds or fails; the likelihood ratio walks until it crosses the scanner or the benign threshold.
// Deviation from the paper (docs/causes.md): the test runs over (host, port) first contacts, not hosts, so
// a scan of one server is caught too; failures are REJ, S0, half-open (SYN, SYN/ACK, bare RST) and
// connect-then-reset without data.

import { touch } from './recent-map.js';

export const THETA0 = 0.8; // P(success | benign)
export const THETA1 = 0.2; // P(success | scanner)
export const DETECTION = 0.99;
export const FALSE_ALARM = 0.01;
const ETA1 = DETECTION / FALSE_ALARM; // flag as scanner at or above
const ETA0 = (1 - DETECTION) / (1 - FALSE_ALARM); // benign at or below: the walk starts again
const FAIL_STEP = (1 - THETA1) / (1 - THETA0);
const SUCCESS_STEP = THETA1 / THETA0;
/** Sources whose walk is kept (least recently seen forgotten beyond); flagged scanners are kept apart. */
export const MAX_SOURCES = 16_384;
const MAX_FLAGGED = 16_384;
/** Net failures that make an unflagged source a suspect (a scanner is flagged on its 4th). */
const SUSPECT_FAILURES = 3;
/**
 * First contacts are remembered per source as 32-bit hashes of (host, port), the last RECENT_CONTACTS of
 * them (oldest forgotten first): memory stays bounded however long the capture, and a contact older than
 * that counts as a first contact again (a benign client's successes only lower its ratio).
 */
const RECENT_CONTACTS = 256;

export type ContactOutcome = 'success' | 'rejected' | 'unanswered' | 'half-open' | 'connect-reset';

export interface ScanSource {
  source: string;
  /** Sources numbered in order of first contact (findings are listed in that order). */
  order: number;
  ratio: number;
  attempts: number;
  failures: number;
  successes: number;
  /** Attempt number at which the source crossed the threshold, or 0. */
  flaggedAt: number;
  /** Failure counts by kind, for the technique. */
  halfOpen: number;
  connectReset: number;
  rejected: number;
  unanswered: number;
  /** SYNs with nmap's fingerprint (window 1024, MSS-only options, no DF). */
  nmapLike: number;
  targets: Set<string>;
  ports: Set<number>;
  frames: number[];
  contacts: Set<number>;
}

export class ScanDetector {
  /** Sources by last contact (bounded), and flagged scanners that dropped out of it (kept for the findings). */
  private readonly sources = new Map<string, ScanSource>();
  private readonly flagged = new Map<string, ScanSource>();
  private created = 0;

  get(source: string): ScanSource | undefined {
    return this.sources.get(source) ?? this.flagged.get(source);
  }

  /** Every source still known (recent ones and flagged scanners no longer recent), in order of first contact. */
  all(): ScanSource[] {
    const out = [...this.sources.values()];
    for (const [k, s] of this.flagged) if (!this.sources.has(k)) out.push(s);
    return out.sort((a, b) => a.order - b.order);
  }

  /** Records the outcome of a connection from `source` to `host:port`; only first contacts count. */
  observe(source: string, host: string, port: number, outcome: ContactOutcome, frame: number, nmapLike: boolean): void {
    let s = this.get(source);
    if (!s) {
      s = {
        source, order: this.created++, ratio: 1, attempts: 0, failures: 0, successes: 0, flaggedAt: 0, halfOpen: 0, connectReset: 0,
        rejected: 0, unanswered: 0, nmapLike: 0, targets: new Set(), ports: new Set(), frames: [], contacts: new Set(),
      };
    }
    touch(this.sources, source, s, MAX_SOURCES, (k, dropped) => {
      if (dropped.flaggedAt && this.flagged.size < MAX_FLAGGED) this.flagged.set(k, dropped);
    });
    const key = contactKey(host, port);
    if (s.contacts.has(key)) return;
    if (s.contacts.size >= RECENT_CONTACTS) s.contacts.delete(s.contacts.values().next().value!);
    s.contacts.add(key);
    s.attempts++;
    if (nmapLike) s.nmapLike++;
    if (outcome === 'success') {
      s.successes++;
      if (!s.flaggedAt) s.ratio *= SUCCESS_STEP;
      if (s.ratio <= ETA0) s.ratio = 1;
      return;
    }
    s.failures++;
    if (outcome === 'half-open') s.halfOpen++;
    else if (outcome === 'connect-reset') s.connectReset++;
    else if (outcome === 'rejected') s.rejected++;
    else s.unanswered++;
    s.targets.add(host);
    s.ports.add(port);
    if (s.frames.length < 64) s.frames.push(frame);
    if (!s.flaggedAt) {
      s.ratio *= FAIL_STEP;
      if (s.ratio >= ETA1) s.flaggedAt = s.attempts;
    }
  }

  /** 'scanner' once flagged; 'suspected' one failure short of it (the walk stands at three net failures); else null. */
  status(source: string): 'scanner' | 'suspected' | null {
    const s = this.get(source);
    if (!s) return null;
    if (s.flaggedAt) return 'scanner';
    return s.ratio >= FAIL_STEP ** SUSPECT_FAILURES ? 'suspected' : null;
  }

  technique(s: ScanSource): 'syn' | 'connect' {
    return s.connectReset > s.halfOpen ? 'connect' : 'syn';
  }
}

/** FNV-1a of "host|port" (a collision with one of a source's recent contacts would skip a first contact: ~1 in 16 million). */
function contactKey(host: string, port: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < host.length; i++) h = Math.imul(h ^ host.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (port & 0xff), 0x01000193);
  h = Math.imul(h ^ (port >>> 8), 0x01000193);
  return h | 0;
}
