// Exact conversion of pcapng 64-bit tick counts to (seconds, nanoseconds).

/** Per-interface timestamp unit, prepared once when the interface is described. */
export interface TickClock {
  /** Ticks per second as a Number (exact when `fast`). */
  tps: number;
  /** Ticks per second as a BigInt, for the slow path. */
  tpsBig: bigint;
  /** True when tps <= 2^32: every step of the Number path stays exact. */
  fast: boolean;
  /** For power-of-10 units (fast path): nanoseconds per tick; 0 for power-of-2 units. */
  nsPerTick: number;
  /** Seconds added to every timestamp (if_tsoffset). */
  offset: number;
  /** Decimal digits of sub-second precision (capped at 9; 9 for power-of-2 units). */
  precision: number;
}

/** Builds the clock for an if_tsresol byte (high bit clear: 10^-n, set: 2^-n) and if_tsoffset. */
export function makeClock(tsresol: number, offsetSec: number): TickClock {
  const pow2 = (tsresol & TSRESOL_POW2_BIT) !== 0;
  const exp = tsresol & TSRESOL_EXP_MASK;
  const tpsBig = (pow2 ? 2n : 10n) ** BigInt(exp);
  const fast = tpsBig <= FAST_TPS_LIMIT;
  return {
    tps: Number(tpsBig),
    tpsBig,
    fast,
    nsPerTick: !pow2 && exp <= 9 ? 10 ** (9 - exp) : 0,
    offset: offsetSec,
    precision: pow2 ? 9 : Math.min(exp, 9),
  };
}

/** Splits ticks = hi*2^32 + lo into out.tsSec / out.tsNsec (nanoseconds truncated). */
export function ticksToTime(
  c: TickClock,
  hi: number,
  lo: number,
  out: { tsSec: number; tsNsec: number },
): void {
  if (!c.fast) return slowTicksToTime(c, hi, lo, out);
  const t = c.tps;
  let sec: number;
  let rem: number;
  if (hi < EXACT_HI_LIMIT) {
    // hi*2^32 + lo < 2^53: one exact division.
    const ticks = hi * TWO_32 + lo;
    rem = ticks % t;
    sec = (ticks - rem) / t;
  } else {
    // Long division in 16-bit limbs: each partial value is < t*2^16 <= 2^48, so exact.
    let cur = hi >>> 16;
    rem = cur % t;
    sec = (cur - rem) / t;
    cur = rem * TWO_16 + (hi & 0xffff);
    rem = cur % t;
    sec = sec * TWO_16 + (cur - rem) / t;
    cur = rem * TWO_16 + (lo >>> 16);
    rem = cur % t;
    sec = sec * TWO_16 + (cur - rem) / t;
    cur = rem * TWO_16 + (lo & 0xffff);
    rem = cur % t;
    sec = sec * TWO_16 + (cur - rem) / t;
  }
  // Power of 10: multiply up. Power of 2 (t <= 2^32): rem*1e9 = rem*1953125*2^9 < 2^53*2^9 is
  // exactly representable and dividing by 2^n is exact, so floor() sees the true quotient.
  out.tsNsec = c.nsPerTick !== 0 ? rem * c.nsPerTick : Math.floor((rem * NS_PER_SEC) / t);
  out.tsSec = sec + c.offset;
}

/** BigInt fallback for units finer than 2^-32 s (e.g. picoseconds); rare. */
function slowTicksToTime(c: TickClock, hi: number, lo: number, out: { tsSec: number; tsNsec: number }): void {
  const ticks = (BigInt(hi) << 32n) | BigInt(lo);
  const sec = ticks / c.tpsBig;
  const rem = ticks - sec * c.tpsBig;
  out.tsNsec = Number((rem * 1_000_000_000n) / c.tpsBig);
  out.tsSec = Number(sec) + c.offset;
}

const TSRESOL_POW2_BIT = 0x80;
const TSRESOL_EXP_MASK = 0x7f;
const FAST_TPS_LIMIT = 2n ** 32n;
const TWO_16 = 65536;
const TWO_32 = 4294967296;
const EXACT_HI_LIMIT = 2 ** 21; // hi below this keeps hi*2^32+lo under 2^53
const NS_PER_SEC = 1_000_000_000;
