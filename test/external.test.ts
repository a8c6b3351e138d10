// The external captures (../shared/peer/external, 150 files from 8 public projects): every RST tshark sees is
// reported with its frame and tcp.stream, or the capture's warnings name what was not decoded; no crash in
// any output format. tshark's answers are cached in the OS temp folder (shared with bench/external.js).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, EXTERNAL_CAPTURES, hasTshark } from './helpers/cli.js';

const FILTER = 'tcp.flags.reset==1 && !icmp && !icmpv6'; // as in SOURCES.md
const CACHE = join(tmpdir(), 'rstscope-external-tshark');
const WORKERS = 2;
/** A warning that says frames were skipped undecoded (unsupported link type or encapsulation). */
const UNDECODED = /not decoded/;
const OK_EXITS = [0, 3, 4]; // success, unreadable, damaged (README "Exit codes")

interface Run { code: number | null; signal: string | null; stdout: string; stderr: string }

function exec(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** tshark's RSTs as [frame, tcp.stream], cached by path, size and mtime. */
async function tsharkResets(file: string): Promise<Array<[number, number]>> {
  const s = statSync(file);
  const key = createHash('sha256').update(`${file}\0${s.size}\0${s.mtimeMs}\0${FILTER}`).digest('hex').slice(0, 24);
  const cached = join(CACHE, `${key}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8')) as Array<[number, number]>;
  const r = await exec('tshark', ['-n', '-r', file, '-Y', FILTER, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream']);
  const rows = r.stdout.split('\n').filter((l) => l.trim() !== '').map((l): [number, number] => {
    const [frame, stream] = l.split('\t');
    return [Number(frame), Number(String(stream).split(',')[0])];
  });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(cached, JSON.stringify(rows));
  return rows;
}

/** A crash: an exit code outside the documented ones, a signal, or a stack trace on stderr. */
function crash(r: Run): string {
  if (r.signal !== null) return `killed by ${r.signal}`;
  if (!OK_EXITS.includes(r.code ?? -1)) return `exit ${r.code}: ${r.stderr.split('\n').slice(0, 3).join(' | ')}`;
  if (/^\s+at /m.test(r.stderr)) return `stack trace: ${r.stderr.split('\n').slice(0, 3).join(' | ')}`;
  return '';
}

interface Result {
  file: string;
  tshark: number;
  matched: number;
  problems: string[];
}

async function check(file: string): Promise<Result> {
  const [ts, r] = await Promise.all([tsharkResets(file), exec(process.execPath, [CLI, 'analyze', file, '--format', 'json'])]);
  const name = relative(EXTERNAL_CAPTURES, file);
  const problems: string[] = [];
  const bad = crash(r);
  if (bad) return { file: name, tshark: ts.length, matched: 0, problems: [`json: ${bad}`] };
  let doc: { captures: Array<{ warnings: string[] }>; resets: Array<{ frame: number; stream: number | null }> };
  try {
    doc = JSON.parse(r.stdout) as typeof doc;
  } catch {
    return { file: name, tshark: ts.length, matched: 0, problems: [`json: not a JSON document (exit ${r.code})`] };
  }
  const ours = new Map(doc.resets.map((x) => [x.frame, x.stream]));
  const undecoded = (doc.captures[0]?.warnings ?? []).some((w) => UNDECODED.test(w));
  let matched = 0;
  for (const [frame, stream] of ts) {
    if (!ours.has(frame)) {
      if (!undecoded) problems.push(`frame ${frame} (stream ${stream}): missing, and no warning names an undecoded encapsulation`);
    } else if (ours.get(frame) !== stream) {
      problems.push(`frame ${frame}: stream ${ours.get(frame)}, tshark ${stream}`);
    } else {
      matched++;
    }
  }
  const theirs = new Set(ts.map(([f]) => f));
  for (const x of doc.resets) if (!theirs.has(x.frame)) problems.push(`frame ${x.frame}: a RST tshark does not see`);
  return { file: name, tshark: ts.length, matched, problems };
}

async function pool<T, R>(items: T[], fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return out;
}

const skip = !existsSync(EXTERNAL_CAPTURES) ? `no external captures at ${EXTERNAL_CAPTURES}` : !hasTshark() ? 'tshark is not installed' : '';

if (skip) {
  describe('external captures', () => {
    it.skip(`skipped: ${skip}`, () => {});
  });
} else {
  describe('external captures', () => {
    const files = walk(EXTERNAL_CAPTURES);
    let results: Result[] = [];

    beforeAll(async () => {
      results = await pool(files, check);
    }, 900_000);

    it('every RST tshark sees has the same frame and stream, or the capture names what it did not decode', () => {
      expect(files.length).toBeGreaterThan(0);
      const total = results.reduce((n, r) => n + r.tshark, 0);
      const matched = results.reduce((n, r) => n + r.matched, 0);
      const failing = results.filter((r) => r.problems.length > 0).map((r) => `${r.file}: ${r.problems.slice(0, 5).join('; ')}`);
      expect(failing, `${matched}/${total} RSTs matched`).toEqual([]);
    });

    it('no crash in text, --diagrams and zeek output (files of a project together)', async () => {
      const projects = [...new Set(files.map((f) => relative(EXTERNAL_CAPTURES, f).split('/')[0]!))];
      const jobs = projects.flatMap((p) => [['--format', 'text'], ['--diagrams'], ['--format', 'zeek']].map((mode) => ({ p, mode })));
      const crashes = (await pool(jobs, async ({ p, mode }) => {
        const mine = files.filter((f) => relative(EXTERNAL_CAPTURES, f).startsWith(`${p}/`));
        const r = await exec(process.execPath, [CLI, 'analyze', ...mine, ...mode]);
        const bad = crash(r);
        return bad ? `${p} ${mode.join(' ')}: ${bad}` : '';
      })).filter((x) => x !== '');
      expect(crashes).toEqual([]);
    }, 900_000);
  });
}
