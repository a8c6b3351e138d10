// Which end of the path each connection's client sits at. Connections may be opened from either end, so
// this is decided per connection: by TTL (it only decreases along the way), else by timing (a packet is
// seen first at the point nearer its sender, whatever the clocks: the two directions are compared), else
// by what other connections of the same addresses showed, else the client is assumed at the first point.
import { median } from './clock.js';
import type { ConnGroup } from './match.js';
import type { PointIndex } from './types.js';

export type OrientedBy = 'ttl' | 'timing' | 'address' | 'assumed';

export interface Orientation {
  /** The group's client is on the first point's side of the path. */
  clientLow: boolean;
  by: OrientedBy;
}

export function orientGroups(groups: ConnGroup[], points: PointIndex[]): Orientation[] {
  const out: Array<Orientation | null> = groups.map((g) => measured(g, points));
  const sides = new Map<string, number>();
  groups.forEach((g, i) => {
    const o = out[i];
    if (!o) return;
    forEachEnd(g, (key, isClient) => bump(sides, key, isClient === o.clientLow ? 1 : -1));
  });
  return groups.map((g, i) => {
    const o = out[i];
    if (o) return o;
    let vote = 0;
    forEachEnd(g, (key, isClient) => (vote += (sides.get(key) ?? 0) * (isClient ? 1 : -1)));
    return vote !== 0 ? { clientLow: vote > 0, by: 'address' } : { clientLow: true, by: 'assumed' };
  });
}

/** IP address of an "ip:port" / "[ip]:port" endpoint. */
export function ipOf(ep: string): string {
  return ep.startsWith('[') ? ep.slice(1, ep.indexOf(']')) : ep.slice(0, ep.lastIndexOf(':'));
}

function measured(g: ConnGroup, points: PointIndex[]): Orientation | null {
  let ttlVote = 0;
  const deltas = new Map<string, { c: number[]; s: number[] }>();
  for (const p of g.pairs) {
    if (p.pa.ttl !== p.pb.ttl) {
      const up = p.pa.ttl > p.pb.ttl; // travelled from a to b
      ttlVote += up === p.fromClient ? 1 : -1;
    }
    const k = `${p.a}:${p.b}`;
    const d = deltas.get(k) ?? { c: [], s: [] };
    const bdiff = (points[p.b]?.baseSec ?? 0) - (points[p.a]?.baseSec ?? 0);
    (p.fromClient ? d.c : d.s).push(bdiff + p.pb.t - p.pa.t);
    deltas.set(k, d);
  }
  if (ttlVote !== 0) return { clientLow: ttlVote > 0, by: 'ttl' };
  let timeVote = 0;
  for (const d of deltas.values()) {
    if (d.c.length === 0 || d.s.length === 0) continue;
    const diff = median(d.c) - median(d.s); // client's packets take longer from a to b: the client is on a's side
    if (diff !== 0) timeVote += diff > 0 ? 1 : -1;
  }
  return timeVote !== 0 ? { clientLow: timeVote > 0, by: 'timing' } : null;
}

/** Calls back with "point|ip" of both ends of every member, in the group's client/server roles. */
function forEachEnd(g: ConnGroup, f: (key: string, isClient: boolean) => void): void {
  g.members.forEach((m, i) => {
    if (!m) return;
    const flip = g.flipped[i] ?? false;
    f(`${i}|${ipOf(m.client)}`, !flip);
    f(`${i}|${ipOf(m.server)}`, flip);
  });
}

function bump(m: Map<string, number>, k: string, by: number): void {
  m.set(k, (m.get(k) ?? 0) + by);
}
