#!/usr/bin/env node
// RSTs on the external captures: tshark's (frame, tcp.stream) against rstscope's, file by file.
//
//   npm run build && node bench/external.js            table of mismatches + totals
//   node bench/external.js --verbose                   also list every missing / extra / renumbered RST
//   node bench/external.js --json out.json             the per-file figures as JSON
//   node bench/external.js FILTER                      only captures whose path contains FILTER
//
// The filter is SOURCES.md's (`tcp.flags.reset==1 && !icmp && !icmpv6`). tshark's answers are cached in
// the OS temp folder, keyed by path, size and mtime (delete rstscope-external-tshark/ there to redo them).
// A RST tshark sees that rstscope does not report counts as "explained" when the capture's warnings say
// some frames were not decoded (unsupported link type or encapsulation).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXTERNAL = resolve(ROOT, '../shared/peer/external/captures');
const CLI = join(ROOT, 'dist/cli/main.js');
const CACHE = join(tmpdir(), 'rstscope-external-tshark');
const FILTER = 'tcp.flags.reset==1 && !icmp && !icmpv6';
const UNDECODED = /not decoded/;

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}

function exec(cmd, args) {
  return new Promise((res) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    p.stdout.on('data', (d) => out.push(d));
    p.stderr.on('data', (d) => err.push(d));
    p.on('close', (code, signal) => res({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

/** tshark's RSTs as [frame, stream] (stream of the first TCP layer), cached. */
async function tsharkResets(file) {
  const s = statSync(file);
  const key = createHash('sha256').update(`${file}\0${s.size}\0${s.mtimeMs}\0${FILTER}`).digest('hex').slice(0, 24);
  const cached = join(CACHE, `${key}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8'));
  const r = await exec('tshark', ['-n', '-r', file, '-Y', FILTER, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream']);
  const rows = r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => {
    const [frame, stream] = l.split('\t');
    return [Number(frame), Number(String(stream).split(',')[0])];
  });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(cached, JSON.stringify(rows));
  return rows;
}

async function rstscope(file) {
  const r = await exec(process.execPath, [CLI, 'analyze', file, '--format', 'json']);
  if (r.code !== 0 && r.code !== 3 && r.code !== 4) return { code: r.code, stderr: r.stderr, resets: [], warnings: [], error: null };
  let doc;
  try { doc = JSON.parse(r.stdout); } catch { return { code: r.code, stderr: `unparsable JSON: ${r.stderr}`, resets: [], warnings: [], error: null }; }
  const cap = doc.captures[0] ?? {};
  return {
    code: r.code, stderr: r.stderr,
    resets: doc.resets.map((x) => [x.frame, x.stream]),
    warnings: cap.warnings ?? [], error: cap.error ?? null,
  };
}

async function compare(file) {
  const [ts, rs] = await Promise.all([tsharkResets(file), rstscope(file)]);
  const ours = new Map(rs.resets.map(([f, s]) => [f, s]));
  const missing = [];
  const renumbered = [];
  let matched = 0;
  for (const [frame, stream] of ts) {
    if (!ours.has(frame)) missing.push(frame);
    else if (ours.get(frame) !== stream) renumbered.push([frame, stream, ours.get(frame)]);
    else matched++;
  }
  const theirs = new Set(ts.map(([f]) => f));
  const extra = rs.resets.filter(([f]) => !theirs.has(f)).map(([f]) => f);
  const undecodedWarning = rs.warnings.filter((w) => UNDECODED.test(w));
  const explained = missing.length > 0 && renumbered.length === 0 && undecodedWarning.length > 0;
  return {
    file: relative(EXTERNAL, file), tshark: ts.length, rstscope: rs.resets.length, matched, missing, renumbered, extra,
    code: rs.code, crash: rs.code !== 0 && rs.code !== 3 && rs.code !== 4 ? rs.stderr.split('\n').slice(0, 3).join(' | ') : '',
    warnings: rs.warnings, error: rs.error, explained,
    ok: missing.length === 0 && renumbered.length === 0 && extra.length === 0,
  };
}

async function main() {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const jsonAt = args.indexOf('--json');
  const jsonOut = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  const filter = args.find((a, i) => !a.startsWith('--') && (jsonAt < 0 || i !== jsonAt + 1));
  if (!existsSync(EXTERNAL)) {
    console.error(`no external captures at ${EXTERNAL}`);
    process.exit(2);
  }
  const files = walk(EXTERNAL).filter((f) => filter === undefined || f.includes(filter));
  const results = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await compare(files[i]);
    }
  };
  await Promise.all([worker(), worker()]);
  let okFiles = 0;
  let explainedFiles = 0;
  let total = 0;
  let matched = 0;
  for (const r of results) {
    total += r.tshark;
    matched += r.matched;
    if (r.ok) okFiles++;
    else if (r.explained && r.extra.length === 0) explainedFiles++;
    if (r.ok && !r.crash) continue;
    const tag = r.crash ? 'CRASH' : r.explained ? 'explained' : 'MISMATCH';
    console.log(`${tag.padEnd(9)} ${r.file}: tshark ${r.tshark}, rstscope ${r.rstscope}, matched ${r.matched}, missing ${r.missing.length}, renumbered ${r.renumbered.length}, extra ${r.extra.length}${r.crash ? ` exit ${r.code}: ${r.crash}` : ''}`);
    if (verbose) {
      if (r.missing.length) console.log(`    missing frames: ${r.missing.slice(0, 30).join(' ')}${r.missing.length > 30 ? ' ...' : ''}`);
      if (r.renumbered.length) console.log(`    renumbered (frame tshark ours): ${r.renumbered.slice(0, 15).map((x) => x.join('/')).join(' ')}`);
      if (r.extra.length) console.log(`    extra frames: ${r.extra.slice(0, 30).join(' ')}`);
      for (const w of r.warnings) console.log(`    warning: ${w}`);
      if (r.error) console.log(`    error: ${r.error}`);
    }
  }
  console.log(`\n${files.length} captures: ${okFiles} match fully, ${explainedFiles} more explained by an undecoded-frames warning; RSTs matched ${matched}/${total}`);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 1));
}

await main();
