#!/usr/bin/env node
// The benchmark of issue #5: rstscope vs tshark vs the floor on a generated 5-million-packet capture.
//
//   npm run bench                      build, then 3 runs of each (median), table + bench/results.json
//   npm run bench -- --big             also a 20-million-packet capture: is memory flat?
//   node bench/run.js --runs 1 --packets 1000000 --skip-tshark      quick look while optimising
//
// Rows: floor (bench/floor.js: record headers only), skeleton and skeleton-2t (bench/skeleton.js: read, decode,
// tuple index and records of the document's size, no analysis, on one thread or with the records made on a
// second: the best a JavaScript rstscope could do), rstscope, tshark.
// Options: --runs N (3), --packets N (5000000), --big, --big-packets N (20000000), --skip-tshark,
// --reuse-tshark (take tshark's figures from an earlier run on the same file, if any), --no-check.
// Captures go to bench/out/ (ignored by git), regenerated only when missing or made differently.
// Peak RSS is the kernel's (wait4 ru_maxrss via /usr/bin/time); without /usr/bin/time, VmHWM sampled
// from /proc/PID/status. Wall time includes start-up; the cache is warmed before timing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, statSync, statfsSync, writeFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './gen.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const SEED = 1;
const POOL = 40_000;
/** Bytes per packet of the generated capture, rounded up (for the free-space check). */
const BYTES_PER_PACKET = 125;
const TARGET_RATIO = 25;
const AIM_RATIO = 37;
const TARGET_RSS_MB = 256;
/** The stream index may grow by this much per extra 4-tuple (issue #5: "at most about 32 bytes"). */
const INDEX_BYTES_PER_TUPLE = 32;

function parseArgs(argv) {
  const o = { runs: 3, packets: 5_000_000, big: false, bigPackets: 20_000_000, tshark: true, reuseTshark: false, check: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--packets') o.packets = Number(argv[++i]);
    else if (a === '--big') o.big = true;
    else if (a === '--big-packets') o.bigPackets = Number(argv[++i]);
    else if (a === '--skip-tshark') o.tshark = false;
    else if (a === '--reuse-tshark') o.reuseTshark = true;
    else if (a === '--no-check') o.check = false;
    else throw new Error(`unknown option ${a} (see the head of bench/run.js)`);
  }
  return o;
}

function label(n) {
  return n % 1_000_000 === 0 ? `${n / 1_000_000}m` : `${n}`;
}

/** Generates the capture unless the same one (same parameters) is already there. */
function capture(packets) {
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `bench-${label(packets)}.pcap`);
  const metaFile = `${file}.json`;
  const params = { packets, seed: SEED, pool: POOL, generator: hashOf(join(ROOT, 'bench', 'gen.js')) };
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (JSON.stringify(meta.params) === JSON.stringify(params) && statSync(file).size === meta.result.bytes) return { file, ...meta.result };
  }
  const need = packets * BYTES_PER_PACKET;
  const free = freeBytes(OUT);
  if (free < need * 1.1 + 1e9) {
    throw new Error(`not enough free disk for ${file}: need ~${mb(need)} MB (+1 GB spare), have ${mb(free)} MB`);
  }
  process.stderr.write(`generating ${file} (${packets.toLocaleString('en')} packets, ~${mb(need)} MB)... `);
  const t0 = performance.now();
  const result = generate({ packets, out: file, seed: SEED, pool: POOL });
  process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  writeFileSync(metaFile, JSON.stringify({ params, result }, null, 1) + '\n');
  return { file, ...result };
}

function freeBytes(dir) {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

function hashOf(path) {
  // Cheap content fingerprint (FNV-1a) so a changed generator regenerates its captures.
  const b = readFileSync(path);
  let h = 0x811c9dc5;
  for (const x of b) h = Math.imul(h ^ x, 0x01000193) >>> 0;
  return h.toString(16);
}

const mb = (b) => Math.round(b / 1e6);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const HAVE_TIME = existsSync('/usr/bin/time');

/**
 * Runs `cmd args` with stdout to `stdoutPath` (default /dev/null) and returns wall seconds, CPU
 * seconds (user + sys) and peak RSS in bytes.
 */
function measure(cmd, args, stdoutPath = '/dev/null') {
  return new Promise((resolveRun, reject) => {
    const out = openSync(stdoutPath, 'w');
    const timeFile = join(tmpdir(), `rstscope-bench-time-${process.pid}`);
    const argv = HAVE_TIME ? ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...args] : args;
    const t0 = performance.now();
    const child = spawn(HAVE_TIME ? '/usr/bin/time' : cmd, argv, { cwd: ROOT, stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    let hwm = 0;
    const sampler = HAVE_TIME
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
          } catch {
            // the process just ended
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      const wallOwn = (performance.now() - t0) / 1000;
      closeSync(out);
      if (sampler) clearInterval(sampler);
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      if (!HAVE_TIME) return resolveRun({ wall: wallOwn, cpu: null, rss: hwm });
      const [wall, user, sys, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      rmSync(timeFile, { force: true });
      resolveRun({ wall, cpu: user + sys, rss: kb * 1024 });
    });
  });
}

const TOOLS = {
  rstscope: (file) => ['node', [join(ROOT, 'dist', 'cli', 'main.js'), 'analyze', file, '--format', 'json']],
  tshark: (file) => ['tshark', ['-r', file, '-Y', 'tcp.flags.reset==1', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream']],
  floor: (file) => ['node', [join(ROOT, 'bench', 'floor.js'), file]],
  skeleton: (file) => ['node', [join(ROOT, 'bench', 'skeleton.js'), file]],
  'skeleton-2t': (file) => ['node', [join(ROOT, 'bench', 'skeleton.js'), file, '--threads']],
};

/** tshark's output (small: one line per RST) is kept for the check; the others go to /dev/null. */
const tsharkOut = (cap) => join(OUT, `bench-${label(cap.packets)}.tshark.txt`);

async function bench(tool, cap, runs) {
  const [cmd, args] = TOOLS[tool](cap.file);
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const s = await measure(cmd, args, tool === 'tshark' ? tsharkOut(cap) : '/dev/null');
    process.stderr.write(`  ${tool.padEnd(8)} run ${i + 1}/${runs}: ${s.wall.toFixed(2)} s, cpu ${s.cpu?.toFixed(2) ?? '?'} s, peak RSS ${mb(s.rss)} MB\n`);
    samples.push(s);
  }
  const wall = median(samples.map((s) => s.wall));
  const cpu = samples[0].cpu === null ? null : median(samples.map((s) => s.cpu));
  const rss = median(samples.map((s) => s.rss));
  return {
    tool, runs, wall_s: round(wall, 3), cpu_s: cpu === null ? null : round(cpu, 3),
    packets_per_s: Math.round(cap.packets / wall), mb_per_s: round(cap.bytes / 1e6 / wall, 1),
    peak_rss_mb: round(rss / 1e6, 1), peak_rss_mb_max: round(Math.max(...samples.map((s) => s.rss)) / 1e6, 1),
    samples: samples.map((s) => ({ wall_s: s.wall, cpu_s: s.cpu, peak_rss_mb: round(s.rss / 1e6, 1) })),
  };
}

const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;

/** Same RST frames and tcp.stream numbers from rstscope (ndjson) and tshark? */
async function check(cap) {
  const nd = join(OUT, `check-${label(cap.packets)}.ndjson`);
  const ts = tsharkOut(cap);
  await measure('node', [join(ROOT, 'dist', 'cli', 'main.js'), 'analyze', cap.file, '--format', 'ndjson'], nd);
  if (!existsSync(ts)) await measure(...TOOLS.tshark(cap.file), ts);
  const ours = new Map();
  for (const line of readFileSync(nd, 'utf8').split('\n')) {
    if (!line.includes('"type":"reset"')) continue;
    const r = JSON.parse(line);
    ours.set(r.frame, r.stream);
  }
  let same = 0;
  let differ = 0;
  let missing = 0;
  const lines = readFileSync(ts, 'utf8').trim().split('\n').filter(Boolean);
  for (const l of lines) {
    const [frame, stream] = l.split('\t').map(Number);
    if (!ours.has(frame)) missing++;
    else if (ours.get(frame) === stream) same++;
    else differ++;
  }
  rmSync(nd, { force: true });
  return { tshark_rsts: lines.length, rstscope_rsts: ours.size, same_frame_and_stream: same, other_stream: differ, missing };
}

function warm(file) {
  spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function machine() {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? '?';
  const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? null;
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() !== '';
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return { nproc: cpus().length, cpu, node: process.version, tshark, commit: git + (dirty ? '+dirty' : ''), loadavg_at_start: load };
}

function table(rows, cap) {
  const head = ['tool', 'wall s', 'cpu s', 'packets/s', 'MB/s', 'peak RSS MB', 'rstscope packets/s ÷ this'];
  const rs = rows.find((r) => r.tool === 'rstscope');
  const lines = rows.map((r) => [
    r.tool, r.wall_s.toFixed(2), r.cpu_s?.toFixed(2) ?? '?', r.packets_per_s.toLocaleString('en'), r.mb_per_s.toFixed(1),
    r.peak_rss_mb.toFixed(0), r.tool === 'rstscope' ? '' : `${(rs.packets_per_s / r.packets_per_s).toFixed(2)}x`,
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l) => l.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [`${label(cap.packets)} packets, ${mb(cap.bytes)} MB: ${cap.file}`, fmt(head), fmt(w.map((n) => '-'.repeat(n))), ...lines.map(fmt)].join('\n');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm run bench does)');
  const results = { date: new Date().toISOString(), machine: machine(), options: o, captures: [] };
  const prevFile = join(ROOT, 'bench', 'results.json');
  const prev = existsSync(prevFile) ? JSON.parse(readFileSync(prevFile, 'utf8')) : null;

  const main5 = capture(o.packets);
  warm(main5.file);
  const rows = [];
  rows.push(await bench('floor', main5, o.runs));
  rows.push(await bench('skeleton', main5, o.runs));
  rows.push(await bench('skeleton-2t', main5, o.runs));
  rows.push(await bench('rstscope', main5, o.runs));
  let tshark = null;
  if (o.tshark) {
    const old = prev?.captures?.find((c) => c.file === main5.file && c.bytes === main5.bytes)?.tools?.find((t) => t.tool === 'tshark');
    if (o.reuseTshark && old) {
      tshark = { ...old, reused_from: prev.date };
      process.stderr.write(`  tshark   reused from ${prev.date}\n`);
    } else tshark = await bench('tshark', main5, o.runs);
    rows.push(tshark);
  }
  const rs = rows.find((r) => r.tool === 'rstscope');
  const floor = rows.find((r) => r.tool === 'floor');
  const entry = {
    file: main5.file, packets: main5.packets, bytes: main5.bytes, tuples: main5.tuples, connections: main5.connections,
    rst_packets: main5.rstPackets, ipv6_connections: main5.ipv6, already_open: main5.midstream, kinds: main5.kinds, tools: rows,
    ratios: {
      rstscope_vs_tshark: tshark ? round(rs.packets_per_s / tshark.packets_per_s, 2) : null,
      rstscope_vs_tshark_cpu: tshark?.cpu_s && rs.cpu_s ? round(tshark.cpu_s / rs.cpu_s, 2) : null,
      rstscope_vs_floor: round(rs.packets_per_s / floor.packets_per_s, 3),
      skeleton_vs_tshark: tshark ? round(rows.find((r) => r.tool === 'skeleton').packets_per_s / tshark.packets_per_s, 2) : null,
      skeleton_2t_vs_tshark: tshark ? round(rows.find((r) => r.tool === 'skeleton-2t').packets_per_s / tshark.packets_per_s, 2) : null,
      tshark_rss_vs_rstscope: tshark ? round(tshark.peak_rss_mb / rs.peak_rss_mb, 1) : null,
    },
  };
  if (o.check && o.tshark) {
    process.stderr.write('  checking RST frames and streams against tshark...\n');
    entry.check = await check(main5);
  }
  results.captures.push(entry);

  if (o.big) {
    const big = capture(o.bigPackets);
    warm(big.file);
    const bigRow = await bench('rstscope', big, 1);
    const allowance = Math.max(0, big.tuples - main5.tuples) * INDEX_BYTES_PER_TUPLE;
    const limit = rs.peak_rss_mb * 1e6 * 1.1 + allowance;
    results.captures.push({ file: big.file, packets: big.packets, bytes: big.bytes, tuples: big.tuples, tools: [bigRow] });
    results.memory_flat = {
      rss_5m_mb: rs.peak_rss_mb, rss_big_mb: bigRow.peak_rss_mb, ratio: round(bigRow.peak_rss_mb / rs.peak_rss_mb, 3),
      index_allowance_mb: round(allowance / 1e6, 1), limit_mb: round(limit / 1e6, 1), pass: bigRow.peak_rss_mb * 1e6 <= limit,
    };
  }

  results.targets = {
    [`throughput >= ${TARGET_RATIO}x tshark`]: entry.ratios.rstscope_vs_tshark === null ? null : entry.ratios.rstscope_vs_tshark >= TARGET_RATIO,
    [`aim ${AIM_RATIO}x tshark`]: entry.ratios.rstscope_vs_tshark === null ? null : entry.ratios.rstscope_vs_tshark >= AIM_RATIO,
    [`peak RSS <= ${TARGET_RSS_MB} MB (json)`]: rs.peak_rss_mb <= TARGET_RSS_MB,
    'memory flat (20M within 10% of 5M + index)': results.memory_flat?.pass ?? null,
  };
  writeFileSync(prevFile, JSON.stringify(results, null, 1) + '\n');

  const lines = [table(rows, main5)];
  if (entry.ratios.rstscope_vs_tshark !== null) {
    lines.push(`rstscope vs tshark: ${entry.ratios.rstscope_vs_tshark}x packets/s (CPU time: ${entry.ratios.rstscope_vs_tshark_cpu}x), ${entry.ratios.tshark_rss_vs_rstscope}x less memory`);
  }
  lines.push(`rstscope vs floor: ${(entry.ratios.rstscope_vs_floor * 100).toFixed(1)}% of the floor's packets/s`);
  if (entry.ratios.skeleton_vs_tshark !== null) {
    lines.push(`skeleton (read, decode, index, the document's records; no analysis) vs tshark: ${entry.ratios.skeleton_vs_tshark}x on one thread, ${entry.ratios.skeleton_2t_vs_tshark}x on two`);
  }
  if (entry.check) {
    const c = entry.check;
    lines.push(`check: tshark ${c.tshark_rsts} RSTs, rstscope ${c.rstscope_rsts}; same frame+stream ${c.same_frame_and_stream}, other stream ${c.other_stream}, missing ${c.missing}`);
  }
  if (results.memory_flat) {
    const m = results.memory_flat;
    const b = results.captures[1];
    lines.push(`memory: ${label(b.packets)} packets ${m.rss_big_mb} MB vs ${label(main5.packets)} ${m.rss_5m_mb} MB (x${m.ratio}; limit ${m.limit_mb} MB incl. ${m.index_allowance_mb} MB index) ${m.pass ? 'FLAT' : 'NOT FLAT'}; ${label(b.packets)} at ${b.tools[0].packets_per_s.toLocaleString('en')} packets/s`);
  }
  lines.push('targets: ' + Object.entries(results.targets).map(([k, v]) => `${k}: ${v === null ? 'not measured' : v ? 'yes' : 'NO'}`).join('; '));
  lines.push(`machine: ${results.machine.nproc} x ${results.machine.cpu}, node ${results.machine.node}, ${results.machine.tshark ?? 'no tshark'}, load ${results.machine.loadavg_at_start}`);
  lines.push(`written: bench/results.json`);
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exitCode = 1;
});
