// The long fuzz run: `npm run fuzz [-- options]` (docs/hardening.md).
//   --seconds N      run the mutation fuzzer for N seconds (default 300)
//   --inputs N       ... or stop after N inputs
//   --seed N         first seed (default: time-based; printed, so a run can be repeated)
//   --cli-every N    also run every Nth input through the CLI (default 10)
//   --jobs N         worker threads (default: CPUs, at least 2)
//   --hostile        also measure the floods: SYN flood (1M sources, peak RSS), RST storm, linearity
//   --hostile-only   only the flood measurements
// Reports inputs tried, outcomes, crashes, hangs; crashing and hanging inputs go to fuzz/crashes/ (gitignored).
import { readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { budgetMs, cliViolations, keepFailure, PipelinePool, ROOT, runCli, scratchDir, type Outcome } from './harness.js';
import { mutate, prng } from './mutate.js';
import { writeMixedTraffic, writeRstStorm, writeSynFlood } from '../test/build/hostile.js';

const { values: o } = parseArgs({
  options: {
    seconds: { type: 'string', default: '300' },
    inputs: { type: 'string' },
    seed: { type: 'string' },
    'cli-every': { type: 'string', default: '10' },
    jobs: { type: 'string' },
    hostile: { type: 'boolean', default: false },
    'hostile-only': { type: 'boolean', default: false },
  },
});

const CRASHES = join(ROOT, 'fuzz/crashes');
const seed = Number(o.seed ?? Date.now() % 2 ** 31) >>> 0;
const seconds = Number(o.seconds);
const maxInputs = o.inputs === undefined ? Infinity : Number(o.inputs);
const cliEvery = Math.max(1, Number(o['cli-every']));
const jobs = Math.max(2, Number(o.jobs ?? availableParallelism()));

function captures(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(f)).sort().map((f) => join(dir, f));
}

async function fuzz(): Promise<boolean> {
  const files = [...captures(join(ROOT, 'test/fixtures/lab')), ...captures(join(ROOT, 'test/fixtures')), ...captures(join(ROOT, '../shared/peer/zeek/traces'))];
  const corpus = files.map((f) => ({ file: f, bytes: new Uint8Array(readFileSync(f)) }));
  const donors = corpus.filter((c) => c.bytes.length < 300_000).map((c) => c.bytes);
  // Small files are cheap: pick them more often, but every file gets its turn.
  const weights = corpus.map((c) => 1 / Math.sqrt(Math.max(1, c.bytes.length / 10_000)));
  const total = weights.reduce((a, b) => a + b, 0);
  const pickFile = (r: number): (typeof corpus)[number] => {
    let x = r * total;
    for (let i = 0; i < corpus.length; i++) if ((x -= weights[i]!) <= 0) return corpus[i]!;
    return corpus[corpus.length - 1]!;
  };
  console.log(`fuzz: seed ${seed}, ${corpus.length} corpus files, ${jobs} workers, ${Number.isFinite(maxInputs) ? `${maxInputs} inputs` : `${seconds} s`}, CLI every ${cliEvery}`);

  const scratch = scratchDir('fuzz-run');
  const pool = new PipelinePool(jobs);
  const outcomes: Partial<Record<Outcome, number>> = {};
  const cli = { runs: 0, violations: 0, statuses: {} as Record<string, number> };
  let inputs = 0;
  let bytes = 0;
  let worstMsPerBudget = 0;
  const kept: string[] = [];
  const deadline = performance.now() + seconds * 1000;
  let next = 0;

  const lane = async (): Promise<void> => {
    while (performance.now() < deadline && next < maxInputs) {
      const i = next++;
      const rnd = prng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
      const src = pickFile(rnd());
      const m = mutate(src.bytes, rnd, donors, 1 + Math.floor(rnd() * 6));
      // Tiny read sizes cost a read() call each (about 20 µs): only small inputs get them.
      const tiny = m.bytes.length < 64 * 1024 ? 1 + Math.floor(rnd() * 300) : 4096;
      const chunk = [1 << 20, 65536, 4096, tiny][Math.floor(rnd() * 4)]!;
      const path = join(scratch, `in${i}`);
      writeFileSync(path, m.bytes);
      const limit = budgetMs(m.bytes.length) * (chunk < 512 ? 2 : 1);
      const r = await pool.run(path, m.bytes.length, { chunkSize: chunk, verifyChecksums: rnd() < 0.3 }, limit);
      inputs++;
      bytes += m.bytes.length;
      outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      worstMsPerBudget = Math.max(worstMsPerBudget, r.ms / limit);
      const note = `seed ${seed} input ${i} from ${src.file}\nops ${m.ops.join('; ')}\nchunk ${chunk}\n`;
      if (!['ok', 'damaged', 'unreadable'].includes(r.outcome)) {
        const f = keepFailure(CRASHES, `${r.outcome}-seed${seed}-${i}`, m.bytes, `${note}${r.outcome} after ${Math.round(r.ms)} ms: ${r.error ?? ''}\n${r.problems.join('\n')}`);
        kept.push(f);
        console.log(`  ${r.outcome}: ${f}`);
      }
      if (i % cliEvery === 0) {
        const climit = budgetMs(m.bytes.length) + 1000;
        const c = await runCli(['analyze', path, '--format', 'json'], climit * 3);
        cli.runs++;
        cli.statuses[String(c.status)] = (cli.statuses[String(c.status)] ?? 0) + 1;
        const v = cliViolations(c, climit);
        if (v.length) {
          cli.violations++;
          const f = keepFailure(CRASHES, `cli-seed${seed}-${i}`, m.bytes, `${note}${v.join('\n')}\nstderr:\n${c.stderr}`);
          kept.push(f);
          console.log(`  CLI: ${v.join('; ')}: ${f}`);
        }
      }
      rmSync(path, { force: true });
      if (inputs % 1000 === 0) console.log(`  ${inputs} inputs, ${JSON.stringify(outcomes)}`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, lane));
  await pool.close();
  rmSync(scratch, { recursive: true, force: true });

  const crashes = (outcomes.crash ?? 0) + (outcomes.oom ?? 0) + (outcomes.property ?? 0);
  const hangs = outcomes.hang ?? 0;
  console.log(`\nfuzz summary (seed ${seed})`);
  console.log(`  inputs tried:      ${inputs} (${(bytes / 1e6).toFixed(1)} MB)`);
  console.log(`  outcomes:          ${JSON.stringify(outcomes)}`);
  console.log(`  crashes:           ${crashes} (uncaught errors, out of memory, broken properties)`);
  console.log(`  hangs:             ${hangs} (over 2 s + 1 s/MB)`);
  console.log(`  slowest input:     ${(worstMsPerBudget * 100).toFixed(1)}% of its time budget`);
  console.log(`  CLI runs:          ${cli.runs}, exit statuses ${JSON.stringify(cli.statuses)}, violations ${cli.violations}`);
  if (kept.length) console.log(`  kept inputs:       ${kept.length} in ${CRASHES}`);
  return crashes + hangs + cli.violations === 0;
}

/** Runs the CLI under the RSS probe; returns wall time (s), peak RSS (MiB), exit status and stderr. */
async function measure(file: string, format = 'text'): Promise<{ s: number; rssMiB: number; status: number | null; stderr: string }> {
  const rssFile = join(scratchDir('fuzz-rss'), `rss-${process.hrtime.bigint()}`);
  const env = { ...process.env, RSTSCOPE_RSS_FILE: rssFile, NODE_OPTIONS: `--import ${join(ROOT, 'fuzz/rss-probe.mjs')}` };
  const r = await runCli(['analyze', file, '--format', format], 30 * 60_000, env, false);
  const rssKiB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN;
  rmSync(rssFile, { force: true });
  return { s: r.ms / 1000, rssMiB: rssKiB / 1024, status: r.status, stderr: r.stderr };
}

async function bestOf(n: number, file: string): Promise<number> {
  let best = Infinity;
  for (let k = 0; k < n; k++) best = Math.min(best, (await measure(file)).s);
  return best;
}

async function hostile(): Promise<void> {
  const dir = scratchDir('fuzz-hostile');
  const line = (s: string): void => console.log(`  ${s}`);
  console.log('\nhostile traffic');
  const flood = join(dir, 'syn-flood-1m.pcap');
  const f = writeSynFlood(flood, 1_000_000);
  const m = await measure(flood);
  const warned = /connection table full: \d+ connections/.test(m.stderr);
  line(`SYN flood, 1,000,000 spoofed sources (${(f.bytes / 1e6).toFixed(0)} MB): exit ${m.status}, ${m.s.toFixed(1)} s, peak RSS ${m.rssMiB.toFixed(0)} MiB, eviction warning ${warned ? 'yes' : 'NO'}`);
  const mj = await measure(flood, 'json');
  line(`  same, --format json: exit ${mj.status}, ${mj.s.toFixed(1)} s, peak RSS ${mj.rssMiB.toFixed(0)} MiB${mj.status === 0 ? '' : `: ${mj.stderr.trim().split('\n').at(-1)}`}`);
  rmSync(flood, { force: true });

  const small = join(dir, 'mixed-200k.pcap');
  const large = join(dir, 'mixed-800k.pcap');
  writeMixedTraffic(small, 200_000, 1000); // 1,000 packets/s, as in test/hostile.test.ts
  writeMixedTraffic(large, 800_000, 1000);
  const empty = join(dir, 'empty.pcap');
  writeMixedTraffic(empty, 0);
  const start = await bestOf(3, empty);
  const ts = await bestOf(3, small);
  const tl = await bestOf(3, large);
  line(`linearity, mixed traffic: 200k packets ${ts.toFixed(2)} s, 800k packets ${tl.toFixed(2)} s (best of 3): ratio ${(tl / ts).toFixed(2)}, ${((tl - start) / (ts - start)).toFixed(2)} without the ${start.toFixed(2)} s start-up (limit 4.5)`);

  const storm1 = join(dir, 'rst-2500.pcap');
  const storm4 = join(dir, 'rst-10000.pcap');
  writeRstStorm(storm1, 2_500);
  writeRstStorm(storm4, 10_000);
  const r1 = await bestOf(2, storm1);
  const r4 = await bestOf(2, storm4);
  line(`linearity, RST storm on one connection: 2,500 RSTs ${r1.toFixed(2)} s, 10,000 RSTs ${r4.toFixed(2)} s: ratio ${(r4 / r1).toFixed(2)}, ${((r4 - start) / (r1 - start)).toFixed(2)} without start-up (limit 4.5)`);
  rmSync(dir, { recursive: true, force: true });
}

let ok = true;
if (!o['hostile-only']) ok = await fuzz();
if (o.hostile || o['hostile-only']) await hostile();
process.exitCode = ok ? 0 : 1;
