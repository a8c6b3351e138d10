// Wires the stages for one capture: read -> decode -> track -> explain -> output sink.
import { readCapture, newCaptureSummary } from '../capture/read.js';
import { formatIsoTime } from '../capture/timestamp.js';
import { decodePacket } from '../decode/decode-packet.js';
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
  chunkSize?: number;
  /** Called for every finalized connection with its records (diagrams and reports keep what they need). */
  onConnection?: (done: FinishedConnection, conn: ConnectionRecord, resets: readonly ResetRecord[]) => void;
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
  const problems: string[] = [];
  const skipped = { not_tcp: 0, unsupported_link: 0, fragments: 0, malformed: 0 };
  let tcpPackets = 0;
  let first: string | null = null;
  let lastSec = 0;
  let lastNsec = 0;
  let lastPrec = 6;
  const analyzer = new Analyzer((x) => emit(file, x, sink, opts));
  const tracker = new Tracker({ idleTimeout: opts.idleTimeout }, (done) => analyzer.finished(done));

  const records = readCapture(path, { summary, ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}) });
  for await (const rec of records) {
    // NOTE: hot path
    const prec = summary.precision;
    if (first === null) first = formatIsoTime(rec.tsSec, rec.tsNsec, prec);
    lastSec = rec.tsSec;
    lastNsec = rec.tsNsec;
    lastPrec = prec;
    if (!linktypes.has(rec.linktype)) linktypes.add(rec.linktype);
    decodePacket(rec.data, rec.linktype, pkt, decodeOpts);
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
    if ((rec.frame & 0x3ff) === 0) {
      analyzer.advance(rec.tsSec + rec.tsNsec / 1e9);
      if (opts.onProgress && (rec.frame & 0xffff) === 0) opts.onProgress(summary.bytes, rec.frame);
    }
  }
  tracker.flush();
  analyzer.flush();
  for (const f of analyzer.findings.list(analyzer.env.scans)) sink.finding({ file, ...f });

  const warnings = summary.warnings.map((w) => `${w.message}`);
  if (tracker.evicted) warnings.push(`connection table full: ${tracker.evicted} connections were finalized early (a flood?)`);
  if (tracker.streamsApproximate) warnings.push('the stream index reached its cap and was restarted: stream numbers are approximate from then on');
  for (const [lt, n] of unsupported) warnings.push(`link type ${lt} is not decoded: ${n} packets skipped`);
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

function emit(file: string, x: ExplainedConnection, sink: OutputSink, opts: AnalyzeOptions): void {
  const done = x.done;
  const c = done.conn;
  const span = {
    first: formatIsoTime(c.firstSec, c.firstNsec, c.precision),
    last: formatIsoTime(c.lastSec, c.lastNsec, c.precision),
  };
  const resets = done.resets.map((r, i) => resetRecord(file, r, c.id, x.verdicts[i]!));
  const rec = connectionRecord(file, c, span, resets.length, x.verdict);
  sink.connection(rec);
  for (const r of resets) sink.reset(r);
  opts.onConnection?.(done, rec, resets);
}
