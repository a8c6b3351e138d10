// Capture artifacts that must not fool the analysis: packets captured twice (two interfaces, a SPAN of
// both directions) and one-sided captures (asymmetric routing, half-duplex SPAN).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeJson, LAB_FIXTURES } from './helpers/cli.js';

/** Rewrites a little-endian microsecond pcap, mapping each record to zero or more records. */
function rewrite(file: string, map: (rec: Buffer, src: string) => Buffer[]): string {
  const d = readFileSync(file);
  const out: Buffer[] = [d.subarray(0, 24)];
  let off = 24;
  while (off + 16 <= d.length) {
    const cl = d.readUInt32LE(off + 8);
    const rec = d.subarray(off, off + 16 + cl);
    const ipOff = 16 + 14;
    const src = `${rec[ipOff + 12]}.${rec[ipOff + 13]}.${rec[ipOff + 14]}.${rec[ipOff + 15]}`;
    out.push(...map(Buffer.from(rec), src));
    off += 16 + cl;
  }
  const path = join(mkdtempSync(join(tmpdir(), 'rstscope-art-')), 'x.pcap');
  writeFileSync(path, Buffer.concat(out));
  return path;
}

/** The same record 50 µs later (a second interface saw it too). */
function later(rec: Buffer): Buffer {
  const copy = Buffer.from(rec);
  let us = copy.readUInt32LE(4) + 50;
  let s = copy.readUInt32LE(0);
  if (us >= 1_000_000) {
    us -= 1_000_000;
    s++;
  }
  copy.writeUInt32LE(s, 0);
  copy.writeUInt32LE(us, 4);
  return copy;
}

describe('duplicated packets', () => {
  const original = join(LAB_FIXTURES, 'abort-inflight.client.pcap');
  const doubled = rewrite(original, (rec) => [rec, later(rec)]);
  const a = analyzeJson(original);
  const b = analyzeJson(doubled);

  it('never count as a second RST: same causes, duplicates marked, same summary', () => {
    const firsts = b.resets.filter((r) => r.duplicate_of === null);
    expect(firsts.map((r) => r.cause)).toEqual(a.resets.map((r) => r.cause));
    const dups = b.resets.filter((r) => r.duplicate_of !== null);
    expect(dups.length).toBe(a.resets.length);
    for (const r of dups) expect((r.evidence as string[])[0]).toMatch(/is a copy of frame \d+/);
    expect((b.summary as { resets: number }).resets).toBe((a.summary as { resets: number }).resets);
  });

  it('never count as retransmissions', () => {
    const rtx = (doc: typeof a): number =>
      doc.connections.reduce((n, c) => n + (c.client_stats as { retransmissions: number }).retransmissions + (c.server_stats as { retransmissions: number }).retransmissions, 0);
    expect(rtx(b)).toBe(rtx(a));
  });
});

describe('one-sided captures', () => {
  const original = join(LAB_FIXTURES, 'abort-linger0.client.pcap');
  const clientOnly = rewrite(original, (rec, src) => (src === '10.99.1.2' ? [rec] : []));
  const doc = analyzeJson(clientOnly);

  it('flag the connection, say what could not be checked, and lower the confidence', () => {
    expect(doc.connections.every((c) => c.one_sided === true)).toBe(true);
    const full = analyzeJson(original);
    for (const r of doc.resets) {
      expect((r.evidence as string[]).join('\n')).toMatch(/one-sided capture: .*could not be checked/);
      const same = full.resets.find((x) => x.frame > 0 && x.sender === r.sender && x.cause === r.cause);
      if (same) expect(Number(r.confidence)).toBeLessThan(Number(same.confidence));
    }
  });
});
