// Several captures at once: each file is analyzed by analyzeCapture() on a worker thread, and the
// main thread replays the records into the output sink in file order, so the output is byte for
// byte what analyzing the files one by one gives. The file at the head of the order streams
// through as its worker produces records; the records of later files wait in memory for their turn.
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { CaptureFormatError, type CaptureFormatErrorCode } from '../capture/source.js';
import type { CaptureInfo, ConnectionRecord, ResetRecord } from '../report/contract.js';
import type { OutputSink } from '../report/sink.js';
import { analyzeCapture, type AnalyzeOptions, type CaptureResult } from './analyze-capture.js';

/** What became of one file: its result, or the error analyzeCapture threw (rebuilt on this thread). */
export type FileOutcome = { file: string; result: CaptureResult; error?: undefined } | { file: string; result?: undefined; error: unknown };

/** Options that cross to the workers: the plain values of AnalyzeOptions (callbacks stay behind). */
export type PlainAnalyzeOptions = Pick<AnalyzeOptions, 'verifyChecksums' | 'idleTimeout'> & Partial<AnalyzeOptions>;

/** Default --jobs: every core, but never more workers than files (one file: no worker at all). */
export function defaultJobs(files: number): number {
  return Math.max(1, Math.min(availableParallelism(), files));
}

/** Sink calls per message from a worker: large enough to make posting cheap, small enough to stream. */
const CALLS_PER_MESSAGE = 256;

type SinkCall =
  | [kind: 'connection', rec: ConnectionRecord]
  | [kind: 'reset', rec: ResetRecord]
  | [kind: 'finding', rec: Record<string, unknown>]
  | [kind: 'capture', info: CaptureInfo];

type FromWorker =
  | { index: number; calls: SinkCall[] }
  | { index: number; calls: SinkCall[]; result: CaptureResult }
  | { index: number; calls: SinkCall[]; error: WireError };

interface WireError {
  name: string;
  message: string;
  code?: string;
  offset?: number;
}

interface Pending {
  calls: SinkCall[][];
  outcome: FileOutcome | undefined;
}

/**
 * Analyzes `files` on up to `jobs` worker threads. For each file, in order: its records go to
 * `sink` (exactly the calls analyzeCapture would make), then `afterFile` runs (awaited) with the
 * result or the error, as a sequential loop would see them; `drain` (awaited after each batch of
 * records) lets the caller write its output as it goes. Callback options (onConnection,
 * onProgress, live mode) cannot cross threads: use analyzeCapture() one file at a time for them.
 */
export async function analyzeInParallel(
  files: readonly string[],
  opts: PlainAnalyzeOptions,
  sink: OutputSink,
  jobs: number,
  afterFile: (outcome: FileOutcome) => void | Promise<void>,
  drain?: () => Promise<void>,
): Promise<void> {
  const plain = plainOptions(opts);
  const pending: Pending[] = files.map(() => ({ calls: [], outcome: undefined }));
  let head = 0;
  let next = 0;
  let replaying = false;
  let failure: unknown;
  let finish!: () => void;
  let fail!: (e: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });

  // Replays what is ready at the head of the file order; afterFile may be async, so one at a time.
  const replay = async (): Promise<void> => {
    if (replaying) return;
    replaying = true;
    try {
      while (head < files.length) {
        const p = pending[head]!;
        while (p.calls.length > 0) {
          for (const call of p.calls.shift()!) deliver(sink, call);
          if (drain) await drain(); // write it out before taking more: output does not pile up here
        }
        if (p.outcome === undefined) break;
        await afterFile(p.outcome);
        head++;
      }
      if (head === files.length) finish();
    } catch (e) {
      fail(e);
    } finally {
      replaying = false;
    }
    // More may have arrived while afterFile was awaited.
    if (head < files.length && (pending[head]!.calls.length > 0 || pending[head]!.outcome !== undefined)) void replay();
  };

  const workers: Worker[] = [];
  const assign = (w: Worker): void => {
    if (next >= files.length) return;
    const index = next++;
    w.postMessage({ index, path: files[index] });
  };
  const count = Math.max(1, Math.min(jobs, files.length));
  for (let k = 0; k < count; k++) {
    const w = new Worker(new URL(import.meta.url), { workerData: { rstscopeWorker: true, opts: plain } });
    workers.push(w);
    w.on('message', (m: FromWorker) => {
      const p = pending[m.index]!;
      if (m.calls.length > 0) p.calls.push(m.calls);
      if ('result' in m) p.outcome = { file: files[m.index]!, result: m.result };
      else if ('error' in m) p.outcome = { file: files[m.index]!, error: rebuildError(m.error) };
      if (p.outcome !== undefined) assign(w);
      if (m.index === head) void replay();
    });
    w.on('error', (e) => {
      failure ??= e;
      fail(e);
    });
    w.on('exit', (code) => {
      if (code !== 0 && head < files.length) fail(failure ?? new Error(`analysis worker stopped with exit code ${code}`));
    });
    assign(w);
  }
  try {
    await done;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function deliver(sink: OutputSink, call: SinkCall): void {
  switch (call[0]) {
    case 'connection': return sink.connection(call[1]);
    case 'reset': return sink.reset(call[1]);
    case 'finding': return sink.finding(call[1]);
    case 'capture': return sink.capture(call[1]);
  }
}

/** The plain (structured-cloneable) values of the options. */
function plainOptions(opts: PlainAnalyzeOptions): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(opts)) {
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

function wireError(e: unknown): WireError {
  if (e instanceof CaptureFormatError) return { name: e.name, message: e.message, code: e.code, offset: e.offset };
  const err = e as NodeJS.ErrnoException | null;
  if (err && typeof err === 'object' && typeof err.message === 'string') {
    return { name: err.name ?? 'Error', message: err.message, ...(typeof err.code === 'string' ? { code: err.code } : {}) };
  }
  return { name: 'Error', message: String(e) };
}

function rebuildError(w: WireError): Error {
  if (w.name === 'CaptureFormatError') return new CaptureFormatError(w.message, w.offset ?? 0, (w.code ?? 'not-a-capture') as CaptureFormatErrorCode);
  const e = new Error(w.message) as NodeJS.ErrnoException;
  e.name = w.name;
  if (w.code !== undefined) e.code = w.code;
  return e;
}

// ---- the worker side ----

function runWorker(): void {
  const port = parentPort!;
  const opts = (workerData as { opts: AnalyzeOptions }).opts;
  port.on('message', (job: { index: number; path: string }) => void analyzeOne(job.index, job.path));

  async function analyzeOne(index: number, path: string): Promise<void> {
    let calls: SinkCall[] = [];
    const push = (call: SinkCall): void => {
      calls.push(call);
      if (calls.length >= CALLS_PER_MESSAGE) {
        port.postMessage({ index, calls });
        calls = [];
      }
    };
    const sink: OutputSink = {
      connection: (rec) => push(['connection', rec]),
      reset: (rec) => push(['reset', rec]),
      finding: (rec) => push(['finding', rec]),
      capture: (info) => push(['capture', info]),
      end: () => undefined,
    };
    try {
      const result = await analyzeCapture(path, path, opts, sink);
      port.postMessage({ index, calls, result });
    } catch (e) {
      port.postMessage({ index, calls, error: wireError(e) });
    }
  }
}

if (!isMainThread && (workerData as { rstscopeWorker?: boolean } | null)?.rstscopeWorker === true) runWorker();
