// Zeek compatibility: conn_state and history scored by ../shared/peer/zeek/compare.py against Zeek's own baselines.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from './helpers/cli.js';

const COMPARE = resolve(ROOT, '../shared/peer/zeek/compare.py');
const python = spawnSync('python3', ['--version']).status === 0;

function run(cmd: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe.skipIf(!existsSync(COMPARE) || !python)('Zeek peer suite', () => {
  it('agrees on conn_state >= 0.97 and history >= 0.95', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'rstscope-zeek-')), 'report.json');
    // Asynchronous: compare.py runs 49 traces, and a blocked test worker would miss its heartbeats.
    const r = await run('python3', [COMPARE, '--cmd', `"${process.execPath}" "${CLI}" analyze {file} --format json`, '--report', report]);
    const out = r.stdout;
    expect(r.status, out + r.stderr).toBe(0);
    const last = out.trim().split('\n').at(-1)!;
    const m = /state ([\d.]+) \((\d+)\/(\d+)\), history ([\d.]+) \((\d+)\/(\d+)\)/.exec(last);
    expect(m, last).not.toBeNull();
    const state = Number(m![2]) / Number(m![3]);
    const history = Number(m![5]) / Number(m![6]);
    expect(state).toBeGreaterThanOrEqual(0.97);
    expect(history).toBeGreaterThanOrEqual(0.95);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toBeTruthy();
  });
});
