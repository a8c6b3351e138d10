import { describe, expect, it } from 'vitest';
import { seqAdd, seqDiff, seqGe, seqGt, seqLe, seqLt } from './seq.js';

const SAMPLES = [0, 1, 2, 1000, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff];

describe('seq', () => {
  it('differences across wrap-around', () => {
    expect(seqDiff(0, 0xffffffff)).toBe(1);
    expect(seqDiff(0xffffffff, 0)).toBe(-1);
    expect(seqDiff(5, 0xfffffffb)).toBe(10);
    expect(seqDiff(0x7fffffff, 0)).toBe(0x7fffffff);
    expect(seqDiff(0x80000000, 0)).toBe(0x80000000); // the half-way point is +2^31 both ways
    expect(seqDiff(0, 0x80000000)).toBe(0x80000000);
    expect(seqDiff(1234, 1234)).toBe(0);
  });

  it('comparisons across wrap-around', () => {
    expect(seqLt(0xffffffff, 0)).toBe(true);
    expect(seqGt(0, 0xffffffff)).toBe(true);
    expect(seqLt(0xfffffff0, 0x10)).toBe(true);
    expect(seqLe(7, 7)).toBe(true);
    expect(seqGe(7, 7)).toBe(true);
    expect(seqLt(7, 7)).toBe(false);
  });

  it('antisymmetry and consistency over samples', () => {
    for (const a of SAMPLES) {
      for (const b of SAMPLES) {
        const d = seqDiff(a, b);
        expect(d).toBeGreaterThan(-0x80000000);
        expect(d).toBeLessThanOrEqual(0x80000000);
        expect(seqAdd(b, d)).toBe(a);
        expect(seqLt(a, b) && seqLt(b, a)).toBe(false);
        expect(seqLt(a, b)).toBe(seqGt(b, a));
        expect(seqLe(a, b)).toBe(seqGe(b, a));
        expect(seqLe(a, b)).toBe(seqLt(a, b) || a === b);
        if (d !== 0x80000000) {
          expect(seqLt(a, b)).toBe(d < 0);
          expect(seqDiff(b, a)).toBe(-d || 0);
        } else {
          expect([seqLt(a, b), seqGt(a, b), seqLe(a, b), seqGe(a, b)]).toEqual([false, false, false, false]);
        }
      }
    }
  });

  it('seqAdd wraps and stays unsigned', () => {
    expect(seqAdd(0xffffffff, 1)).toBe(0);
    expect(seqAdd(0, -1)).toBe(0xffffffff);
    expect(seqAdd(0xfffffff0, 0x20)).toBe(0x10);
    expect(seqAdd(5, 0)).toBe(5);
  });
});
