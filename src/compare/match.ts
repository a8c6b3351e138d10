// Finds the same connection at every point and the same packets in it. Addresses and ports may differ
// between points (NAT), so connections are matched by what NAT keeps: SYN sequence numbers, packet
// fingerprints (seq, ack, flags, length, IP ID), payload anchors; the 4-tuple only counts as one vote.
import { RST } from '../decode/packet.js';
import type { PointConn, PointIndex, Pkt } from './types.js';

/** One connection across the points. */
export interface ConnGroup {
  id: number;
  /** Its connection at each point, null where that point never saw it. */
  members: Array<PointConn | null>;
  /** The member's client is the reference member's server (roles decided differently at that point). */
  flipped: boolean[];
  /** Packets seen at two points: every pair of points, both sides' copies. */
  pairs: PacketPair[];
}

export interface PacketPair {
  a: number;
  b: number;
  pa: Pkt;
  pb: Pkt;
  /** Sent by the group's (reference) client. */
  fromClient: boolean;
}

/** Matches the connections of all points into groups, in path order. */
export function groupConnections(points: PointIndex[]): ConnGroup[] {
  const groups: ConnGroup[] = [];
  const byKey = new Map<MatchKey, ConnGroup | ConnGroup[]>();
  const kept = new Map<PointConn, Map<number, Pkt>>();
  const rank = tupleRanks(points);
  for (const p of points) {
    const sampled = samplesByConn(p);
    for (const c of p.conns) kept.set(c, keptPackets(c, sampled));
    const keysOf = new Map(p.conns.map((c) => [c, connKeys(c, kept.get(c)!)] as const));
    const cands: Array<{ c: PointConn; g: ConnGroup; score: number }> = [];
    for (const [c, keys] of keysOf) {
      const score = new Map<ConnGroup, number>();
      for (const [k, w] of keys) {
        const hit = byKey.get(k);
        if (hit === undefined) continue;
        if (!Array.isArray(hit)) score.set(hit, (score.get(hit) ?? 0) + w);
        else for (const g of hit) score.set(g, (score.get(g) ?? 0) + w);
      }
      for (const [g, sc] of score) cands.push({ c, g, score: sc - rankPenalty(g, c, rank) });
    }
    cands.sort((x, y) => y.score - x.score || x.c.id - y.c.id);
    const placed = new Map<PointConn, ConnGroup>();
    for (const { c, g, score } of cands) {
      if (placed.has(c) || g.members[p.pos] || score <= 0) continue;
      g.members[p.pos] = c;
      placed.set(c, g);
    }
    for (const [c, keys] of keysOf) {
      let g = placed.get(c);
      if (!g) {
        g = { id: groups.length, members: points.map(() => null), flipped: points.map(() => false), pairs: [] };
        g.members[p.pos] = c;
        groups.push(g);
      }
      for (const k of keys.keys()) addKey(byKey, k, g);
    }
  }
  for (const g of groups) pairUp(g, kept);
  return groups;
}

/** Every packet kept for a connection (head, log, samples), by fingerprint; ambiguous ones dropped. */
export function keptPackets(c: PointConn, sampled: Map<PointConn, Pkt[]>): Map<number, Pkt> {
  const out = new Map<number, Pkt>();
  const dup = new Set<number>();
  const add = (p: Pkt): void => {
    const had = out.get(p.key);
    if (had && had.frame !== p.frame) dup.add(p.key);
    else out.set(p.key, p);
  };
  c.head.forEach(add);
  c.log?.recent.forEach(add);
  c.log?.windows.forEach((w) => w.pkts.forEach(add));
  sampled.get(c)?.forEach(add);
  for (const k of dup) out.delete(k);
  return out;
}

/** The sampled packets of each connection of a point. */
export function samplesByConn(p: PointIndex): Map<PointConn, Pkt[]> {
  const m = new Map<PointConn, Pkt[]>();
  for (const s of p.samples.values()) {
    if (!s) continue;
    const list = m.get(s.conn) ?? [];
    list.push(s.pkt);
    m.set(s.conn, list);
  }
  return m;
}

/** A match key: a packet fingerprint (number) or a tagged string (4-tuple, SYN seq, payload anchor). */
type MatchKey = number | string;

/** Match keys of a connection and their weights. */
function connKeys(c: PointConn, kept: Map<number, Pkt>): Map<MatchKey, number> {
  const keys = new Map<MatchKey, number>();
  keys.set(`t${c.tuple}`, 1);
  for (const isn of [c.isnC, c.isnS]) if (isn !== null) keys.set(`i${isn}`, 4);
  for (const a of c.anchors ?? []) keys.set(`a${a}`, 2);
  for (const [k, p] of kept) if (!(p.flags & RST)) keys.set(k, 1);
  for (const r of c.rsts) keys.set(r.pkt.key, 1);
  return keys;
}

/** Keys shared by many groups say little: beyond this many, a key stops counting (bounds the work too). */
const MAX_GROUPS_PER_KEY = 16;

function addKey(byKey: Map<MatchKey, ConnGroup | ConnGroup[]>, k: MatchKey, g: ConnGroup): void {
  const had = byKey.get(k);
  if (had === undefined) byKey.set(k, g);
  else if (!Array.isArray(had)) {
    if (had !== g) byKey.set(k, [had, g]);
  } else if (had[had.length - 1] !== g && had.length < MAX_GROUPS_PER_KEY) had.push(g);
}

/** Position of each connection among the connections of its 4-tuple at its point (port reuse). */
function tupleRanks(points: PointIndex[]): Map<PointConn, number> {
  const rank = new Map<PointConn, number>();
  for (const p of points) {
    const seen = new Map<string, number>();
    for (const c of p.conns) {
      const n = seen.get(c.tuple) ?? 0;
      rank.set(c, n);
      seen.set(c.tuple, n + 1);
    }
  }
  return rank;
}

/** Several connections on one 4-tuple: prefer the one at the same rank in time order. */
function rankPenalty(g: ConnGroup, c: PointConn, rank: Map<PointConn, number>): number {
  const other = g.members.find((m) => m !== null && m.tuple === c.tuple);
  return other ? Math.abs((rank.get(other) ?? 0) - (rank.get(c) ?? 0)) * 1e-3 : 0;
}

/** Fills `flipped` and `pairs` from the packets two members share. */
function pairUp(g: ConnGroup, kept: Map<PointConn, Map<number, Pkt>>): void {
  const present = g.members.map((m, i) => (m ? { i, m, kept: kept.get(m)! } : null)).filter((x) => x !== null);
  const ref = present[0];
  if (!ref || present.length < 2) return;
  for (const x of present.slice(1)) {
    let same = 0;
    let other = 0;
    for (const [k, p] of x.kept) {
      const q = ref.kept.get(k);
      if (q) q.fromClient === p.fromClient ? same++ : other++;
    }
    if (x.m.isnC !== null && x.m.isnC === ref.m.isnS) other += 4;
    if (x.m.isnC !== null && x.m.isnC === ref.m.isnC) same += 4;
    g.flipped[x.i] = other > same;
  }
  for (let s = 0; s < present.length; s++) {
    for (let t = s + 1; t < present.length; t++) {
      const A = present[s]!;
      const B = present[t]!;
      for (const [k, pa] of A.kept) {
        const pb = B.kept.get(k);
        if (pb) g.pairs.push({ a: A.i, b: B.i, pa, pb, fromClient: pa.fromClient !== g.flipped[A.i] });
      }
    }
  }
}
