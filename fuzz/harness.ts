// Fuzz harness shared by test/fuzz.test.ts and fuzz/run.ts: runs inputs through the in-process pipeline
// (in worker threads, so a hang can be cut off) and through the CLI (child processes), and classifies
// each outcome against the hardening properties of docs/hardening.md.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The project root: this file is <root>/fuzz/harness.ts, or <root>/fuzz/.build/fuzz/harness.js once compiled. */
export const ROOT = resolve(HERE, HERE.includes('/.build/') ? '../../..' : '..');
export const CLI = join(ROOT, 'dist/cli/main.js');
const WORKER = join(ROOT, 'fuzz/worker.js');

/** The time an input may take: 2 s plus 1 s per MB. */
export function budgetMs(bytes: number): number {
  return 2000 + (1000 * bytes) / 1e6;
}

/** Heap cap of a fuzz worker: a reader or tracker that grows without bound hits it (an 'oom' outcome). */
export const WORKER_HEAP_MB = 512;

export type Outcome = 'ok' | 'damaged' | 'unreadable' | 'crash' | 'hang' | 'oom' | 'property';

export interface PipelineResult {
  outcome: Outcome;
  ms: number;
  packets?: number;
  error?: string | null;
  warnings?: string[];
  /** Broken properties (bad damage report, control bytes in text, unparsable JSON, ...). */
  problems: string[];
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
}

/** A few worker threads running fuzz/worker.js over files; each job has a watchdog. */
export class PipelinePool {
  private readonly idle: Slot[] = [];
  private readonly waiting: Array<(s: Slot) => void> = [];
  private readonly all = new Set<Slot>();

  constructor(readonly size = 2) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    const ready = new Promise<void>((res, rej) => {
      worker.once('message', () => res());
      worker.once('error', rej);
    });
    const slot = { worker, ready };
    this.all.add(slot);
    return slot;
  }

  private async take(): Promise<Slot> {
    const s = this.idle.pop();
    if (s) return s;
    return new Promise((res) => this.waiting.push(res));
  }

  private give(s: Slot): void {
    const w = this.waiting.shift();
    if (w) w(s);
    else this.idle.push(s);
  }

  /** Runs one file; a job past `limitMs` terminates its worker (outcome 'hang'). */
  async run(path: string, bytes: number, opts: { chunkSize?: number; verifyChecksums?: boolean } = {}, limitMs = budgetMs(bytes)): Promise<PipelineResult> {
    let slot = await this.take();
    await slot.ready;
    const t0 = performance.now();
    const result = await new Promise<PipelineResult>((res) => {
      const w = slot.worker;
      const done = (r: PipelineResult): void => {
        clearTimeout(timer);
        w.off('message', onMsg);
        w.off('error', onErr);
        w.off('exit', onExit);
        res(r);
      };
      const onMsg = (m: PipelineResult): void => done({ ...m, problems: m.problems ?? [] });
      const onErr = (e: Error & { code?: string }): void =>
        done({ outcome: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'oom' : 'crash', ms: performance.now() - t0, error: String(e), problems: [] });
      const onExit = (): void => done({ outcome: 'crash', ms: performance.now() - t0, error: 'worker exited', problems: [] });
      const timer = setTimeout(() => {
        done({ outcome: 'hang', ms: performance.now() - t0, error: `no answer after ${Math.round(limitMs)} ms`, problems: [] });
      }, limitMs);
      w.on('message', onMsg);
      w.on('error', onErr);
      w.on('exit', onExit);
      w.postMessage({ path, ...opts });
    });
    if (result.outcome === 'hang' || result.outcome === 'oom' || (result.outcome === 'crash' && result.error === 'worker exited')) {
      this.all.delete(slot);
      void slot.worker.terminate();
      slot = this.spawn();
    } else if (result.outcome !== 'crash' && result.problems.length > 0) {
      result.outcome = 'property';
    }
    if (result.outcome === 'ok' || result.outcome === 'damaged') {
      if (result.ms > limitMs) result.outcome = 'hang';
    }
    this.give(slot);
    return result;
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((s) => s.worker.terminate()));
    this.all.clear();
  }
}

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/** Runs `node dist/cli/main.js ...args`, killing it after `limitMs`. */
/** Runs the CLI; `keepStdout` false sends its stdout to /dev/null (a flood's JSON can pass V8's string limit). */
export function runCli(args: string[], limitMs: number, env: NodeJS.ProcessEnv = process.env, keepStdout = true): Promise<CliResult> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'], env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', rej);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      res({ status, signal, stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString(), ms: performance.now() - t0, timedOut });
    });
  });
}

/**
 * What is wrong with a CLI run of `analyze F --format json` on a mutant, or [] when nothing is:
 * exit 0, 3 or 4 (never 70, never a signal); valid JSON on stdout for 0 and 4; every stderr line a single
 * `rstscope: ` line without a stack trace; exactly one line for 3 and exactly one "damaged" line for 4.
 */
export function cliViolations(r: CliResult, limitMs: number): string[] {
  const v: string[] = [];
  if (r.timedOut || r.ms > limitMs) v.push(`hang: ${Math.round(r.ms)} ms > ${Math.round(limitMs)} ms`);
  if (r.status !== 0 && r.status !== 3 && r.status !== 4) v.push(`exit status ${r.status} signal ${r.signal}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  if (/^\s+at /m.test(r.stderr) || /internal error/.test(r.stderr)) v.push(`stack trace or internal error on stderr`);
  for (const l of lines) if (!l.startsWith('rstscope: ')) v.push(`stderr line without the rstscope: prefix: ${JSON.stringify(l.slice(0, 200))}`);
  if (r.status === 3 && lines.length !== 1) v.push(`exit 3 with ${lines.length} stderr lines`);
  if (r.status === 4 && lines.filter((l) => l.includes('damaged capture')).length !== 1) v.push('exit 4 without exactly one "damaged capture" line');
  if (r.status === 0 || r.status === 4) {
    try {
      JSON.parse(r.stdout);
    } catch (e) {
      v.push(`stdout is not JSON: ${String(e).slice(0, 200)}`);
    }
  }
  return v;
}

/** A scratch directory for mutants. */
export function scratchDir(name: string): string {
  const d = join(tmpdir(), `rstscope-${name}-${process.pid}`);
  mkdirSync(d, { recursive: true });
  return d;
}

/** Keeps a failing input and says how to reproduce it. */
export function keepFailure(dir: string, label: string, bytes: Uint8Array, note: string): string {
  mkdirSync(dir, { recursive: true });
  const safe = label.replace(/[^A-Za-z0-9._-]+/g, '_');
  const file = join(dir, `${safe}.pcap`);
  writeFileSync(file, bytes);
  writeFileSync(`${file}.txt`, note + '\n');
  return file;
}
