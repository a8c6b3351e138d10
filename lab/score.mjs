#!/usr/bin/env node
// Scores rstscope's verdicts against each label set on its own (never pooled): cause, phase, origin, false and
// missed `middlebox`, and a reliability table (confidence bins, RSTs, share right). Run `npm run build` first.
//   node lab/score.mjs [lab|lab2|why|external ...] [--json] [--misses]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist/cli/main.js');
const EXTERNAL = resolve(ROOT, '../shared/peer/external/captures');
const PEER = resolve(ROOT, '../shared/peer/zeek/traces');

/** Each set: where its captures are and its labels as {file: [{frame, sender, cause, phase?, effect?, ...}]}. */
const SETS = {
  lab: () => ({ dir: join(ROOT, 'test/fixtures/lab'), labels: readJson(join(ROOT, 'test/fixtures/lab/expected.json')) }),
  lab2: () => ({ dir: join(ROOT, 'test/fixtures/lab2'), labels: readJson(join(ROOT, 'test/fixtures/lab2/expected.json')) }),
  why: () => ({ dir: PEER, labels: readJson(join(ROOT, 'test/fixtures/why/expected.json')) }),
  external: () => {
    const judged = readJson(join(ROOT, 'test/fixtures/external/judged.json'));
    const labels = {};
    for (const [file, rows] of Object.entries(judged?.files ?? {})) {
      labels[file] = rows.map((r) => ({ ...r, sender: r.origin === 'middlebox' ? 'middlebox' : r.sender }));
    }
    return { dir: EXTERNAL, labels };
  },
};

function readJson(p) {
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
}

/** Scores one set; returns the figures and the per-RST rows. */
export function score(name) {
  const { dir, labels } = SETS[name]();
  const rows = [];
  if (!labels) return { name, missing: true, rows };
  for (const [file, want] of Object.entries(labels)) {
    const path = join(dir, file);
    if (!existsSync(path) || want.length === 0) continue;
    const r = spawnSync(process.execPath, [CLI, 'analyze', path, '--format', 'json'], { maxBuffer: 1 << 30 });
    if (r.status !== 0 && r.status !== 4) throw new Error(`${file}: exit ${r.status}: ${r.stderr}`);
    const doc = JSON.parse(r.stdout.toString());
    const byFrame = new Map(doc.resets.map((x) => [x.frame, x]));
    for (const w of want) {
      const got = byFrame.get(w.frame);
      rows.push({ file, want: w, got: got ?? null });
    }
  }
  return { name, rows, ...figures(rows) };
}

function figures(rows) {
  const found = rows.filter((r) => r.got);
  const withCause = found.filter((r) => r.want.cause);
  const causeRight = withCause.filter((r) => r.got.cause === r.want.cause);
  const withPhase = found.filter((r) => r.want.phase);
  const phaseRight = withPhase.filter((r) => r.got.phase === r.want.phase);
  // Forgers that copy everything a capture point sees are undecidable from one point: counted apart.
  const undecidable = found.filter((r) => r.want.undecidable);
  const decided = found.filter((r) => r.want.origin !== 'unclear' && !r.want.undecidable);
  const decidedCause = withCause.filter((r) => !r.want.undecidable);
  const isMb = (r) => r.want.sender === 'middlebox';
  const originRight = decided.filter((r) => (r.got.origin === 'middlebox') === isMb(r));
  const falseMiddlebox = decided.filter((r) => !isMb(r) && r.got.origin === 'middlebox');
  const missedMiddlebox = decided.filter((r) => isMb(r) && r.got.origin !== 'middlebox');
  const effect = found.filter((r) => r.want.effect);
  const effectRight = effect.filter((r) => r.got.effect === r.want.effect);
  return {
    rsts: rows.length, found: found.length,
    cause: [causeRight.length, withCause.length], causeDecidable: [decidedCause.filter((r) => r.got.cause === r.want.cause).length, decidedCause.length],
    undecidable: [undecidable.filter((r) => r.got.origin === 'middlebox').length, undecidable.length], phase: [phaseRight.length, withPhase.length],
    origin: [originRight.length, decided.length], effect: [effectRight.length, effect.length],
    falseMiddlebox: falseMiddlebox.map(at), missedMiddlebox: missedMiddlebox.map(at),
    reliability: reliability(withCause),
  };
}

function at(r) {
  return `${r.file} #${r.want.frame}`;
}

/** Confidence bins of 0.1 (the top bin holds 0.9 to 1.0): RSTs, mean confidence and share with the right cause. */
export function reliability(rows) {
  const bins = [];
  for (let i = 0; i < 10; i++) bins.push({ lo: i / 10, hi: (i + 1) / 10, n: 0, sum: 0, right: 0 });
  for (const r of rows) {
    const c = r.got.confidence;
    const b = bins[Math.min(9, Math.floor(c * 10 + 1e-9))];
    b.n++;
    b.sum += c;
    if (r.got.cause === r.want.cause) b.right++;
  }
  return bins.filter((b) => b.n > 0).map((b) => ({ bin: `${b.lo.toFixed(1)}-${b.hi.toFixed(1)}`, rsts: b.n, mean: round(b.sum / b.n), right: round(b.right / b.n) }));
}

function round(x) {
  return Math.round(x * 100) / 100;
}

function pct([a, b]) {
  return b === 0 ? '-' : `${a}/${b} (${((a / b) * 100).toFixed(1)}%)`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith('--'));
  const out = [];
  for (const name of names.length ? names : Object.keys(SETS)) {
    const s = score(name);
    if (s.missing) continue;
    out.push(s);
    if (args.includes('--json')) continue;
    console.log(`## ${name}: ${s.rsts} labelled RSTs, ${s.found} reported`);
    console.log(`cause ${pct(s.cause)}  phase ${pct(s.phase)}  origin ${pct(s.origin)}  effect ${pct(s.effect)}`);
    if (s.undecidable[1] > 0) console.log(`undecidable forgeries (copy TTL, IP ID, DF, window): ${s.undecidable[1]}, called middlebox ${s.undecidable[0]}; cause without them ${pct(s.causeDecidable)}; origin above leaves them out`);
    console.log(`false middlebox: ${s.falseMiddlebox.length} ${s.falseMiddlebox.slice(0, 20).join(', ')}`);
    console.log(`missed middlebox: ${s.missedMiddlebox.length} ${s.missedMiddlebox.slice(0, 20).join(', ')}`);
    console.log('confidence | RSTs | mean | right');
    for (const b of s.reliability) console.log(`${b.bin} | ${b.rsts} | ${b.mean} | ${b.right}`);
    if (args.includes('--misses')) {
      for (const r of s.rows) {
        if (!r.got) console.log(`  MISSING ${r.file} #${r.want.frame}`);
        else if (r.want.cause && r.got.cause !== r.want.cause) console.log(`  ${r.file} #${r.want.frame}: want ${r.want.cause}/${r.want.sender} got ${r.got.cause}/${r.got.origin} ${r.got.confidence}`);
      }
    }
    console.log('');
  }
  if (args.includes('--json')) console.log(JSON.stringify(out.map(({ rows, ...rest }) => rest), null, 1));
}
