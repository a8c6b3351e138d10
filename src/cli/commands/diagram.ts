// `rstscope diagram`: the ladder diagram of one connection, by connection id or by a frame in it.
import { readCapture } from '../../capture/read.js';
import { formatAddress } from '../../decode/address.js';
import { decodePacket } from '../../decode/decode-packet.js';
import { KIND_TCP, newPacket } from '../../decode/packet.js';
import type { FinishedConnection } from '../../flow/tracker.js';
import { analyzeCapture } from '../../pipeline/analyze-capture.js';
import type { ResetRecord } from '../../report/contract.js';
import { renderLadder } from '../../report/diagram/terminal.js';
import { DEFAULT_CONTEXT, diagramView } from '../../report/diagram/view.js';
import type { OutputSink } from '../../report/sink.js';
import { EXIT_DAMAGED, EXIT_OK, EXIT_UNREADABLE } from '../exit-codes.js';
import { Output } from '../output.js';
import { describeError, parseCommandArgs, UsageError, type Command } from './command.js';

const HELP = `Usage: rstscope diagram FILE (--conn ID | --frame N) [options]

Prints a ladder diagram of one TCP connection: a client lane and a server lane, one arrow per
packet with its relative time, flags, relative seq/ack, payload length and TTL. RSTs are drawn
with '=' and their cause; long runs are folded ("... 1,234 packets, 1.6 MB, 3.2 s ...").

Options:
      --conn ID            the connection with this id (the "connection" field of 'analyze --format json')
      --frame N            the connection that frame N belongs to, centred on that frame
      --context N          packets shown each side of a RST or of --frame (default ${DEFAULT_CONTEXT})
      --verify-checksums   as for analyze (connection ids depend on it)
      --idle-timeout SEC   as for analyze (default 300)
      --color / --no-color force colours on or off (default: only on a terminal)
  -h, --help               this help

Exit codes: 0 done, 2 usage error or no such connection/frame, 3 unreadable file, 4 damaged capture.`;

export const diagram: Command = { name: 'diagram', summary: 'ladder diagram of one connection (--conn ID or --frame N)', help: HELP, run };

interface Found {
  done: FinishedConnection;
  resets: readonly ResetRecord[];
}

async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
      conn: { type: 'string' },
      frame: { type: 'string' },
      context: { type: 'string' },
      'verify-checksums': { type: 'boolean', default: false },
      'idle-timeout': { type: 'string', default: '300' },
      color: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    }, HELP);
  if (parsed === null) return EXIT_OK;
  const o = parsed.values;
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) throw new UsageError('diagram needs exactly one capture file');
  if ((o.conn === undefined) === (o.frame === undefined)) throw new UsageError('diagram needs one of --conn ID or --frame N');
  const conn = o.conn === undefined ? null : whole(o.conn, '--conn', 0);
  const frame = o.frame === undefined ? null : whole(o.frame, '--frame', 1);
  const context = o.context === undefined ? DEFAULT_CONTEXT : whole(o.context, '--context', 0);
  const idleTimeout = Number(o['idle-timeout']);
  if (!Number.isFinite(idleTimeout) || idleTimeout <= 0) throw new UsageError('--idle-timeout must be a positive number of seconds');
  const color = o['no-color'] ? false : o.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);

  let exact: Found | null = null;
  const around: Found[] = [];
  // Each stream's Zeek connections (bounded), so --frame can show what came before on the same 4-tuple.
  const byStream = new Map<number, Found[]>();
  const nullSink: OutputSink = { connection() {}, reset() {}, finding() {}, capture() {}, end() {} };
  let damaged = false;
  try {
    const result = await analyzeCapture(file, file, {
      verifyChecksums: o['verify-checksums'] ?? false, idleTimeout,
      onConnection: (done, _rec, resets) => {
        const c = done.conn;
        if (frame !== null && c.stream !== null) {
          if (!byStream.has(c.stream) && byStream.size >= MAX_STREAMS_KEPT) byStream.delete(byStream.keys().next().value!);
          byStream.set(c.stream, [...(byStream.get(c.stream) ?? []), { done, resets }].slice(-EARLIER_SHOWN - 1));
        }
        if (conn !== null && c.id === conn) exact = { done, resets };
        if (frame === null || exact !== null || frame < c.firstFrame || frame > c.lastFrame) return;
        if (c.log.kept().some((p) => p.frame === frame)) exact = { done, resets };
        else around.push({ done, resets });
      },
    }, nullSink);
    if (result.damaged) {
      damaged = true;
      process.stderr.write(`rstscope: ${file}: damaged capture, analyzed up to the damage: ${result.info.error}\n`);
    }
  } catch (e) {
    process.stderr.write(`rstscope: ${file}: ${describeError(e)}\n`);
    return EXIT_UNREADABLE;
  }
  const found: Found | null = exact ?? (frame === null ? null : await byTuple(file, frame, around));
  if (found === null) {
    const what = conn !== null ? `no connection with id ${conn}` : `frame ${frame} is not a TCP packet of any connection`;
    throw new UsageError(`${file}: ${what}`);
  }
  const focus = frame !== null ? [frame] : found.resets.map((r) => r.frame);
  const out = new Output(process.stdout);
  const c = found.done.conn;
  // The stream's earlier connections (Zeek split them off after a close or an idle gap) come first.
  const earlier = frame !== null && c.stream !== null ? (byStream.get(c.stream) ?? []).filter((f) => f.done.conn.id < c.id) : [];
  for (const e of earlier) {
    out.write(renderLadder(diagramView(e.done.conn, { focus: e.resets.map((r) => r.frame), context, notes: notes(e) }), { color }));
  }
  const before = earlier.at(-1)?.done.conn;
  if (before) out.write(`... ${(c.firstTime - before.lastTime).toFixed(3)} s later, on the same 4-tuple (stream ${c.stream}) ...\n`);
  out.write(renderLadder(diagramView(c, { focus, context, notes: notes(found) }), { color }));
  await out.flush();
  return damaged ? EXIT_DAMAGED : EXIT_OK;
}

/** Earlier connections of a stream drawn before the one --frame falls in, and streams remembered for that. */
const EARLIER_SHOWN = 3;
const MAX_STREAMS_KEPT = 4096;

function notes(f: Found): Array<{ frame: number; cause: string; origin: string }> {
  return f.resets.map((r) => ({ frame: r.frame, cause: r.cause, origin: r.origin }));
}

/** A frame inside a folded run: find its 4-tuple with a second read, then the connection spanning it. */
async function byTuple(file: string, frame: number, around: readonly Found[]): Promise<Found | null> {
  if (around.length <= 1) return around[0] ?? null;
  if (file === '-') return null; // stdin cannot be read twice
  const pkt = newPacket();
  for await (const rec of readCapture(file)) {
    if (rec.frame !== frame) continue;
    decodePacket(rec.data, rec.linktype, pkt, { verifyChecksums: false });
    if (pkt.kind !== KIND_TCP) return null;
    const src = formatAddress(pkt.buf, pkt.srcOff, pkt.ipVersion);
    const dst = formatAddress(pkt.buf, pkt.dstOff, pkt.ipVersion);
    const is = (a: { ip: string; port: number }, ip: string, port: number): boolean => a.ip === ip && a.port === port;
    return around.find(({ done: { conn: c } }) =>
      (is(c.client, src, pkt.sport) && is(c.server, dst, pkt.dport)) || (is(c.client, dst, pkt.dport) && is(c.server, src, pkt.sport)),
    ) ?? null;
  }
  return null;
}

function whole(text: string, name: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be a whole number >= ${min}`);
  return n;
}
