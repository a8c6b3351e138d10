import { describe, expect, it } from 'vitest';
import { MAX_INTERVALS, SeqRanges } from './ranges.js';

function ranges(...segs: Array<[number, number]>): SeqRanges {
  const r = new SeqRanges();
  for (const [seq, len] of segs) r.add(seq >>> 0, len);
  return r;
}

describe('SeqRanges', () => {
  it('merges in-order, overlapping, adjacent and out-of-order segments', () => {
    const r = ranges([1000, 100], [1100, 100], [1050, 20], [1400, 100], [1200, 200], [900, 50]);
    expect(r.iv).toEqual([-100, -50, 0, 500]);
    expect(r.size).toBe(550);
  });

  it('compares byte ranges whatever the segmentation (TSO super-segment against MSS pieces)', () => {
    const sender = ranges([5000, 2896], [7896, 1448]);
    const wire = ranges([5000, 1448], [6448, 1448], [7896, 1448]);
    expect(sender.missingFrom(wire, 8)).toEqual({ ranges: [], bytes: 0 });
    expect(wire.missingFrom(sender, 8)).toEqual({ ranges: [], bytes: 0 });
  });

  it('reports what the other side never saw, last ranges first, with absolute sequence numbers', () => {
    const a = ranges([100, 100], [200, 100], [300, 100], [400, 100]);
    const b = ranges([100, 100], [300, 50]);
    expect(b.base).toBe(100);
    expect(a.missingFrom(b, 8)).toEqual({
      ranges: [{ seq: 350, end: 500, bytes: 150 }, { seq: 200, end: 300, bytes: 100 }], bytes: 250,
    });
    expect(a.missingFrom(b, 1).ranges).toHaveLength(1);
    expect(a.missingFrom(new SeqRanges(), 8).bytes).toBe(400);
  });

  it('handles sequence wrap-around and a later start at the other point', () => {
    const a = ranges([0xffffff00, 0x100], [0, 0x100], [0x100, 0x100]);
    const b = ranges([0, 0x100], [0x100, 0x80]);
    expect(a.size).toBe(0x300);
    expect(a.missingFrom(b, 8)).toEqual({
      ranges: [{ seq: 0x180, end: 0x200, bytes: 0x80 }, { seq: 0xffffff00, end: 0, bytes: 0x100 }], bytes: 0x180,
    });
  });

  it('stays bounded: beyond MAX_INTERVALS the closest intervals merge', () => {
    const r = new SeqRanges();
    for (let i = 0; i < 10 * MAX_INTERVALS; i++) r.add(i * 100, 10);
    expect(r.iv.length).toBeLessThanOrEqual(2 * MAX_INTERVALS);
    expect(r.merged).toBeGreaterThan(0);
  });
});
