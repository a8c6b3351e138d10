import { describe, expect, it } from 'vitest';
import { makeClock, ticksToTime } from './ticks.js';
import { prng } from '../../test/build/prng.js';


describe('ticksToTime', () => {
  it('matches BigInt arithmetic for random 64-bit tick counts and many resolutions', () => {
    const rnd = prng(42);
    const resols = [0, 1, 3, 6, 9, 10, 12, 19, 0x80, 0x80 | 8, 0x80 | 10, 0x80 | 20, 0x80 | 32, 0x80 | 33, 0x80 | 63];
    for (const tsresol of resols) {
      const clock = makeClock(tsresol, 0);
      const tps = (tsresol & 0x80 ? 2n : 10n) ** BigInt(tsresol & 0x7f);
      for (let i = 0; i < 500; i++) {
        // Mix small, mid (hi < 2^21) and full-width values.
        const hi = i % 3 === 0 ? 0 : i % 3 === 1 ? Math.floor(rnd() * 2 ** 21) : Math.floor(rnd() * 2 ** 32);
        const lo = Math.floor(rnd() * 2 ** 32);
        const ticks = (BigInt(hi) << 32n) | BigInt(lo);
        const out = { tsSec: -1, tsNsec: -1 };
        ticksToTime(clock, hi, lo, out);
        const sec = ticks / tps;
        if (sec > BigInt(Number.MAX_SAFE_INTEGER)) continue; // not representable as a Number anyway
        expect([tsresol, hi, lo, out.tsSec, out.tsNsec]).toEqual([
          tsresol,
          hi,
          lo,
          Number(sec),
          Number(((ticks % tps) * 1_000_000_000n) / tps),
        ]);
      }
    }
  });

  it('reports precision per resolution', () => {
    expect([0, 3, 6, 9, 12, 0x80 | 20].map((r) => makeClock(r, 0).precision)).toEqual([0, 3, 6, 9, 9, 9]);
  });
});
