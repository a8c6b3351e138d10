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
 * Fit of b's clock against a's from the fastest packets: queues only ever add delay, so in each stretch of
 * time the fastest packet each way bounds the offset from both sides (the lower envelope). Drift is the
 * slope of those per-stretch offsets, estimated only over a long enough span.
 */
export function fitPair(a: number, b: number, baseA: number, baseB: number, samples: ClockSample[]): PairFit | null {
  if (samples.length === 0) return null;
  const bdiff = baseB - baseA;
  const rows = samples.map((s) => ({ x: s.ta, d: bdiff + s.tb - s.ta, s: s.up === null ? 0 : s.up ? 1 : -1 }));
  const both = rows.some((r) => r.s > 0) && rows.some((r) => r.s < 0);
  const all = envelope(rows, both);
  let off = all?.y ?? median(rows.map((r) => r.d));
  let drift = 0;
  const pts = bins(rows).map((bin) => envelope(bin, both)).filter((p) => p !== null);
  const [lo, hi] = range(pts.map((p) => p.x));
  if (rows.length >= 4 * BINS && pts.length >= 3 && hi - lo >= MIN_DRIFT_SPAN) ({ off, drift } = line(pts));
  const delay = both && all ? Math.max(0, all.h) : 0;
  return { a, b, samples: rows.length, c: off - bdiff, m: 1 + drift, delay, oneWay: !both };
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

interface Point {
  x: number;
  y: number;
  h: number;
}

const MIN_DRIFT_SPAN = 10; // seconds of samples needed before drift is estimated
const BINS = 8;

/** Offset bounded by the fastest packet each way (midpoint), or the fastest one way when only one is known. */
function envelope(rows: Row[], both: boolean): Point | null {
  const up = best(rows.filter((r) => r.s > 0), (p, q) => p.d < q.d);
  const down = best(rows.filter((r) => r.s < 0), (p, q) => p.d > q.d);
  if (both) return up && down ? { x: (up.x + down.x) / 2, y: (up.d + down.d) / 2, h: (up.d - down.d) / 2 } : null;
  const one = up ?? down;
  if (one) return { x: one.x, y: one.d, h: 0 };
  return rows.length ? { x: median(rows.map((r) => r.x)), y: median(rows.map((r) => r.d)), h: 0 } : null;
}

function best(rows: Row[], better: (p: Row, q: Row) => boolean): Row | null {
  let b: Row | null = null;
  for (const r of rows) if (!b || better(r, b)) b = r;
  return b;
}

/** Rows split into BINS stretches of equal duration. */
function bins(rows: Row[]): Row[][] {
  const [lo, hi] = range(rows.map((r) => r.x));
  const width = (hi - lo) / BINS;
  const out: Row[][] = Array.from({ length: BINS }, () => []);
  for (const r of rows) out[width > 0 ? Math.min(BINS - 1, Math.floor((r.x - lo) / width)) : 0]!.push(r);
  return out.filter((b) => b.length > 0);
}

/** [min, max] without spreading (the arrays can be large). */
function range(xs: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
  return [lo, hi];
}

/** Least-squares line y = off + drift * x. */
function line(pts: Point[]): { off: number; drift: number } {
  const n = pts.length;
  const mx = pts.reduce((s, p) => s + p.x, 0) / n;
  const my = pts.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of pts) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  const drift = sxx > 0 ? sxy / sxx : 0;
  return { off: my - drift * mx, drift };
}
