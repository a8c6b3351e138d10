import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesOf, pcap, pcapng } from '../../test/build/capture-builders.js';
import { readCapture, newCaptureSummary, type CaptureSummary } from './read.js';
import { CaptureFormatError, createCaptureReader, openCaptureSource } from './source.js';

const dir = mkdtempSync(join(tmpdir(), 'rstscope-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(bytes: Uint8Array): string {
  const p = join(dir, `f${n++}.bin`); // no telling extension: detection is by content
  writeFileSync(p, bytes);
  return p;
}

const packets = Array.from({ length: 50 }, (_, i) => ({ sec: 1_600_000_000 + i, frac: i * 1000, data: bytesOf(100 + i, i) }));
const PCAP = pcap({}, packets);
const PCAPNG = pcapng({
  sections: [
    {
      interfaces: [{ linktype: 1, tsresol: 9 }],
      blocks: packets.map((p) => ({ kind: 'epb' as const, iface: 0, ticks: BigInt(p.sec) * 1_000_000_000n, data: p.data })),
    },
  ],
});

async function readAll(path: string, chunkSize?: number): Promise<{ recs: string[]; summary: CaptureSummary }> {
  const summary = newCaptureSummary();
  const recs: string[] = [];
  const opts = chunkSize === undefined ? { summary } : { summary, chunkSize };
  for await (const r of readCapture(path, opts)) {
    recs.push(`${r.frame} ${r.tsSec}.${r.tsNsec} ${r.data.length} ${r.data[0]} ${summary.precision}`);
  }
  return { recs, summary };
}

describe('readCapture / openCaptureSource', () => {
  it('reads pcap and pcapng files, identically in any chunk size', async () => {
    for (const bytes of [PCAP, PCAPNG]) {
      const whole = await readAll(file(bytes));
      expect(whole.recs).toHaveLength(50);
      expect(whole.summary.error).toBeUndefined();
      expect(whole.summary.warnings).toEqual([]);
      expect(whole.summary.bytes).toBe(bytes.length);
      expect((await readAll(file(bytes), 1)).recs).toEqual(whole.recs);
      expect((await readAll(file(bytes), 3)).recs).toEqual(whole.recs);
    }
  });

  it('gunzips by magic bytes, whatever the name', async () => {
    const plain = await readAll(file(PCAP));
    const gz = await readAll(file(gzipSync(PCAP)));
    expect(gz.recs).toEqual(plain.recs);
    expect(gz.summary.format).toBe('pcap');
    expect((await readAll(file(gzipSync(PCAPNG)), 1)).recs).toHaveLength(50);
    // Concatenated gzip members decode as one stream.
    const half = PCAP.length >> 1;
    const multi = Buffer.concat([gzipSync(PCAP.subarray(0, half)), gzipSync(PCAP.subarray(half))]);
    expect((await readAll(file(multi))).recs).toEqual(plain.recs);
  });

  it('reports a truncated gzip stream as a warning, keeping the frames before it', async () => {
    const gz = gzipSync(PCAP);
    const { recs, summary } = await readAll(file(gz.subarray(0, Math.floor(gz.length * 0.7))));
    expect(summary.error).toBeUndefined();
    expect(recs.length).toBeGreaterThan(10);
    expect(recs.length).toBeLessThan(50);
    expect(summary.warnings.map((w) => w.message).join('\n')).toMatch(/gzip stream cut short/);
  });

  it('reports a corrupt gzip stream as an error, never an uncaught exception', async () => {
    // Incompressible payloads so the damage sits well after the first decompressed chunks.
    let x = 1;
    const noise = (len: number): Uint8Array => Uint8Array.from({ length: len }, () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24);
    const big = pcap({}, Array.from({ length: 400 }, (_, i) => ({ sec: i, frac: 0, data: noise(1400) })));
    const gz = Buffer.from(gzipSync(big));
    const at = Math.floor(gz.length * 0.75);
    for (let i = at; i < at + 64; i++) gz[i] = 0xff;
    const { recs, summary } = await readAll(file(gz), 4096);
    expect(recs.length).toBeGreaterThan(250); // ~75% of 400, minus at most one inflated piece
    expect(recs.length).toBeLessThan(400);
    expect(summary.error?.message).toMatch(/gzip stream is corrupt/);
    expect(summary.error?.frame).toBe(recs.length);
  });

  it('reports a truncated last record as a warning', async () => {
    const { recs, summary } = await readAll(file(PCAP.subarray(0, PCAP.length - 1)), 1000);
    expect(recs).toHaveLength(49);
    expect(summary.error).toBeUndefined();
    expect(summary.warnings).toHaveLength(1);
    expect(summary.warnings[0]?.message).toMatch(/^capture cut short inside frame 50 \(byte offset \d+\): 164 of 165 bytes$/);
  });

  it('throws CaptureFormatError for garbage, tiny and empty input', async () => {
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('hello world, not a capture'), /not a pcap or pcapng capture \(magic 0x68656c6c\)/],
      [Uint8Array.from([0xa1, 0xb2]), /only 2 bytes/],
      [new Uint8Array(0), /empty input/],
      [gzipSync(Buffer.from('just text')), /magic 0x6a757374/],
      [gzipSync(gzipSync(PCAP)), /gzip inside gzip/],
      [Uint8Array.from([0x1f, 0x8b, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]), /gzip stream is corrupt/],
    ];
    for (const [bytes, msg] of cases) {
      const err = await readAll(file(bytes), 1).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(CaptureFormatError);
      expect((err as Error).message).toMatch(msg);
    }
  });

  it('createCaptureReader picks the reader by magic', () => {
    expect(createCaptureReader(PCAP.subarray(0, 4)).format).toBe('pcap');
    expect(createCaptureReader(PCAPNG.subarray(0, 4)).format).toBe('pcapng');
    expect(() => createCaptureReader(Uint8Array.from([0x12, 0x34, 0x56, 0x78]))).toThrow(
      'not a pcap or pcapng capture (magic 0x12345678)',
    );
  });

  it('streams in chunks no bigger than chunkSize', async () => {
    let max = 0;
    let total = 0;
    for await (const c of openCaptureSource(file(PCAP), { chunkSize: 256 })) {
      max = Math.max(max, c.length);
      total += c.length;
    }
    expect(max).toBeLessThanOrEqual(256);
    expect(total).toBe(PCAP.length);
  });

  it('stops cleanly when the consumer breaks early', async () => {
    let k = 0;
    for await (const _ of readCapture(file(gzipSync(PCAP)), { chunkSize: 64 })) if (++k === 3) break;
    expect(k).toBe(3);
  });
});
