// `rstscope locate`: captures of the same traffic at several points of the path; where each RST was born.
import { writeFile } from 'node:fs/promises';
import { renderHtml } from '../../compare/html.js';
import { locate, PointError, type LocateOptions } from '../../compare/locate.js';
import { renderText } from '../../compare/report.js';
import { EXIT_OK, EXIT_UNREADABLE } from '../exit-codes.js';
import { Output } from '../output.js';
import { describeError, parseCommandArgs, UsageError, type Command } from './command.js';

const HELP = `Usage: rstscope locate A.pcap B.pcap [C.pcap ...] [options]

Captures of the same traffic taken at several points of the path, listed in path order (the
first one nearest the side that opens most connections, usually the client). For every RST:
the points that saw it, its TTL at each, and where it was born: "born_between": [before, after]
names the two adjacent points, null standing for the end of the path beyond the first or the
last point. Clocks need not be synchronised (offset and drift are estimated from packets seen
at two points), addresses may differ (NAT: matched by sequence numbers, IP ID and payload) and
segmentation may differ (TSO/GRO: byte ranges are compared, not packets). See docs/locate.md.

Options:
  -n, --names LIST         names of the points, comma-separated, one per file (default: from the file names)
  -f, --format FORMAT      text (default) or json
      --html FILE          also write a self-contained HTML report (one ladder per RST, one lane per point)
      --idle-timeout SEC   finalize connections idle this long (default 300)
      --chunk-size BYTES   read size (default 1 MiB)
  -h, --help               this help

Exit codes: 0 done, 2 usage error, 3 a file unreadable or not a capture, 70 internal error.`;

export const locateCommand: Command = { name: 'locate', summary: 'several capture points of one path: where was each RST born?', help: HELP, run };

async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
      names: { type: 'string', short: 'n' },
      format: { type: 'string', short: 'f', default: 'text' },
      html: { type: 'string' },
      'idle-timeout': { type: 'string', default: '300' },
      'chunk-size': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    }, HELP);
  if (parsed === null) return EXIT_OK;
  const o = parsed.values;
  return runLocate(parsed.positionals, {
    names: o.names, format: o.format ?? 'text', html: o.html, idleTimeout: o['idle-timeout'], chunkSize: o['chunk-size'],
  });
}

export interface LocateCliOptions {
  names: string | undefined;
  format: string;
  html: string | undefined;
  idleTimeout: string | undefined;
  chunkSize: string | undefined;
}

/** Shared by `locate` and `analyze --points`. */
export async function runLocate(files: string[], o: LocateCliOptions): Promise<number> {
  if (files.length < 2) throw new UsageError('locate needs at least two capture files, in path order');
  if (files.includes('-')) throw new UsageError('locate reads each file twice: stdin (-) is not supported');
  if (!['text', 'json'].includes(o.format)) throw new UsageError(`unknown --format '${o.format}' (text or json)`);
  const opts: LocateOptions = {};
  if (o.names !== undefined) {
    const names = o.names.split(',').map((s) => s.trim());
    if (names.length !== files.length) throw new UsageError(`--names lists ${names.length} names for ${files.length} files`);
    if (names.some((s) => s === '') || new Set(names).size !== names.length) throw new UsageError('--names must be distinct and non-empty');
    opts.names = names;
  }
  const idle = Number(o.idleTimeout ?? '300');
  if (!Number.isFinite(idle) || idle <= 0) throw new UsageError('--idle-timeout must be a positive number of seconds');
  opts.idleTimeout = idle;
  if (o.chunkSize !== undefined) {
    const c = Number(o.chunkSize);
    if (!(Number.isInteger(c) && c > 0)) throw new UsageError('--chunk-size must be a positive whole number of bytes');
    opts.chunkSize = c;
  }
  let result;
  try {
    result = await locate(files, opts);
  } catch (e) {
    if (!(e instanceof PointError)) throw e;
    process.stderr.write(`rstscope: ${e.file}: ${describeError(e.reason)}\n`);
    return EXIT_UNREADABLE;
  }
  for (const p of result.doc.points) for (const w of p.warnings) process.stderr.write(`rstscope: ${p.file}: warning: ${w}\n`);
  const out = new Output(process.stdout);
  out.write(o.format === 'json' ? JSON.stringify(result.doc, null, 1) + '\n' : renderText(result.doc));
  if (o.html !== undefined) await writeFile(o.html, renderHtml(result));
  await out.flush();
  return EXIT_OK;
}
