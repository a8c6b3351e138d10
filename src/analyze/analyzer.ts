// The analysis stage: receives finished connections, waits a little (so later connections can still inform
// scan and host verdicts), explains every RST, and emits records, per-connection verdicts and findings.
import { ACK } from '../decode/packet.js';
import type { FinishedConnection } from '../flow/tracker.js';
import type { Connection } from '../flow/connection.js';
import type { ResetEvent } from '../flow/reset-event.js';
import { explainReset, type Explained } from './classify.js';
import { isMalformedSyn } from './context.js';
import { Environment } from './environment.js';
import { Findings } from './findings.js';
import { MIN_RETRANSMISSIONS } from './rules/retransmission-exhausted.js';
import type { ContactOutcome } from './scan.js';
import { connectionTamperSignature } from './tamper.js';

/** Seconds of capture time a finished connection waits before its RSTs are explained. */
export const HOLD_SECONDS = 5;
/** At most this many finished connections with RSTs wait; beyond, the oldest are explained at once. */
const MAX_PENDING = 5_000;

export interface ExplainedConnection {
  done: FinishedConnection;
  verdicts: Explained[];
  /** One line for the connection ("reset by the server: port-closed"), or null. */
  verdict: string | null;
  /** The tampering signature its client's first packets match (analyze/tamper.ts), or null. */
  tamperSignature: string | null;
}

export type ExplainedSink = (c: ExplainedConnection) => void;

export class Analyzer {
  readonly env = new Environment();
  readonly findings = new Findings();
  private pending: FinishedConnection[] = [];
  private head = 0;

  constructor(private readonly emit: ExplainedSink, private readonly hold = HOLD_SECONDS, idleMin?: number) {
    if (idleMin !== undefined) this.env.idleMin = idleMin;
  }

  /** A connection was finalized by the tracker: learn from it now, explain it later. */
  finished(done: FinishedConnection): void {
    const c = done.conn;
    this.env.learn(c);
    this.observeContact(c, done.resets);
    for (const r of done.resets) {
      if (!r.fromOrig && !(r.flags & ACK) && c.handshakeAckTime > 0 && r.duplicateOf === null) {
        this.env.noteBareReset(`${r.src}:${r.sport}`, r.time);
      }
    }
    this.findings.noteConnection(c);
    if (done.resets.length === 0) {
      this.emit({ done, verdicts: [], verdict: connectionVerdict(c, done.resets, []), tamperSignature: tamper(c) }); // nothing waits on context
      return;
    }
    this.pending.push(done);
    if (this.pending.length - this.head > MAX_PENDING) this.explainNext();
  }

  /** Capture time advanced to `now`: explain connections that have waited long enough. */
  advance(now: number): void {
    while (this.head < this.pending.length && this.pending[this.head]!.conn.lastPacketTime + this.hold < now) this.explainNext();
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
  }

  /** A verdict for a RST just seen, before its connection ends (live mode's `final: false` record). */
  provisional(conn: Connection, resets: readonly ResetEvent[], r: ResetEvent): Explained {
    return explainReset(r, conn, resets, resets.length - 1, this.env);
  }

  /** End of capture: explain everything left. */
  flush(): void {
    while (this.head < this.pending.length) this.explainNext();
    this.pending = [];
    this.head = 0;
  }

  private explainNext(): void {
    const done = this.pending[this.head]!;
    this.pending[this.head++] = undefined as unknown as FinishedConnection;
    const c = done.conn;
    const byFrame = new Map<number, Explained>();
    const verdicts = done.resets.map((r, i) => {
      const original = r.duplicateOf === null ? undefined : byFrame.get(r.duplicateOf);
      const v = original ? duplicateVerdict(original, r) : explainReset(r, c, done.resets, i, this.env);
      byFrame.set(r.frame, v);
      if (!original) this.findings.noteReset(c, r, v);
      return v;
    });
    this.emit({ done, verdicts, verdict: connectionVerdict(c, done.resets, verdicts), tamperSignature: tamper(c) });
  }

  /** Feeds the scan detector with the outcome of a client's first contact. */
  private observeContact(c: Connection, resets: readonly ResetEvent[]): void {
    if (c.orig.synFlags < 0 || c.orig.synFlags & ACK) return;
    const clientRst = resets.find((r) => r.fromOrig && r.duplicateOf === null);
    const serverRst = resets.find((r) => !r.fromOrig && r.duplicateOf === null);
    const data = c.orig.bytes + c.resp.bytes > 0;
    this.env.shortScans.note(c.client.ip, c.server.ip, c.server.port, c.firstTime, data, !data && clientRst !== undefined && c.handshakeAckTime > 0);
    let outcome: ContactOutcome;
    // Payload means the handshake completed, even where the capture saw one direction only: never a scan's probe.
    if (data) outcome = 'success';
    else if (c.resp.packets === 0) outcome = 'unanswered';
    else if (c.resp.synCount === 0 && serverRst) outcome = 'rejected';
    else if (c.resp.synCount > 0 && c.handshakeAckTime === 0 && clientRst && !(clientRst.flags & ACK)) outcome = 'half-open';
    else if (c.handshakeAckTime > 0 && clientRst && c.orig.bytes + c.resp.bytes === 0) outcome = 'connect-reset';
    else if (c.resp.synCount === 0) outcome = 'unanswered';
    else outcome = 'success';
    const o = c.orig;
    const nmapLike = o.synWindow === 1024 && o.synOptions === 'MSS';
    this.env.scans.observe(c.client.ip, c.server.ip, c.server.port, outcome, c.firstFrame, nmapLike);
  }
}

function tamper(c: Connection): string | null {
  return connectionTamperSignature(c.clientKinds, c.clientKindCount, c.clientQuiet);
}

function duplicateVerdict(original: Explained, r: ResetEvent): Explained {
  return {
    ...original,
    causedBy: original.causedBy,
    evidence: [`frame ${r.frame} is a copy of frame ${r.duplicateOf} (same IP ID, seq, ack, flags and length within 1 ms: captured twice, e.g. on two interfaces); it is not a second RST, and what follows is frame ${r.duplicateOf}'s evidence`, ...original.evidence],
  };
}

/** One line per connection: who reset it and why, or why it ended without one. */
function connectionVerdict(c: Connection, resets: readonly ResetEvent[], verdicts: readonly Explained[]): string | null {
  // The RST that ended it: the first one its receiver did not ignore (a forged RST the endpoints went past did not).
  let i = resets.findIndex((r) => r.duplicateOf === null && r.afterReset === null && r.ignoredBy === null);
  if (i < 0) i = resets.findIndex((r) => r.duplicateOf === null && r.afterReset === null);
  if (i >= 0) {
    const r = resets[i]!;
    const v = verdicts[i]!;
    const who = v.origin === 'middlebox' ? `a device in the path (as the ${r.fromOrig ? 'client' : 'server'})` : `the ${r.fromOrig ? 'client' : 'server'}`;
    return `reset by ${who}: ${v.cause}`;
  }
  for (const [ep, who] of [[c.orig, 'client'], [c.resp, 'server']] as const) {
    if (ep.rtxRun >= MIN_RETRANSMISSIONS && ep.finCount === 0 && ep.rstCount === 0) {
      return `timed out: the ${who} retransmitted seq ${ep.rtxSeq} ${ep.rtxRun} times unanswered, and no RST followed`;
    }
  }
  if (c.orig.synFlags >= 0 && isMalformedSyn(c.orig.synFlags) && c.resp.packets === 0) {
    return 'malformed SYN (carrying FIN/URG/RST) left unanswered: on Linux, the port is open';
  }
  return null;
}
