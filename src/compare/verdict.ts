// Where one RST was born, from the points that saw it. A RST travels away from its birth place, so the
// first point that saw it, in its direction of travel, is the nearest one downstream of the birth; the point
// before that one (if it was capturing) never saw it: it was born between the two.
import { seqAdd } from '../decode/seq.js';
import { ACK } from '../decode/packet.js';
import { flagLetters } from '../report/flags.js';
import type { ConnGroup } from './match.js';
import type { Orientation } from './orient.js';
import { CAPTURE_GRACE, capturing, lostBetween } from './loss.js';
import { ipOf } from './orient.js';
import type { LocatedReset } from './report.js';
import { ttlList, type PointConn, type PointIndex, type PointRst } from './types.js';

/** The copies of one RST at the points (null where not seen). */
export interface Cluster {
  key: string;
  /** Sent from the group's client address. */
  fromClient: boolean;
  /** Time of its first copy, on the first point's clock (relative seconds). */
  u: number;
  rsts: Array<PointRst | null>;
}

type ToRef = (pos: number, t: number) => number;

/** Causes only an endpoint's own stack produces: a RST proven forged in the path cannot keep them. */
const ENDPOINT_CAUSES = new Set([
  'port-closed', 'accept-queue-overflow', 'time-wait', 'malformed-syn', 'syn-scan', 'connect-scan', 'client-abort',
  'retransmission-exhausted', 'abortive-close', 'data-after-close', 'no-connection', 'unknown',
]);

/** The verdict for one RST; `timeOf` renders a time on the first point's clock. */
export function decide(cl: Cluster, g: ConnGroup, o: Orientation, points: PointIndex[], u: ToRef, timeOf: (u: number) => string): LocatedReset {
  const n = points.length;
  const up = cl.fromClient === o.clientLow; // travels from the first point towards the last
  const order = Array.from({ length: n }, (_, i) => (up ? i : n - 1 - i));
  const k = order.findIndex((pos) => cl.rsts[pos] !== null);
  const firstPos = order[k]!;
  const prevPos = k > 0 ? order[k - 1]! : null;
  const name = (pos: number | null): string | null => (pos === null ? null : points[pos]!.name);
  const born: [string | null, string | null] = up ? [name(prevPos), name(firstPos)] : [name(firstPos), name(prevPos)];
  const r0 = cl.rsts[firstPos]!;
  const rec = r0.record;
  const who = cl.fromClient ? 'client' : 'server';
  const u0 = u(firstPos, r0.pkt.t);
  const evidence: string[] = [seenText(cl, points, u, u0)];

  let confidence = 1;
  if (prevPos === null) {
    evidence.push(`first seen at ${name(firstPos)}, the outermost point on the ${who}'s side: born at that end of the path (the ${who}, or a device beyond ${name(firstPos)})`);
  } else {
    const p = points[prevPos]!;
    const covered = capturing(p, u, u0, u0);
    const m = g.members[prevPos];
    if (m) {
      const lastSender = cl.fromClient !== g.flipped[prevPos] ? m.lastC : m.lastS;
      const after = u(prevPos, lastSender) - u0;
      evidence.push(Number.isFinite(after) && after > 0
        ? `${p.name} saw this connection, the ${who} still sending ${ms(after)} after the RST, and never this RST: forged between ${born[0]} and ${born[1]}`
        : `${p.name} saw this connection (last packet ${ms(u(prevPos, m.last) - u0)} from the RST) but never this RST: born between ${born[0]} and ${born[1]}`);
    } else {
      evidence.push(`${p.name} captured from ${ms(u(prevPos, p.first) - u0)} to ${ms(u(prevPos, p.last) - u0)} around the RST but never saw this connection: born between ${born[0]} and ${born[1]}`);
    }
    if (covered === 'grace') {
      confidence = 0.9;
      evidence.push(`${p.name}'s capture ends ${ms(u(prevPos, p.last) - u0)} from the RST: taken as still running then (${CAPTURE_GRACE} s grace)`);
    } else if (covered === 'no') {
      confidence = 0.5;
      evidence.push(`not proven: ${p.name} was not capturing when the RST passed (its capture does not span that time)`);
    }
  }
  evidence.push(...ttlEvidence(cl, g, firstPos, points, who));
  const nat = natEvidence(g, points);
  if (nat) evidence.push(nat);
  evidence.push(...droppedRst(cl, order.slice(k), g, points));

  const between = born[0] !== null && born[1] !== null;
  let cause = rec?.cause ?? 'unknown';
  // Born at an end means beyond the outermost point: a device out there stays possible, so keep that verdict.
  const origin: LocatedReset['origin'] = between || rec?.origin === 'middlebox' ? 'middlebox' : 'endpoint';
  if (between && ENDPOINT_CAUSES.has(cause)) cause = answersSyn(r0, g, firstPos) ? 'firewall-reject' : 'injected';
  if (rec && rec.origin !== 'unknown' && rec.origin !== origin) {
    evidence.push(`the capture points prove origin ${origin}, overriding the single-point verdict at ${name(firstPos)} (${rec.cause}, origin ${rec.origin}, confidence ${rec.confidence})`);
  } else if (rec && rec.cause !== cause) {
    evidence.push(`cause ${cause}: the single-point cause ${rec.cause} is an endpoint's, but the RST was born in the path`);
  }
  const lost = lostBetween(g, o, points, u, u0);
  evidence.push(`Wireshark filter at ${name(firstPos)}: frame.number == ${r0.pkt.frame}`);
  const frames: Record<string, number | null> = {};
  const ttls: Record<string, number | null> = {};
  points.forEach((p, i) => {
    frames[p.name] = cl.rsts[i]?.pkt.frame ?? null;
    ttls[p.name] = cl.rsts[i]?.pkt.ttl ?? null;
  });
  return {
    frames, ttls, time: timeOf(u0), sender: rec?.sender ?? (r0.pkt.fromClient ? 'client' : 'server'), src: r0.src, dst: r0.dst,
    flags: flagLetters(r0.pkt.flags), seq: r0.pkt.seq, ack: r0.pkt.ack, cause, origin,
    confidence, born_between: born, oriented_by: o.by, lost, evidence,
  };
}

function seenText(cl: Cluster, points: PointIndex[], u: ToRef, u0: number): string {
  const seen: string[] = [];
  const not: string[] = [];
  points.forEach((p, i) => {
    const r = cl.rsts[i];
    if (r) seen.push(`${p.name} (frame ${r.pkt.frame}, TTL ${r.pkt.ttl}, ${ms(u(i, r.pkt.t) - u0)})`);
    else not.push(p.name);
  });
  return `seen at ${seen.join(', ')}${not.length ? `; not at ${not.join(', ')}` : ''}`;
}

function ttlEvidence(cl: Cluster, g: ConnGroup, pos: number, points: PointIndex[], who: string): string[] {
  const m = g.members[pos]!;
  const r = cl.rsts[pos]!;
  const at = points[pos]!.name;
  let ttls = ttlList(cl.fromClient !== g.flipped[pos] ? m.ttlC : m.ttlS);
  let whose = `the ${who}'s other packets`;
  if (ttls.length === 0) {
    // Nothing else from it on this connection: its packets on other connections at the same point.
    ttls = [...(hostTtls(points[pos]!).get(ipOf(r.src)) ?? [])];
    whose = `${ipOf(r.src)}'s packets on its other connections`;
  }
  if (ttls.length === 0) return [`no other packet of the ${who} at ${at} to compare the TTL with`];
  if (ttls.includes(r.pkt.ttl)) return [`TTL ${r.pkt.ttl} matches ${whose} at ${at}`];
  return [`TTL ${r.pkt.ttl} at ${at}, but ${whose} arrive there with TTL ${ttls.join('/')}: not sent by the ${who}'s own stack`];
}

const TTLS = new WeakMap<PointIndex, Map<string, Set<number>>>();

/** TTLs of each address's packets (RSTs excepted) at one point, over all its connections. */
function hostTtls(p: PointIndex): Map<string, Set<number>> {
  let m = TTLS.get(p);
  if (m) return m;
  m = new Map();
  for (const c of p.conns) {
    for (const [ep, ttls] of [[c.client, c.ttlC], [c.server, c.ttlS]] as const) {
      const set = m.get(ipOf(ep)) ?? new Set<number>();
      for (const t of ttlList(ttls)) if (set.size < 4) set.add(t);
      m.set(ipOf(ep), set);
    }
  }
  TTLS.set(p, m);
  return m;
}

function natEvidence(g: ConnGroup, points: PointIndex[]): string | null {
  const present = g.members.filter((m): m is PointConn => m !== null);
  const tuples = new Set(present.map((m) => m.tuple));
  if (tuples.size < 2) return null;
  const parts = present.map((m) => `${m.client} <-> ${m.server} at ${points[m.point]!.name}`);
  return `addresses differ between points (NAT): ${parts.join('; ')}; matched by SYN sequence numbers and packet fingerprints`;
}

/** A RST seen at one point and not at the next one on its way (that was capturing the connection). */
function droppedRst(cl: Cluster, way: number[], g: ConnGroup, points: PointIndex[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < way.length; i++) {
    const x = way[i]!;
    const y = way[i + 1]!;
    if (cl.rsts[x] && !cl.rsts[y] && g.members[y]) out.push(`the RST was lost between ${points[x]!.name} and ${points[y]!.name}`);
  }
  return out;
}

/** RST+ACK acknowledging the client's SYN, the server never having answered it: a reject of a connection attempt. */
function answersSyn(r: PointRst, g: ConnGroup, pos: number): boolean {
  const m = g.members[pos]!;
  const fromServer = !r.pkt.fromClient;
  return fromServer && (r.pkt.flags & ACK) !== 0 && m.isnC !== null && m.isnS === null && r.pkt.ack === seqAdd(m.isnC, 1);
}

function ms(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const v = s * 1000;
  return `${v >= 0 ? '+' : ''}${Math.abs(v) < 10 ? v.toFixed(3) : v.toFixed(1)} ms`;
}
