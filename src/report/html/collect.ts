// Collects what the HTML report needs while the capture streams past: every RST, one folded ladder per
// connection with RSTs, counters for the summary. Connections without RSTs are only counted.
import type { FinishedConnection } from '../../flow/tracker.js';
import type { CaptureInfo, ConnectionRecord, ResetRecord, Summary } from '../contract.js';
import { foldLabel } from '../diagram/terminal.js';
import { diagramView } from '../diagram/view.js';
import type { OutputSink } from '../sink.js';
import { cleanText } from './escape.js';

/** Packets shown each side of a RST in the report (fewer than the terminal: 10,000 ladders must stay small). */
export const REPORT_CONTEXT = 8;

/** One RST as the page's script sees it (short keys keep 10,000 of them small). */
export interface ReportReset {
  f: number; // frame
  fi: number; // file index
  t: string; // ISO time
  ts: number; // seconds since the epoch (timeline)
  c: number; // connection id
  s: number | null; // stream
  snd: 'client' | 'server';
  src: string;
  sp: number;
  dst: string;
  dp: number;
  fl: string;
  ttl: number;
  ph: string;
  ca: string;
  or: string;
  cf: number;
  ev: string[]; // evidence without the Wireshark filter line
  wf: string; // Wireshark display filter
  ad: number; // advice index
  v: number; // view index
}

/** A packet row: [frame, µs since the connection's start, 1 = from the client, flags, seq, ack|null, len, ttl]; a fold: [label]. */
export type ReportRow = [number, number, 0 | 1, string, number, number | null, number, number] | [string];

export interface ReportView {
  cl: string;
  sv: string;
  st: string;
  n: number;
  b: number;
  d: number;
  rows: ReportRow[];
}

export interface ReportData {
  files: string[];
  resets: ReportReset[];
  advice: string[];
  views: ReportView[];
}

const FILTER_PREFIX = 'Wireshark filter: ';

export class HtmlReport implements OutputSink {
  readonly data: ReportData = { files: [], resets: [], advice: [], views: [] };
  readonly captures: CaptureInfo[] = [];
  readonly findings: Array<Record<string, unknown>> = [];
  readonly states = new Map<string, number>();
  connections = 0;
  summary: Summary | null = null;
  private readonly adviceIndex = new Map<string, number>();
  private readonly fileIndex = new Map<string, number>();

  connection(rec: ConnectionRecord): void {
    this.connections++;
    this.states.set(rec.state, (this.states.get(rec.state) ?? 0) + 1);
  }

  /** RSTs arrive through onConnection, together with their connection's packet log. */
  reset(): void {}

  finding(rec: Record<string, unknown>): void {
    this.findings.push(rec);
  }

  capture(info: CaptureInfo): void {
    this.captures.push(info);
  }

  end(summary: Summary): void {
    this.summary = summary;
  }

  /** The analyzeCapture hook: keeps the RSTs of `done` and its ladder. */
  readonly onConnection = (done: FinishedConnection, _rec: ConnectionRecord, resets: readonly ResetRecord[]): void => {
    if (resets.length === 0) return;
    const c = done.conn;
    const view = diagramView(c, { focus: resets.map((r) => r.frame), context: REPORT_CONTEXT });
    const v = this.data.views.length;
    this.data.views.push({
      cl: hostPort(view.client.ip, view.client.port), sv: hostPort(view.server.ip, view.server.port), st: view.state,
      n: view.packets, b: view.bytes, d: round6(view.duration),
      rows: view.rows.map((r): ReportRow => r.kind === 'fold'
        ? [foldLabel(r)]
        : [r.frame, Math.round(r.time * 1e6), r.fromClient ? 1 : 0, r.flags, r.seq, r.ack, r.len, r.ttl]),
    });
    resets.forEach((r, i) => {
      const ev = r.evidence.map(cleanText);
      const last = ev[ev.length - 1] ?? '';
      const wf = last.startsWith(FILTER_PREFIX) ? (ev.pop(), last.slice(FILTER_PREFIX.length)) : `frame.number == ${r.frame}`;
      this.data.resets.push({
        f: r.frame, fi: this.file(r.file), t: r.time, ts: done.resets[i]?.time ?? 0, c: r.connection, s: r.stream,
        snd: r.sender, src: cleanText(r.src), sp: r.sport, dst: cleanText(r.dst), dp: r.dport, fl: r.flags, ttl: r.ttl,
        ph: r.phase, ca: cleanText(r.cause), or: r.origin, cf: r.confidence, ev, wf, ad: this.advice(cleanText(r.advice)), v,
      });
    });
  };

  private advice(text: string): number {
    let i = this.adviceIndex.get(text);
    if (i === undefined) {
      i = this.data.advice.push(text) - 1;
      this.adviceIndex.set(text, i);
    }
    return i;
  }

  private file(name: string): number {
    let i = this.fileIndex.get(name);
    if (i === undefined) {
      i = this.data.files.push(cleanText(name)) - 1;
      this.fileIndex.set(name, i);
    }
    return i;
  }
}

function hostPort(ip: string, port: number): string {
  const safe = cleanText(ip);
  return safe.includes(':') ? `[${safe}]:${port}` : `${safe}:${port}`;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
