// analyzeCapture: finished connections reach the output the same way whether their endpoint rows are
// copied out at the finish (a per-connection callback keeps them) or given back once their records are made.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OutputSink } from '../report/sink.js';
import { analyzeCapture } from './analyze-capture.js';

const LAB = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'lab');
const OPTS = { verifyChecksums: false, idleTimeout: 300 };

/** Every record the sink receives, as JSON lines. */
async function records(file: string, keep: boolean): Promise<string[]> {
  const out: string[] = [];
  const add = (kind: string) => (rec: unknown): void => void out.push(kind + JSON.stringify(rec));
  const sink: OutputSink = { connection: add('c'), reset: add('r'), finding: add('f'), capture: add('i'), end: () => undefined };
  await analyzeCapture(file, file, keep ? { ...OPTS, onConnection: () => undefined } : OPTS, sink);
  return out;
}

describe('endpoint rows given back after the records', () => {
  it('give the same records as rows copied out at the finish, on every lab capture', async () => {
    const files = readdirSync(LAB).filter((f) => f.endsWith('.pcap'));
    expect(files.length).toBeGreaterThan(80);
    for (const f of files) {
      const given = await records(join(LAB, f), false);
      expect(given.length).toBeGreaterThan(0);
      expect(given, f).toEqual(await records(join(LAB, f), true));
    }
  });
});
