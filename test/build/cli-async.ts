// Test helper: run the built CLI without blocking, a few at a time (suites that run it dozens of times).
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { CLI, ROOT } from '../helpers/cli.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const LIMIT = Math.max(2, Math.min(3, availableParallelism()));
let active = 0;
const waiting: Array<() => void> = [];

async function slot(): Promise<void> {
  if (active < LIMIT) {
    active++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else active--;
}

/** Runs `node dist/cli/main.js ...args` (stdin = `input` when given), at most LIMIT at once. */
export async function runAsync(args: string[], input?: Uint8Array): Promise<CliResult> {
  await slot();
  try {
    return await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (status) =>
        resolve({ status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
      );
      child.stdin.on('error', () => undefined); // the CLI may exit before reading all of stdin
      child.stdin.end(input ?? Buffer.alloc(0));
    });
  } finally {
    release();
  }
}
