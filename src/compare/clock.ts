// Clock offset and drift between capture points, from packets seen at two points. A packet going from a
// to b is stamped t_b = t_a + offset + drift * t_a + delay; one going from b to a gives - delay instead, so
// with traffic both ways the delay cancels out (the NTP assumption: the same transit time both ways).

/** One packet seen at points a and b: times relative to each point's base second. */
export interface ClockSample {
  ta: number;
  tb: number;
  /** true: it travelled from a to b; false: from b to a; null: unknown. */
  up: boolean | null;
}

/** b's clock against a's: t_b(rel) = c + m * t_a(rel), where rel = seconds since that point's base second. */
export interface PairFit {
  a: number;
  b: number;
  samples: number;
  c: number;
  m: number;
  /** One-way transit time between the points (s), 0 when only one direction was seen. */
  delay: number;
  oneWay: boolean;
}

/** A point's clock against the first point's: t_i(rel) = c + m * t_0(rel). */
export interface PointClock {
  c: number;
  m: number;
  /** Samples of the weakest pair fit on the way to the first point; 0 when not connected (clock assumed right). */
  samples: number;
  oneWay: boolean;
}

/**
 * Fit of b's clock against a's: drift by least squares (one pass of outlier removal), then the offset from
 * the fastest packet each way (queues only ever add delay, so the lower envelope is the transit time).
 */
export function fitPair(a: number, b: number, baseA: number, baseB: number, samples: ClockSample[]): PairFit | null {
  if (samples.length === 0) return null;
  const bdiff = baseB - baseA;
  const rows = samples.map((s) => ({ x: s.ta, d: bdiff + s.tb - s.ta, s: s.up === null ? 0 : s.up ? 1 : -1 }));
  let fit = solve(rows);
  const res = rows.map((r) => Math.abs(r.d - predict(fit, r)));
  const mad = median(res);
  const keep = rows.filter((_, i) => res[i]! <= Math.max(6 * mad, 1e-4));
  if (keep.length >= 2 && keep.length < rows.length) fit = solve(keep);
  // Residuals without drift: up = offset + transit, down = offset - transit.
  const r = rows.map((x) => ({ s: x.s, v: x.d - fit.drift * x.x }));
  const upMin = Math.min(...r.filter((x) => x.s > 0).map((x) => x.v));
  const downMax = Math.max(...r.filter((x) => x.s < 0).map((x) => x.v));
  let off = fit.off;
  let delay = 0;
  if (Number.isFinite(upMin) && Number.isFinite(downMax)) (off = (upMin + downMax) / 2), (delay = Math.max(0, (upMin - downMax) / 2));
  else if (Number.isFinite(upMin)) off = upMin;
  else if (Number.isFinite(downMax)) off = downMax;
  return { a, b, samples: rows.length, c: off - bdiff, m: 1 + fit.drift, delay, oneWay: fit.oneWay };
}

/**
 * Chains pair fits into one clock per point against the first point, along the pairs with most
 * samples (a maximum spanning tree from point 0). `bases` are the points' base seconds.
 */
export function chainClocks(n: number, bases: number[], fits: PairFit[]): PointClock[] {
  const clocks: Array<PointClock | null> = Array.from({ length: n }, (_, i) => (i === 0 ? { c: 0, m: 1, samples: Infinity, oneWay: false } : null));
  for (;;) {
    let best: { from: number; to: number; f: PairFit } | null = null;
    for (const f of fits) {
      const dir = clocks[f.a] && !clocks[f.b] ? { from: f.a, to: f.b } : clocks[f.b] && !clocks[f.a] ? { from: f.b, to: f.a } : null;
      if (dir && (!best || f.samples > best.f.samples)) best = { ...dir, f };
    }
    if (!best) break;
    const from = clocks[best.from]!;
    // from->to as t_to = c + m * t_from (invert the fit when it was measured the other way round).
    const c = best.f.a === best.from ? best.f.c : -best.f.c / best.f.m;
    const m = best.f.a === best.from ? best.f.m : 1 / best.f.m;
    clocks[best.to] = { c: c + m * from.c, m: m * from.m, samples: Math.min(from.samples, best.f.samples), oneWay: from.oneWay || best.f.oneWay };
  }
  // Unconnected points: assume their clock is right (same absolute time).
  return clocks.map((k, i) => k ?? { c: (bases[0] ?? 0) - (bases[i] ?? 0), m: 1, samples: 0, oneWay: false });
}

/** A point's relative time on the first point's relative time scale. */
export function toRef(k: PointClock, t: number): number {
  return (t - k.c) / k.m;
}

/** Offset of point i's clock against the first point's at the first point's relative time u (seconds). */
export function offsetAt(k: PointClock, baseI: number, base0: number, u: number): number {
  return baseI - base0 + k.c + (k.m - 1) * u;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Row {
  x: number;
  d: number;
  s: number;
}

interface Fit {
  off: number;
  drift: number;
  h: number;
  x0: number;
  oneWay: boolean;
}

const MIN_DRIFT_SPAN = 10; // seconds of samples needed before drift is estimated

function predict(f: Fit, r: Row): number {
  return f.off + f.drift * r.x + f.h * r.s;
}

/** d = off + drift * x + h * s, least squares; drift only over a long enough span, h only with both directions. */
function solve(rows: Row[]): Fit {
  const xs = rows.map((r) => r.x);
  const x0 = median(xs);
  const span = Math.max(...xs) - Math.min(...xs);
  const both = rows.some((r) => r.s > 0) && rows.some((r) => r.s < 0);
  const cols: Array<(r: Row) => number> = [() => 1];
  if (span >= MIN_DRIFT_SPAN && rows.length >= 4) cols.push((r) => r.x - x0);
  if (both) cols.push((r) => r.s);
  const beta = leastSquares(rows.map((r) => cols.map((f) => f(r))), rows.map((r) => r.d));
  const drift = cols.length > 1 && span >= MIN_DRIFT_SPAN && rows.length >= 4 ? beta[1]! : 0;
  const h = both ? beta[cols.length - 1]! : 0;
  // Re-express the intercept at x = 0 (the fit was centred on x0 for conditioning).
  return { off: beta[0]! - drift * x0, drift, h, x0, oneWay: !both };
}

/** Normal equations solved by Gaussian elimination (at most 3 unknowns). */
function leastSquares(X: number[][], y: number[]): number[] {
  const k = X[0]?.length ?? 0;
  const A = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  X.forEach((row, n) => {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) A[i]![j]! += row[i]! * row[j]!;
      A[i]![k]! += row[i]! * y[n]!;
    }
  });
  for (let i = 0; i < k; i++) {
    let p = i;
    for (let r = i + 1; r < k; r++) if (Math.abs(A[r]![i]!) > Math.abs(A[p]![i]!)) p = r;
    [A[i], A[p]] = [A[p]!, A[i]!];
    const piv = A[i]![i]!;
    if (Math.abs(piv) < 1e-12) return new Array<number>(k).fill(0).map((_, j) => (j === 0 ? median(y) : 0));
    for (let r = 0; r < k; r++) {
      if (r === i) continue;
      const f = A[r]![i]! / piv;
      for (let col = i; col <= k; col++) A[r]![col]! -= f * A[i]![col]!;
    }
  }
  return A.map((row, i) => row[k]! / row[i]!);
}
