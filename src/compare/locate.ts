// `rstscope locate`: captures of the same traffic at several points of the path, in path order; for every
// RST, the points that saw it and where it was born. Pipeline: index each point (two streaming passes),
// group connections across points, orient them, fit the clocks, match RSTs, then decide (verdict.ts).
import { formatIsoTime } from '../capture/timestamp.js';
import { chainClocks, fitPair, offsetAt, toRef, type ClockSample, type PairFit, type PointClock } from './clock.js';
import { firstPass, secondPass, type IndexOptions, type Interest } from './index-point.js';
import { groupConnections, type ConnGroup } from './match.js';
import { orientGroups, type Orientation } from './orient.js';
import type { LocateDoc, LocatedReset, PointRecord } from './report.js';
import type { PointIndex, PointRst } from './types.js';
import { decide, type Cluster } from './verdict.js';

export interface LocateOptions {
  /** One name per file (default: the file names without extension). */
  names?: string[];
  idleTimeout?: number;
  chunkSize?: number;
  maxSamples?: number;
}

/** Everything `locate` found: the document and what the HTML ladder draws. */
export interface LocateResult {
  doc: LocateDoc;
  points: PointIndex[];
  clocks: PointClock[];
  /** Per reset (same order as doc.resets): its cluster, connection group and orientation. */
  details: Array<{ cluster: Cluster; group: ConnGroup; orientation: Orientation }>;
}

/** A capture could not be read (missing, not a capture): which one, and why. */
export class PointError extends Error {
  constructor(readonly file: string, readonly reason: unknown) {
    super(`${file}: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}

/** Seconds within which two copies of one RST must fall once clocks are corrected. */
const RST_MATCH_WINDOW = 2;

export async function locate(files: string[], opts: LocateOptions = {}): Promise<LocateResult> {
  const names = opts.names ?? defaultNames(files);
  const io: IndexOptions = {
    idleTimeout: opts.idleTimeout ?? 300, ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}),
    ...(opts.maxSamples ? { maxSamples: opts.maxSamples } : {}),
  };
  const firsts = [];
  for (let i = 0; i < files.length; i++) {
    try {
      firsts.push(await firstPass(names[i]!, files[i]!, io));
    } catch (e) {
      throw new PointError(files[i]!, e);
    }
  }
  const interest: Interest = { tuples: new Set(), isns: new Set() };
  for (const f of firsts) {
    f.interest.tuples.forEach((t) => interest.tuples.add(t));
    f.interest.isns.forEach((n) => interest.isns.add(n));
  }
  const points: PointIndex[] = [];
  for (let i = 0; i < firsts.length; i++) points.push(await secondPass(i, firsts[i]!, interest, io));

  const groups = groupConnections(points);
  const orient = orientGroups(groups, points);
  const clocks = fitClocks(points, groups, orient);
  const u = (pos: number, t: number): number => toRef(clocks[pos]!, t);
  const details: LocateResult['details'] = [];
  for (const g of groups) {
    for (const cl of clusterResets(g, u, clocks)) details.push({ cluster: cl, group: g, orientation: orient[g.id]! });
  }
  details.sort((a, b) => a.cluster.u - b.cluster.u);
  const base0 = points[0]?.baseSec ?? 0;
  const resets: LocatedReset[] = details.map((d) => decide(d.cluster, d.group, d.orientation, points, u, (t) => time(base0, t)));
  const born: Record<string, number> = {};
  for (const r of resets) {
    const k = r.born_between.map((x) => x ?? '-').join('..');
    born[k] = (born[k] ?? 0) + 1;
  }
  const doc: LocateDoc = {
    points: points.map((p) => pointRecord(p, clocks[p.pos]!, base0, points[0]?.first ?? 0)),
    resets,
    summary: {
      resets: resets.length, born, connections: groups.length,
      matched_connections: groups.filter((g) => g.members.filter((m) => m !== null).length > 1).length,
    },
  };
  return { doc, points, clocks, details };
}

/** "a.client.pcap" -> "a.client"; names must be distinct, so fall back to p1, p2, ... */
export function defaultNames(files: string[]): string[] {
  const names = files.map((f) => (f.split('/').pop() ?? f).replace(/\.(pcapng|pcap|cap)(\.gz)?$/, ''));
  // Lab-style names share a prefix: keep the last dotted part when it tells them apart.
  const last = names.map((n) => n.split('.').pop() ?? n);
  if (new Set(last).size === names.length) return last;
  if (new Set(names).size === names.length) return names;
  return files.map((_, i) => `p${i + 1}`);
}

/** Pair fits from every packet seen at two points (direction from the orientation), chained to point 0. */
function fitClocks(points: PointIndex[], groups: ConnGroup[], orient: Orientation[]): PointClock[] {
  const byPair = new Map<string, ClockSample[]>();
  for (const g of groups) {
    const o = orient[g.id]!;
    const known = o.by === 'ttl' || o.by === 'timing' || o.by === 'address';
    for (const p of g.pairs) {
      const k = `${p.a}:${p.b}`;
      const list = byPair.get(k) ?? [];
      list.push({ ta: p.pa.t, tb: p.pb.t, up: known ? p.fromClient === o.clientLow : null });
      byPair.set(k, list);
    }
  }
  const fits: PairFit[] = [];
  for (const [k, samples] of byPair) {
    const [a, b] = k.split(':').map(Number) as [number, number];
    const f = fitPair(a, b, points[a]!.baseSec, points[b]!.baseSec, samples);
    if (f) fits.push(f);
  }
  return chainClocks(points.length, points.map((p) => p.baseSec), fits);
}

/** Groups the RSTs of one connection across points: same seq, ack and flags, nearest in corrected time. */
function clusterResets(g: ConnGroup, u: (pos: number, t: number) => number, clocks: PointClock[]): Cluster[] {
  const clusters: Cluster[] = [];
  g.members.forEach((m, pos) => {
    if (!m) return;
    const open = new Set(clusters);
    for (const r of m.rsts) {
      const ur = u(pos, r.pkt.t);
      const fromClient = r.pkt.fromClient !== g.flipped[pos];
      const key = rstKey(r);
      let best: Cluster | null = null;
      let bestGap = Infinity;
      for (const c of open) {
        if (c.key !== key || c.fromClient !== fromClient) continue;
        const gap = Math.abs(c.u - ur);
        const window = clocks[pos]!.samples > 0 ? RST_MATCH_WINDOW : Infinity;
        if (gap <= window && gap < bestGap) (best = c), (bestGap = gap);
      }
      if (best) {
        best.rsts[pos] = r;
        best.u = Math.min(best.u, ur);
        open.delete(best);
      } else {
        const rsts: Array<PointRst | null> = g.members.map(() => null);
        rsts[pos] = r;
        clusters.push({ key, fromClient, u: ur, rsts });
      }
    }
  });
  return clusters;
}

/** IP ID is left out: some NATs rewrite it. */
function rstKey(r: PointRst): string {
  return `${r.pkt.seq}:${r.pkt.ack}:${r.pkt.flags & 0x3f}`;
}

function pointRecord(p: PointIndex, k: PointClock, base0: number, first0: number): PointRecord {
  const u0 = Number.isNaN(first0) ? 0 : first0;
  const known = p.pos === 0 || k.samples > 0;
  return {
    name: p.name, file: p.file,
    clock_offset_s: known ? round(offsetAt(k, p.baseSec, base0, u0), 9) : null,
    clock_drift_ppm: known ? round((k.m - 1) * 1e6, 3) : null,
    clock_samples: p.pos === 0 ? 0 : k.samples,
    packets: p.packets,
    first: Number.isNaN(p.first) ? null : time(p.baseSec, p.first),
    last: Number.isNaN(p.last) ? null : time(p.baseSec, p.last),
    linktypes: p.linktypes, max_caplen: p.maxCaplen, warnings: p.warnings,
  };
}

/** ISO time of base + t seconds (microseconds). */
export function time(base: number, t: number): string {
  const sec = Math.floor(t);
  const nsec = Math.round((t - sec) * 1e6) * 1000;
  return nsec >= 1e9 ? formatIsoTime(base + sec + 1, 0, 6) : formatIsoTime(base + sec, nsec, 6);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
