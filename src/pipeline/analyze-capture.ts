// Wires the stages for one capture: read -> decode -> track -> explain -> output sink.
import { readCaptureBatches, newCaptureSummary } from '../capture/read.js';
import { formatIsoTime } from '../capture/timestamp.js';
import { decodeFrame } from '../decode/decode-packet.js';
import { linkTypeLabel } from '../decode/linktype.js';
import {
  KIND_FRAGMENT, KIND_ICMP_TCP, KIND_MALFORMED, KIND_OTHER, KIND_TCP, KIND_UNSUPPORTED_LINK, newPacket,
} from '../decode/packet.js';
import { Analyzer, type ExplainedConnection } from '../analyze/analyzer.js';
import { Tracker, type FinishedConnection } from '../flow/tracker.js';
import type { CaptureInfo, ConnectionRecord, ResetRecord } from '../report/contract.js';
import { connectionRecord, resetRecord } from '../report/records.js';
import type { OutputSink } from '../report/sink.js';

export interface AnalyzeOptions {
  verifyChecksums: boolean;
  /** Seconds of silence after which a connection is finalized (default 300, Zeek's tcp_inactivity_timeout). */
  idleTimeout: number;
  /** Minimum silence (s) before a RST for the idle-timeout cause (default 5). */
  idleMin?: number;
  chunkSize?: number;
  /** Called for every finalized connection with its records (diagrams and reports keep what they need). */
  onConnection?: (done: FinishedConnection, conn: ConnectionRecord, resets: readonly ResetRecord[]) => void;
  /**
   * Live input: write a provisional verdict (`final: false`) for each RST as soon as it is read, and run
   * the clocks on the wall clock while no packets arrive, so final verdicts come without new traffic.
   */
  live?: boolean;
  /** Stops reading (Ctrl-C): what was read is finalized and reported. */
  signal?: AbortSignal;
  /** Awaited after each chunk of input: lets the caller write out buffered output (back-pressure). */
  drain?: () => Promise<void>;
  /** Called whenever records were written (live mode uses it to flush the output promptly). */
  onOutput?: () => void;
  /** Called about every 64k packets with decompressed bytes and packets done. */
  onProgress?: (bytes: number, packets: number) => void;
}

export interface CaptureResult {
  info: CaptureInfo;
  /** The capture was damaged: frames before the damage were analyzed. */
  damaged: boolean;
}

const MAX_PROBLEM_WARNINGS = 5;

/** Analyzes the capture at `path` ('-' = stdin), reporting records to `sink` as they are decided. */
export async function analyzeCapture(path: string, file: string, opts: AnalyzeOptions, sink: OutputSink): Promise<CaptureResult> {
  const summary = newCaptureSummary();
  const pkt = newPacket();
  const decodeOpts = { verifyChecksums: opts.verifyChecksums };
  const linktypes = new Set<number>();
  const unsupported = new Map<number, number>();
  const undecoded = new Map<string, number>();
  const problems: string[] = [];
  const skipped = { not_tcp: 0, unsupported_link: 0, fragments: 0, malformed: 0 };
  let tcpPackets = 0;
  let first: string | null = null;
  let lastSec = 0;
  let lastNsec = 0;
  let lastPrec = 6;
  // Without a per-connection callback nothing keeps a connection past its records: its rows are reused then.
  const keep = opts.onConnection !== undefined;
  const analyzer = new Analyzer((x) => {
    emit(file, x, sink, opts);
    if (!keep) tracker.release(x.done.conn);
  }, opts.live ? 0 : undefined, opts.idleMin);
  const tracker = new Tracker({ idleTimeout: opts.idleTimeout, keepLogs: keep, callerReleases: !keep }, (done) => analyzer.finished(done));
  const clock = opts.live ? liveClock(tracker, analyzer, file, sink, opts) : undefined;

  const batches = readCaptureBatches(path, { summary, ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}) });
  try {
    // NOTE: hot path. One await per chunk of input (1 MiB); its records are pulled synchronously, no allocation.
    read: for await (const batch of batches) {
    for (let rec = batch.next(); rec !== undefined; rec = batch.next()) {
      if (opts.signal?.aborted) break read;
      const prec = rec.precision;
      if (first === null) first = formatIsoTime(rec.tsSec, rec.tsNsec, prec);
      lastSec = rec.tsSec;
      lastNsec = rec.tsNsec;
      lastPrec = prec;
      if (!linktypes.has(rec.linktype)) linktypes.add(rec.linktype);
      decodeFrame(rec.buf, rec.off, rec.len, rec.linktype, pkt, decodeOpts);
      switch (pkt.kind) {
        case KIND_TCP:
          tcpPackets++;
          tracker.packet(pkt, rec.frame, rec.tsSec, rec.tsNsec, prec);
          break;
        case KIND_ICMP_TCP:
          tracker.packet(pkt, rec.frame, rec.tsSec, rec.tsNsec, prec);
          break;
        case KIND_OTHER:
          skipped.not_tcp++;
          if (pkt.undecoded !== '') undecoded.set(pkt.undecoded, (undecoded.get(pkt.undecoded) ?? 0) + 1);
          break;
        case KIND_FRAGMENT:
          skipped.fragments++;
          break;
        case KIND_UNSUPPORTED_LINK:
          skipped.unsupported_link++;
          unsupported.set(rec.linktype, (unsupported.get(rec.linktype) ?? 0) + 1);
          break;
        case KIND_MALFORMED:
          skipped.malformed++;
          if (problems.length < MAX_PROBLEM_WARNINGS) problems.push(`frame ${rec.frame}: ${pkt.problem}`);
          break;
      }
      if (clock) clock.packet(rec.tsSec + rec.tsNsec / 1e9);
      else if ((rec.frame & 0x3ff) === 0) {
        analyzer.advance(rec.tsSec + rec.tsNsec / 1e9);
        if (opts.onProgress && (rec.frame & 0xffff) === 0) opts.onProgress(summary.bytes, rec.frame);
      }
    }
    // Write what this chunk produced before reading on: output never piles up in memory.
    if (opts.drain) await opts.drain();
    }
  } catch (e) {
    if (!opts.signal?.aborted) throw e; // Ctrl-C closed the input under the reader: finish with what was read
  } finally {
    clock?.stop();
  }
  // Connections still open are finalized in batches, each batch's output written before the next.
  for (const _ of tracker.flushInBatches()) if (opts.drain) await opts.drain();
  analyzer.flush();
  for (const f of analyzer.findings.list(analyzer.env.scans)) sink.finding({ file, ...f });

  const warnings = summary.warnings.map((w) => `${w.message}`);
  if (tracker.evicted) warnings.push(`connection table full: ${tracker.evicted} connections were finalized early (a flood?)`);
  if (tracker.streamsApproximate) warnings.push('the stream index reached its cap and was restarted: stream numbers are approximate from then on');
  for (const [lt, n] of unsupported) warnings.push(`${linkTypeLabel(lt)} is not decoded: ${n} packets skipped`);
  for (const [what, n] of undecoded) warnings.push(`${n} ${n === 1 ? 'packet' : 'packets'} inside ${what} not decoded (it may carry TCP)`);
  if (skipped.malformed > problems.length) problems.push(`... ${skipped.malformed - problems.length} more malformed packets`);
  warnings.push(...problems.map((p) => `malformed packet skipped: ${p}`));
  const err = summary.error;
  const info: CaptureInfo = {
    file, format: summary.format ?? null, packets: summary.frames, linktypes: [...linktypes],
    first, last: first === null ? null : formatIsoTime(lastSec, lastNsec, lastPrec), warnings,
    error: err ? `byte offset ${err.offset}, after frame ${err.frame}: ${err.message}` : null,
    tcp_packets: tcpPackets, icmp_errors: tracker.icmpErrors, skipped,
  };
  sink.capture(info);
  return { info, damaged: err !== undefined };
}

/** How often live mode looks at the wall clock, in ms. */
const LIVE_TICK_MS = 200;

/**
 * Live mode: provisional verdicts as RSTs arrive, and a wall-clock timer that advances the capture clock
 * while no packets come (capture time is close to wall time when reading tcpdump -U from stdin).
 */
function liveClock(tracker: Tracker, analyzer: Analyzer, file: string, sink: OutputSink, opts: AnalyzeOptions): { packet(t: number): void; stop(): void } {
  let lastCapture = 0;
  let lastWall = Date.now();
  tracker.onReset = (conn, resets, r) => {
    const v = analyzer.provisional(conn, resets, r);
    sink.provisional?.({ ...resetRecord(file, r, conn.id, v), final: false });
    opts.onOutput?.();
  };
  const timer = setInterval(() => {
    const idleMs = Date.now() - lastWall;
    if (lastCapture === 0 || idleMs < LIVE_TICK_MS) return;
    const now = lastCapture + idleMs / 1000;
    tracker.tick(now);
    analyzer.advance(now);
    opts.onOutput?.();
  }, LIVE_TICK_MS);
  return {
    packet(t: number): void {
      lastCapture = t;
      lastWall = Date.now();
      analyzer.advance(t);
    },
    stop: () => clearInterval(timer),
  };
}

function emit(file: string, x: ExplainedConnection, sink: OutputSink, opts: AnalyzeOptions): void {
  const done = x.done;
  const c = done.conn;
  const span = {
    first: formatIsoTime(c.firstSec, c.firstNsec, c.precision),
    last: formatIsoTime(c.lastSec, c.lastNsec, c.precision),
  };
  const resets = done.resets.map((r, i) => {
    const rec = resetRecord(file, r, c.id, x.verdicts[i]!);
    if (opts.live) rec.final = true;
    return rec;
  });
  const rec = connectionRecord(file, c, span, resets.length, x.verdict, x.tamperSignature);
  sink.connection(rec);
  for (const r of resets) sink.reset(r);
  opts.onConnection?.(done, rec, resets);
  opts.onOutput?.();
}
