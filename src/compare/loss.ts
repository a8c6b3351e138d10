// What one point saw and the next one on the way never did: sequence space (byte ranges, whatever the
// segmentation) and, among the packets both points kept, whole packets (pure ACKs carry no bytes).
import type { ConnGroup } from './match.js';
import type { Orientation } from './orient.js';
import { SeqRanges } from './ranges.js';
import type { LostRecord } from './report.js';
import type { PointConn, PointIndex, Pkt } from './types.js';

type ToRef = (pos: number, t: number) => number;

/** A capture is taken to run until this long after its last packet (captures rarely stop on a packet). */
export const CAPTURE_GRACE = 1;

/** Whether point `pos` was capturing from uFrom to uTo (first point's clock): strictly, within the grace, or not. */
export function capturing(p: PointIndex, u: ToRef, uFrom: number, uTo: number): 'yes' | 'grace' | 'no' {
  if (Number.isNaN(p.first) || u(p.pos, p.first) > uFrom) return 'no';
  const end = u(p.pos, p.last);
  return end >= uTo ? 'yes' : end + CAPTURE_GRACE >= uTo ? 'grace' : 'no';
}

/** Losses between consecutive points, both directions, up to time `until` (the RST). */
export function lostBetween(g: ConnGroup, o: Orientation, points: PointIndex[], u: ToRef, until: number): LostRecord[] {
  const out: LostRecord[] = [];
  const n = points.length;
  for (const fromClient of [true, false]) {
    const up = fromClient === o.clientLow;
    const order = Array.from({ length: n }, (_, i) => (up ? i : n - 1 - i));
    for (let i = 0; i + 1 < n; i++) {
      const x = order[i]!;
      const y = order[i + 1]!;
      const mx = g.members[x];
      if (!mx || capturing(points[y]!, u, u(x, mx.first), Math.min(u(x, mx.last), until)) === 'no') continue;
      const my = g.members[y] ?? null;
      const dir = (pos: number): 0 | 1 => (fromClient !== g.flipped[pos] ? 0 : 1);
      const ry = my ? my.ranges[dir(y)] : new SeqRanges();
      const bytes = mx.ranges[dir(x)].missingFrom(ry, 8);
      const yEnd = u(y, points[y]!.last) + CAPTURE_GRACE;
      const frames = lostPackets(mx, my, fromClient !== g.flipped[x], (t) => u(x, t), (t) => u(y, t), until, yEnd);
      if (bytes.bytes === 0 && frames.length === 0) continue;
      const isn = fromClient !== g.flipped[x] ? mx.isnC : mx.isnS;
      out.push({
        from: points[x]!.name, to: points[y]!.name, direction: fromClient ? 'client->server' : 'server->client',
        bytes: bytes.bytes, ranges: bytes.ranges, syn: isn !== null && bytes.ranges.some((r) => r.seq === isn),
        packets: frames.length, frames: frames.slice(-8),
      });
    }
  }
  return out;
}

/** Frames at x of packets (sent by the given side) that y should have kept too but never saw. */
function lostPackets(
  mx: PointConn, my: PointConn | null, fromClient: boolean, ux: (t: number) => number, uy: (t: number) => number,
  until: number, yEnd: number,
): number[] {
  const kx = kept(mx).filter((p) => p.fromClient === fromClient && ux(p.t) <= until);
  if (!my) return kx.map((p) => p.frame);
  const ky = kept(my);
  const keys = new Set(ky.map((p) => p.key));
  const total = my.packetsC + my.packetsS;
  // A run that ends with the connection's last packet at y covers until y's capture ends.
  const runs = runsOf(ky).map(([a, b, last]) => [uy(a), last === total - 1 ? yEnd : uy(b)] as const);
  // Judge only packets that would have reached y inside a stretch where y kept every packet.
  return kx.filter((p) => !keys.has(p.key) && runs.some(([a, b]) => ux(p.t) >= a && ux(p.t) + TRANSIT_MAX <= b)).map((p) => p.frame);
}

/** Longest plausible transit between two neighbouring points (s). */
const TRANSIT_MAX = 0.05;

/** Every packet a connection kept at a point, by position, without repeats. */
function kept(c: PointConn): Pkt[] {
  const m = new Map<number, Pkt>();
  for (const p of c.head) m.set(p.n, p);
  for (const p of c.log?.recent ?? []) m.set(p.n, p);
  for (const w of c.log?.windows ?? []) for (const p of w.pkts) m.set(p.n, p);
  return [...m.values()].sort((a, b) => a.n - b.n);
}

/** Time spans [first, last] and last position of runs of consecutive packets (positions n, n+1, ...). */
function runsOf(ps: Pkt[]): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  let start: Pkt | undefined;
  let prev: Pkt | undefined;
  for (const p of ps) {
    if (!start || !prev || p.n !== prev.n + 1) {
      if (start && prev) out.push([start.t, prev.t, prev.n]);
      start = p;
    }
    prev = p;
  }
  if (start && prev) out.push([start.t, prev.t, prev.n]);
  return out;
}
