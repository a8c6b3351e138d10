// `rstscope analyze`: explain every RST in one or more captures.
import { parseArgs } from 'node:util';
import { statSync } from 'node:fs';
import { analyzeCapture } from '../../pipeline/analyze-capture.js';
import { JsonSink, NdjsonSink } from '../../report/json.js';
import type { CaptureInfo, ConnectionRecord, ResetRecord, Summary } from '../../report/contract.js';
import { SummaryCounter, type OutputSink } from '../../report/sink.js';
import { TextSink } from '../../report/text.js';
import { EXIT_DAMAGED, EXIT_OK, EXIT_UNREADABLE } from '../exit-codes.js';
import { describeError, UsageError, type Command } from './command.js';
import { Output } from '../output.js';
import { Progress } from '../progress.js';

const HELP = `Usage: rstscope analyze FILE... [options]

Reads each capture (pcap or pcapng, optionally gzip-compressed; '-' reads stdin, e.g.
'tcpdump -U -w - | rstscope analyze -'), rebuilds its TCP connections and reports every RST:
phase, sender, cause, evidence and advice. Several files are analyzed each on its own.

Options:
  -f, --format FORMAT      text (default), json (one document), ndjson (one record per line)
  -v, --verbose            text format: print evidence and advice under each RST
      --verify-checksums   check IPv4/TCP checksums (off by default: offloaded checksums look bad)
      --idle-timeout SEC   finalize connections idle this long (default 300, Zeek's)
      --color / --no-color force colours on or off (default: only on a terminal)
      --chunk-size BYTES   read size (default 1 MiB; tests use tiny sizes to prove chunking changes nothing)
  -h, --help               this help

Exit codes: 0 done (a capture cut short in its last record is only a warning), 2 usage error,
3 file unreadable or not a capture, 4 damaged capture (analyzed up to the damage), 70 internal error.`;

export const analyze: Command = { name: 'analyze', summary: 'explain every RST in pcap/pcapng captures (gzip ok; - = stdin)', help: HELP, run };

async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true, strict: true,
      options: {
        format: { type: 'string', short: 'f', default: 'text' },
        verbose: { type: 'boolean', short: 'v', default: false },
        'verify-checksums': { type: 'boolean', default: false },
        'idle-timeout': { type: 'string', default: '300' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'chunk-size': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const o = parsed.values;
  if (o.help) {
    process.stdout.write(HELP + '\n');
    return EXIT_OK;
  }
  const files = parsed.positionals;
  if (files.length === 0) throw new UsageError("analyze needs at least one capture file (or '-' for stdin)");
  const format = o.format ?? 'text';
  if (!['text', 'json', 'ndjson'].includes(format)) throw new UsageError(`unknown --format '${format}' (text, json or ndjson)`);
  const idleTimeout = Number(o['idle-timeout']);
  if (!Number.isFinite(idleTimeout) || idleTimeout <= 0) throw new UsageError(`--idle-timeout must be a positive number of seconds`);
  const chunkSize = o['chunk-size'] === undefined ? undefined : Number(o['chunk-size']);
  if (chunkSize !== undefined && !(Number.isInteger(chunkSize) && chunkSize > 0)) throw new UsageError('--chunk-size must be a positive whole number of bytes');
  const color = o['no-color'] ? false : o.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);

  const out = new Output(process.stdout);
  const counter = new SummaryCounter();
  const inner: OutputSink =
    format === 'json' ? new JsonSink(out.write) : format === 'ndjson' ? new NdjsonSink(out.write) : new TextSink(out.write, { color, verbose: o.verbose ?? false });
  const sink = countingSink(inner, counter);
  let exit = EXIT_OK;
  for (const file of files) {
    const progress = new Progress(process.stderr.isTTY === true, file === '-' ? null : sizeOf(file));
    try {
      const result = await analyzeCapture(file, file, {
        verifyChecksums: o['verify-checksums'] ?? false, idleTimeout, ...(chunkSize ? { chunkSize } : {}),
        onProgress: (bytes, packets) => progress.update(bytes, packets),
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
  sink.end(counter.summary);
  await out.flush();
  return exit;
}

function countingSink(inner: OutputSink, counter: SummaryCounter): OutputSink {
  return {
    connection: (r: ConnectionRecord) => (counter.connection(r), inner.connection(r)),
    reset: (r: ResetRecord) => (counter.reset(r), inner.reset(r)),
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

