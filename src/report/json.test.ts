// The JSON document's RST array: spooled to a temporary file (the CLI's spool) past a size, byte-identical to
// keeping it in memory.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResetRecord, Summary } from './contract.js';
import { TempFileSpool } from '../cli/spool.js';
import { JsonSink, type JsonSinkOptions } from './json.js';

const tmp = mkdtempSync(join(tmpdir(), 'rstscope-json-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SUMMARY = { packets: 0, connections: 0, resets: 0 } as unknown as Summary;

/** A RST record whose evidence holds multi-byte UTF-8 (so chunk boundaries can split a character). */
function reset(i: number): ResetRecord {
  return { file: 'x.pcap', frame: i, cause: 'port-closed', evidence: [`ligne ${i}: réponse «${'é'.repeat(i % 7)}» → 😀`] } as unknown as ResetRecord;
}

/** The document as text; `bytes`: spooled RSTs come back as bytes (the CLI's way) instead of decoded text. */
async function document(n: number, opts: JsonSinkOptions, bytes = false): Promise<string> {
  const parts: Buffer[] = [];
  const write = (s: string): number => parts.push(Buffer.from(s));
  const writeBytes = bytes ? (b: Uint8Array): number => parts.push(Buffer.from(b)) : undefined;
  const sink = new JsonSink(write, { spool: () => new TempFileSpool(tmp), ...opts, writeBytes, drain: async () => undefined });
  for (let i = 1; i <= n; i++) sink.reset(reset(i));
  await sink.end(SUMMARY);
  return Buffer.concat(parts).toString('utf8');
}

describe('JsonSink RST spool', () => {
  it('writes the same document when RSTs go through the spool, as text or bytes, in any chunk size', async () => {
    const inMemory = await document(500, { spool: undefined });
    expect(JSON.parse(inMemory).resets).toHaveLength(500);
    for (const chunk of [5, 7, 64, 4096]) {
      expect(await document(500, { spoolAt: 1, spoolChunk: chunk })).toBe(inMemory);
      expect(await document(500, { spoolAt: 1, spoolChunk: chunk }, true)).toBe(inMemory);
    }
  });

  it('removes the spool directory at the end', async () => {
    await document(50, { spoolAt: 1, spoolChunk: 16 });
    expect(readdirSync(tmp).filter((d) => d.startsWith('rstscope-'))).toEqual([]);
    expect(existsSync(tmp)).toBe(true);
  });

  it('keeps an empty RST array valid', async () => {
    expect(JSON.parse(await document(0, { spoolAt: 1 })).resets).toEqual([]);
  });
});
