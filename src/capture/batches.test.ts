import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesOf, pcap, pcapng } from '../../test/build/capture-builders.js';
import { newCaptureSummary, readCapture, readCaptureBatches } from './read.js';

const dir = mkdtempSync(join(tmpdir(), 'rstscope-batches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(bytes: Uint8Array): string {
  const p = join(dir, `f${n++}.bin`);
  writeFileSync(p, bytes);
  return p;
}

const packets = Array.from({ length: 300 }, (_, i) => ({ sec: 1_600_000_000 + i, frac: i * 1000, data: bytesOf(60 + (i % 90), i) }));
const PCAP = pcap({}, packets);
const PCAPNG = pcapng({
  sections: [
    {
      interfaces: [{ linktype: 1, tsresol: 9 }, { linktype: 101, tsresol: 3 }],
      blocks: packets.map((p, i) => ({ kind: 'epb' as const, iface: i % 2, ticks: BigInt(p.sec) * 1_000_000_000n, data: p.data })),
    },
  ],
});

const line = (r: { frame: number; tsSec: number; tsNsec: number; linktype: number; data: Uint8Array }, prec: number) =>
  `${r.frame} ${r.tsSec}.${r.tsNsec} ${r.linktype} ${prec} ${Buffer.from(r.data).toString('hex')}`;

async function viaRecords(path: string, chunkSize?: number) {
  const summary = newCaptureSummary();
  const recs: string[] = [];
  for await (const r of readCapture(path, chunkSize ? { summary, chunkSize } : { summary })) recs.push(line(r, summary.precision));
  return { recs, summary };
}

async function viaBatches(path: string, chunkSize?: number) {
  const summary = newCaptureSummary();
  const recs: string[] = [];
  let disagree = 0;
  for await (const b of readCaptureBatches(path, chunkSize ? { summary, chunkSize } : { summary })) {
    for (let r = b.next(); r !== undefined; r = b.next()) {
      // The zero-copy fields and the lazily made view agree.
      if (r.data.byteOffset !== r.buf.byteOffset + r.off || r.data.length !== r.len || r.data.buffer !== r.buf.buffer) disagree++;
      recs.push(line(r, r.precision));
    }
  }
  expect(disagree).toBe(0);
  return { recs, summary };
}

describe('readCaptureBatches', () => {
  it('yields exactly what readCapture yields, in any chunk size, plain or gzipped', async () => {
    for (const bytes of [PCAP, PCAPNG, gzipSync(PCAP), gzipSync(PCAPNG)]) {
      const path = file(bytes);
      const want = await viaRecords(path);
      expect(want.recs).toHaveLength(300);
      for (const size of [undefined, 1, 7, 256, 70_000]) {
        const got = await viaBatches(path, size);
        expect(got.recs).toEqual(want.recs);
        expect(got.summary).toEqual(want.summary);
      }
    }
  });

  it('reports a cut-short tail and damage like readCapture', async () => {
    const cut = PCAP.subarray(0, PCAP.length - 10);
    const damaged = Uint8Array.from(PCAP);
    damaged.set([0xff, 0xff, 0xff, 0x7f], 24 + 16 * 3 + 60 + 61 + 62 + 8); // caplen of frame 4
    for (const bytes of [cut, damaged]) {
      const path = file(bytes);
      const want = await viaRecords(path, 100);
      const got = await viaBatches(path, 100);
      expect(got.recs).toEqual(want.recs);
      expect(got.summary).toEqual(want.summary);
      expect(want.summary.warnings.length + (want.summary.error ? 1 : 0)).toBe(1);
    }
  });

  it('keeps records valid across a large file read with reused buffers', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => ({ sec: 1_600_000_000 + i, frac: 0, data: bytesOf(64 + (i % 64), i) }));
    const path = file(pcap({}, many));
    const want = await viaRecords(path);
    const got = await viaBatches(path, 64 * 1024);
    expect(got.recs).toEqual(want.recs);
  });
});
