import { describe, expect, it } from 'vitest';
import { chainClocks, fitPair, offsetAt, toRef, type ClockSample } from './clock.js';

/** Packets both ways between a and b; b's clock = a's + offset + drift * t; a queue delays 3 of 4 packets one way. */
function samples(n: number, offset: number, drift: number, delay: number, jitterDown = 0): ClockSample[] {
  const out: ClockSample[] = [];
  for (let i = 0; i < n; i++) {
    const ta = i * 0.5;
    const up = i % 2 === 0;
    const transit = delay + (up || i % 4 === 1 ? 0 : (0.2 + ((i * 7919) % 100) / 100) * jitterDown);
    const tTrue = up ? ta + transit : ta - transit; // b sees it after a (up) or before (down)
    out.push({ ta, tb: tTrue + offset + drift * tTrue, up });
  }
  return out;
}

describe('clock fit between two points', () => {
  it('finds the offset and the transit time with traffic both ways', () => {
    const f = fitPair(0, 1, 1000, 1000, samples(40, 7.5, 0, 0.002))!;
    expect(f.c).toBeCloseTo(7.5, 6);
    expect(f.m).toBe(1);
    expect(f.delay).toBeCloseTo(0.002, 6);
    expect(f.oneWay).toBe(false);
  });

  it('is not fooled by queueing in one direction (uses the fastest packet each way)', () => {
    const f = fitPair(0, 1, 1000, 1000, samples(40, -3, 0, 0.001, 0.2))!;
    expect(f.c).toBeCloseTo(-3, 6);
    expect(f.m).toBeCloseTo(1, 9);
  });

  it('estimates drift over a long enough span', () => {
    const f = fitPair(0, 1, 1000, 1000, samples(200, 2, 50e-6, 0.001))!;
    expect((f.m - 1) * 1e6).toBeCloseTo(50, 1);
    expect(f.c).toBeCloseTo(2, 4);
  });

  it('accounts for different base seconds', () => {
    const s = samples(10, 0, 0, 0.001).map((x) => ({ ...x, tb: x.tb - 7 })); // b's base is 7 s later
    const f = fitPair(0, 1, 1000, 1007, s)!;
    const k = chainClocks(2, [1000, 1007], [f]);
    expect(offsetAt(k[1]!, 1007, 1000, 0)).toBeCloseTo(0, 6);
  });

  it('chains clocks along the pairs with most samples and inverts fits measured the other way', () => {
    const f01 = fitPair(0, 1, 0, 0, samples(30, 10, 0, 0.001))!;
    const f21 = fitPair(2, 1, 0, 0, samples(30, 4, 0, 0.001))!; // 1 = 2 + 4 s, so 2 = 0 + 6 s
    const [k0, k1, k2, k3] = chainClocks(4, [0, 0, 0, 0], [f01, f21]);
    expect(k0!.c).toBe(0);
    expect(k1!.c).toBeCloseTo(10, 6);
    expect(k2!.c).toBeCloseTo(6, 6);
    expect(toRef(k2!, 106)).toBeCloseTo(100, 6);
    expect(k3!.samples).toBe(0); // never seen with another point: assumed right
  });
});
