// Fuzz worker (plain JS so tests can start it without a build step of their own; it runs the built dist/).
// Runs the whole in-process pipeline (source -> reader -> decoder -> tracker -> analysis -> JSON and text
// sinks) over one file per message and reports what happened. The parent thread owns the watchdog: a
// job that overruns its budget gets the worker terminated and is counted as a hang.
import { parentPort } from 'node:worker_threads';

const dist = new URL('../dist/', import.meta.url);
const { analyzeCapture } = await import(new URL('pipeline/analyze-capture.js', dist).href);
const { JsonSink } = await import(new URL('report/json.js', dist).href);
const { TextSink } = await import(new URL('report/text.js', dist).href);
const { SummaryCounter } = await import(new URL('report/sink.js', dist).href);
const { CaptureFormatError } = await import(new URL('capture/source.js', dist).href);

/** Bytes a terminal must never receive from us: C0 controls except \n, and DEL. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f]/;

/**
 * @param {{ path: string, chunkSize?: number, verifyChecksums?: boolean }} job
 * @returns {Promise<Record<string, unknown>>}
 */
async function runJob(job) {
  const t0 = performance.now();
  let json = '';
  let text = '';
  const counter = new SummaryCounter();
  const js = new JsonSink((s) => void (json += s));
  const ts = new TextSink((s) => void (text += s), { color: false, verbose: true });
  const sink = {
    connection: (r) => (counter.connection(r), js.connection(r), ts.connection(r)),
    reset: (r) => (counter.reset(r), js.reset(r), ts.reset(r)),
    finding: (r) => (js.finding(r), ts.finding(r)),
    capture: (i) => (counter.capture(i), js.capture(i), ts.capture(i)),
    end: (s) => (js.end(s), ts.end(s)),
  };
  /** @type {Record<string, unknown>} */
  const out = { outcome: 'ok', problems: [] };
  /** @type {string[]} */
  const problems = [];
  try {
    const opts = { verifyChecksums: job.verifyChecksums === true, idleTimeout: 300 };
    if (job.chunkSize) opts.chunkSize = job.chunkSize;
    const res = await analyzeCapture(job.path, job.path, opts, sink);
    sink.end(counter.summary);
    out.outcome = res.damaged ? 'damaged' : 'ok';
    out.packets = res.info.packets;
    out.error = res.info.error;
    out.warnings = res.info.warnings;
    out.connections = counter.summary.connections;
    out.resets = counter.summary.resets;
    if (res.damaged && !/^byte offset \d+, after frame \d+: /.test(res.info.error ?? '')) {
      problems.push(`damage reported without byte offset and last good frame: ${res.info.error}`);
    }
    if (res.damaged) {
      const m = /after frame (\d+)/.exec(res.info.error ?? '');
      if (m && Number(m[1]) !== res.info.packets) problems.push(`last good frame ${m[1]} != packets analyzed ${res.info.packets}`);
    }
    for (const w of res.info.warnings) if (w.includes('decoder error')) problems.push(`decoder safety net hit: ${w}`);
    try {
      JSON.parse(json);
    } catch (e) {
      problems.push(`JSON output does not parse: ${String(e)}`);
    }
    const bad = CONTROL.exec(text);
    if (bad) problems.push(`text output carries control byte 0x${bad[0].charCodeAt(0).toString(16)} near ${JSON.stringify(text.slice(Math.max(0, bad.index - 40), bad.index + 10))}`);
  } catch (e) {
    if (e instanceof CaptureFormatError) {
      out.outcome = 'unreadable';
      out.error = e.message;
    } else {
      out.outcome = 'crash';
      out.error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
    }
  }
  out.problems = problems;
  out.ms = performance.now() - t0;
  out.heapUsed = process.memoryUsage().heapUsed;
  return out;
}

parentPort?.on('message', (job) => {
  runJob(job).then(
    (r) => parentPort?.postMessage(r),
    (e) => parentPort?.postMessage({ outcome: 'crash', error: String(e), problems: [], ms: 0 }),
  );
});
parentPort?.postMessage({ ready: true });
