// `rstscope analyze`: explain every RST in one or more captures.
import { statSync, writeFileSync } from 'node:fs';
import { analyzeCapture, type AnalyzeOptions } from '../../pipeline/analyze-capture.js';
import { analyzeInParallel, defaultJobs } from '../../pipeline/parallel.js';
import { JsonSink, NdjsonSink } from '../../report/json.js';
import type { CaptureInfo, ConnectionRecord, ResetRecord, Summary } from '../../report/contract.js';
import { SummaryCounter, type OutputSink } from '../../report/sink.js';
import { TextSink } from '../../report/text.js';
import { DiagramTextSink } from '../../report/diagram/text-sink.js';
import { terminalSafeSink } from '../../report/diagram/sanitize.js';
import { HtmlReport } from '../../report/html/collect.js';
import { renderReport } from '../../report/html/page.js';
import { ZeekSink } from '../../report/zeek.js';
import { EXIT_DAMAGED, EXIT_FAIL_ON, EXIT_OK, EXIT_UNREADABLE } from '../exit-codes.js';
import { describeError, parseCommandArgs, UsageError, type Command } from './command.js';
import { runLocate } from './locate.js';
import { Output } from '../output.js';
import { TempFileSpool } from '../spool.js';
import { Progress } from '../progress.js';

const HELP = `Usage: rstscope analyze FILE... [options]

Reads each capture (pcap or pcapng, optionally gzip-compressed; '-' reads stdin, e.g.
'tcpdump -U -w - | rstscope analyze -'), rebuilds its TCP connections and reports every RST:
phase, sender, cause, evidence and advice. Several files are analyzed each on its own.

Options:
  -f, --format FORMAT      text (default), json (one document), ndjson (one record per line),
                           zeek (Zeek conn.log TSV with its header), zeek-json (Zeek's JSON conn.log)
  -v, --verbose            text format: print evidence and advice under each RST
      --diagrams           text format: print the ladder diagram of its connection under each RST
      --html FILE          also write a self-contained HTML report (summary, RST table, diagrams)
      --fail-on WHAT       exit 1 when a RST has this cause, or origin 'middlebox' (repeatable,
                           comma-separated; 'any' matches every RST)
      --points NAMES       the files capture the same traffic at these points, in path order: run
                           'rstscope locate --names NAMES' (where each RST was born; text or json)
      --verify-checksums   check IPv4/TCP checksums (off by default: offloaded checksums look bad)
      --idle-timeout SEC   finalize connections idle this long (default 300, Zeek's)
      --idle-min SEC       shortest silence before a RST that can be an idle timeout (default 5)
      --color / --no-color force colours on or off (default: only on a terminal)
      --chunk-size BYTES   read size (default 1 MiB; tests use tiny sizes to prove chunking changes nothing)
  -j, --jobs N             analyze several files at once on N threads (default: one per core); the
                           output is the same as one by one (diagrams, --html, zeek and stdin: one by one)
  -h, --help               this help

Live: reading stdin ('-') with --format ndjson is a live monitor (tcpdump -U -i eth0 -w - | rstscope
analyze - --format ndjson): each RST is written at once with "final": false, then again with
"final": true when its evidence window closes, even if no more packets come; Ctrl-C prints the summary.

Exit codes: 0 done (a capture cut short in its last record is only a warning), 1 --fail-on matched, 2 usage error,
3 file unreadable or not a capture, 4 damaged capture (analyzed up to the damage), 70 internal error.`;

export const analyze: Command = { name: 'analyze', summary: 'explain every RST in pcap/pcapng captures (gzip ok; - = stdin)', help: HELP, run };

async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
      format: { type: 'string', short: 'f', default: 'text' },
      verbose: { type: 'boolean', short: 'v', default: false },
      'verify-checksums': { type: 'boolean', default: false },
      'idle-timeout': { type: 'string', default: '300' },
      'idle-min': { type: 'string', default: '5' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      'chunk-size': { type: 'string' },
      jobs: { type: 'string', short: 'j' },
      diagrams: { type: 'boolean', default: false },
      html: { type: 'string' },
      'fail-on': { type: 'string', multiple: true },
      points: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    }, HELP);
  if (parsed === null) return EXIT_OK;
  const o = parsed.values;
  const files = parsed.positionals;
  // Several capture points of one path: the cross-point proof lives in `locate`.
  if (o.points !== undefined) return runLocate(files, { names: o.points, format: o.format ?? 'text', html: o.html, idleTimeout: o['idle-timeout'], chunkSize: o['chunk-size'] });
  if (files.length === 0) throw new UsageError("analyze needs at least one capture file (or '-' for stdin)");
  const format = o.format ?? 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`unknown --format '${format}' (${FORMATS.join(', ')})`);
  if (o.diagrams && format !== 'text') throw new UsageError('--diagrams needs --format text');
  if (o.html === '') throw new UsageError('--html needs a file name');
  const failOn = parseFailOn(o['fail-on'] ?? []);
  const idleTimeout = Number(o['idle-timeout']);
  if (!Number.isFinite(idleTimeout) || idleTimeout <= 0) throw new UsageError(`--idle-timeout must be a positive number of seconds`);
  const idleMin = Number(o['idle-min']);
  if (!Number.isFinite(idleMin) || idleMin <= 0) throw new UsageError(`--idle-min must be a positive number of seconds`);
  const chunkSize = o['chunk-size'] === undefined ? undefined : Number(o['chunk-size']);
  if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize > 0)) throw new UsageError('--chunk-size must be a positive whole number of bytes');
  const jobs = o.jobs === undefined ? defaultJobs(files.length) : Number(o.jobs);
  if (!(Number.isInteger(jobs) && jobs > 0)) throw new UsageError('--jobs must be a positive whole number');
  const color = o['no-color'] ? false : o.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);

  const out = new Output(process.stdout);
  const counter = new SummaryCounter();
  const hooks: Array<NonNullable<AnalyzeOptions['onConnection']>> = [];
  let inner: OutputSink;
  if (format === 'json') inner = new JsonSink(out.write, { writeBytes: out.writeBytes, drain: () => out.maybeFlush(), spool: () => new TempFileSpool() });
  else if (format === 'ndjson') inner = new NdjsonSink(out.write);
  else if (format === 'zeek' || format === 'zeek-json') {
    const zeek = new ZeekSink(out.write, { json: format === 'zeek-json' });
    hooks.push(zeek.onConnection);
    inner = zeek;
  } else {
    inner = terminalSafeSink(new TextSink(out.write, { color, verbose: o.verbose ?? false }));
    if (o.diagrams) {
      const withDiagrams = new DiagramTextSink(inner, out.write, { color });
      hooks.push(withDiagrams.onConnection);
      inner = withDiagrams;
    }
  }
  const html = o.html === undefined ? null : new HtmlReport();
  if (html) hooks.push(html.onConnection);
  const failed: ResetRecord[] = [];
  const sink = countingSink(html ? teeSink(inner, html) : inner, counter, (r) => {
    if (failOn.size > 0 && failed.length < 3 && matchesFailOn(r, failOn)) failed.push(r);
  });
  // Live monitor: stdin in NDJSON gets provisional verdicts at once and final ones on a wall-clock timer;
  // Ctrl-C stops reading, finalizes what was read and prints the summary.
  const live = format === 'ndjson' && files.includes('-');
  const stop = new AbortController();
  const onSigint = (): void => {
    if (stop.signal.aborted) process.exit(130); // a second Ctrl-C: leave at once
    stop.abort();
    process.stdin.destroy();
  };
  if (files.includes('-')) process.on('SIGINT', onSigint);
  let exit = EXIT_OK;
  // Several files on several cores: the same records in the same order as the loop below (pipeline/parallel.ts).
  if (jobs > 1 && files.length > 1 && !files.includes('-') && hooks.length === 0) {
    const opts = { verifyChecksums: o['verify-checksums'] ?? false, idleTimeout, idleMin, ...(chunkSize ? { chunkSize } : {}) };
    await analyzeInParallel(files, opts, sink, jobs, async ({ file, result, error }) => {
      if (result === undefined) {
        exit = Math.max(exit, EXIT_UNREADABLE);
        process.stderr.write(`rstscope: ${file}: ${describeError(error)}\n`);
      } else {
        if (result.damaged) {
          exit = Math.max(exit, EXIT_DAMAGED);
          process.stderr.write(`rstscope: ${file}: damaged capture, analyzed up to the damage: ${result.info.error}\n`);
        }
        for (const w of result.info.warnings) process.stderr.write(`rstscope: ${file}: warning: ${w}\n`);
      }
      await out.maybeFlush();
    }, () => out.maybeFlush());
  } else for (const file of files) {
    const progress = new Progress(process.stderr.isTTY === true, file === '-' ? null : sizeOf(file));
    try {
      const result = await analyzeCapture(file, file, {
        verifyChecksums: o['verify-checksums'] ?? false, idleTimeout, idleMin, ...(chunkSize ? { chunkSize } : {}),
        onProgress: (bytes, packets) => progress.update(bytes, packets),
        ...(live && file === '-' ? { live: true, onOutput: () => void out.flush() } : {}),
        signal: stop.signal,
        drain: () => out.maybeFlush(),
        ...(hooks.length ? { onConnection: (d, c, r) => hooks.forEach((h) => h(d, c, r)) } : {}),
      }, sink);
      progress.done();
      if (result.damaged) {
        exit = Math.max(exit, EXIT_DAMAGED);
        process.stderr.write(`rstscope: ${file}: damaged capture, analyzed up to the damage: ${result.info.error}\n`);
      }
      for (const w of result.info.warnings) process.stderr.write(`rstscope: ${file}: warning: ${w}\n`);
    } catch (e) {
      progress.done();
      exit = Math.max(exit, EXIT_UNREADABLE);
      process.stderr.write(`rstscope: ${file}: ${describeError(e)}\n`);
    }
    await out.maybeFlush();
  }
  process.off('SIGINT', onSigint);
  await sink.end(counter.summary);
  await out.flush();
  if (html && o.html) {
    try {
      writeFileSync(o.html, renderReport(html, { generator: 'rstscope 0.1.0' }));
    } catch (e) {
      process.stderr.write(`rstscope: ${o.html}: ${describeError(e)}\n`);
      exit = Math.max(exit, EXIT_UNREADABLE);
    }
  }
  if (failed.length > 0) {
    const first = failed[0]!;
    process.stderr.write(`rstscope: --fail-on matched: frame ${first.frame} of ${first.file}, cause ${first.cause}, origin ${first.origin}\n`);
    exit = Math.max(exit, EXIT_FAIL_ON);
  }
  return exit;
}

const FORMATS = ['text', 'json', 'ndjson', 'zeek', 'zeek-json'];

/** --fail-on values: cause ids, 'middlebox' (an origin) or 'any'. */
function parseFailOn(values: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const v of values.flatMap((x) => x.split(','))) {
    const w = v.trim();
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(w)) throw new UsageError(`--fail-on wants a cause id, 'middlebox' or 'any', not '${v}'`);
    set.add(w);
  }
  return set;
}

function matchesFailOn(r: ResetRecord, set: ReadonlySet<string>): boolean {
  return set.has('any') || set.has(r.cause) || (r.origin === 'middlebox' && set.has('middlebox'));
}

function teeSink(a: OutputSink, b: OutputSink): OutputSink {
  return {
    connection: (r) => (a.connection(r), b.connection(r)),
    reset: (r) => (a.reset(r), b.reset(r)),
    provisional: (r) => a.provisional?.(r),
    finding: (r) => (a.finding(r), b.finding(r)),
    capture: (i) => (a.capture(i), b.capture(i)),
    end: async (s) => {
      await a.end(s);
      await b.end(s);
    },
  };
}

function countingSink(inner: OutputSink, counter: SummaryCounter, onReset: (r: ResetRecord) => void): OutputSink {
  return {
    connection: (r: ConnectionRecord) => (counter.connection(r), inner.connection(r)),
    reset: (r: ResetRecord) => (counter.reset(r), onReset(r), inner.reset(r)),
    provisional: (r: ResetRecord) => inner.provisional?.(r),
    finding: (r) => inner.finding(r),
    capture: (i: CaptureInfo) => (counter.capture(i), inner.capture(i)),
    end: (s: Summary) => inner.end(s),
  };
}

function sizeOf(file: string): number | null {
  try {
    return statSync(file).size;
  } catch {
    return null;
  }
}

