// Runs the built CLI (dist/) the way a user does, and finds test captures.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(ROOT, 'dist/cli/main.js');
export const PEER_TRACES = resolve(ROOT, '../shared/peer/zeek/traces');
/** Public captures from other projects (see its SOURCES.md); read in place, never copied into the repository. */
export const EXTERNAL_CAPTURES = resolve(ROOT, '../shared/peer/external/captures');
export const LAB_FIXTURES = join(ROOT, 'test/fixtures/lab');

export function run(args: string[], input?: Buffer): SpawnSyncReturns<Buffer> {
  return spawnSync(process.execPath, [CLI, ...args], { input, maxBuffer: 1 << 30, cwd: ROOT });
}

/** Runs `analyze --format json` and parses the document; throws with stderr on failure. */
export function analyzeJson(file: string, extra: string[] = []): AnalyzeDoc {
  const r = run(['analyze', file, '--format', 'json', ...extra]);
  if (r.status !== 0) throw new Error(`rstscope exited ${r.status}: ${r.stderr.toString()}`);
  return JSON.parse(r.stdout.toString()) as AnalyzeDoc;
}

export interface AnalyzeDoc {
  captures: Array<Record<string, unknown> & { file: string; packets: number }>;
  connections: Array<Record<string, unknown> & { id: number; stream: number | null; first_frame: number; community_id: string }>;
  resets: Array<Record<string, unknown> & { frame: number; stream: number | null; phase: string; sender: string }>;
  findings: unknown[];
  summary: Record<string, unknown>;
}

export function hasTshark(): boolean {
  return spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;
}

/** Capture files in a folder (pcap, pcapng, gz), sorted; [] when the folder is missing. */
export function capturesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Every capture the suites run over: the lab fixtures, the sample and the peer traces. */
export function allCaptures(): string[] {
  return [...capturesIn(LAB_FIXTURES), ...capturesIn(join(ROOT, 'test/fixtures')), ...capturesIn(PEER_TRACES)];
}
