// Builds the index of one capture point in two streaming passes: `analyze` (connections, RSTs and their
// single-point causes) and one pass of our own that keeps, per connection, a bounded summary for matching.
import { readCapture } from '../capture/read.js';
import { formatAddress } from '../decode/address.js';
import { decodePacket } from '../decode/decode-packet.js';
import { FIN, KIND_TCP, RST, SYN, newPacket, type Packet } from '../decode/packet.js';
import { analyzeCapture } from '../pipeline/analyze-capture.js';
import type { CaptureInfo, ConnectionRecord, ResetRecord } from '../report/contract.js';
import type { OutputSink } from '../report/sink.js';
import { SeqRanges } from './ranges.js';
import { ANCHOR_BYTES, ANCHOR_EVERY, addTtl, type PktLog, type PointConn, type PointIndex, type Pkt } from './types.js';

export interface IndexOptions {
  idleTimeout: number;
  chunkSize?: number;
  /** Global bound on sampled fingerprints per point (default 65536). */
  maxSamples?: number;
}

/** What `analyze` says about one point: connection spans (to map packets to connections) and RSTs. */
export interface FirstPass {
  name: string;
  file: string;
  info: CaptureInfo;
  byTuple: Map<string, ConnSpan[]>;
  resets: Map<number, ResetRecord>;
  /** Tuples and ISNs of connections with a RST here: other points keep packet logs for them. */
  interest: Interest;
}

export interface ConnSpan {
  id: number;
  client: string;
  server: string;
  firstFrame: number;
  lastFrame: number;
}

export interface Interest {
  tuples: Set<string>;
  isns: Set<number>;
}

/** Pass 1: `analyze` of the capture, keeping connection spans and RST records. */
export async function firstPass(name: string, file: string, opts: IndexOptions): Promise<FirstPass> {
  const byTuple = new Map<string, ConnSpan[]>();
  const resets = new Map<number, ResetRecord>();
  const interest: Interest = { tuples: new Set(), isns: new Set() };
  let info: CaptureInfo | undefined;
  const sink: OutputSink = {
    connection(c: ConnectionRecord) {
      const client = endpoint(c.client.ip, c.client.port);
      const server = endpoint(c.server.ip, c.server.port);
      const tuple = tupleOf(client, server);
      const list = byTuple.get(tuple) ?? [];
      list.push({ id: c.id, client, server, firstFrame: c.first_frame, lastFrame: c.last_frame });
      byTuple.set(tuple, list);
      if (c.resets > 0) {
        interest.tuples.add(tuple);
        for (const isn of [c.client_stats.isn, c.server_stats.isn]) if (isn !== null) interest.isns.add(isn);
      }
    },
    reset: (r: ResetRecord) => void resets.set(r.frame, r),
    finding: () => undefined,
    capture: (i: CaptureInfo) => void (info = i),
    end: () => undefined,
  };
  const res = await analyzeCapture(file, file, {
    verifyChecksums: false, idleTimeout: opts.idleTimeout, ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}),
  }, sink);
  return { name, file, info: info ?? res.info, byTuple, resets, interest };
}

/** Pass 2: the bounded per-connection index (see PointIndex); `interest` merges every point's pass 1. */
export async function secondPass(pos: number, fp: FirstPass, interest: Interest, opts: IndexOptions): Promise<PointIndex> {
  const idx: PointIndex = {
    pos, name: fp.name, file: fp.file, baseSec: NaN, first: NaN, last: NaN, packets: 0, linktypes: [],
    maxCaplen: 0, conns: [], samples: new Map(), level: 0, warnings: [...fp.info.warnings],
  };
  const b = new Builder(idx, fp, interest, opts.maxSamples ?? 65536);
  const pkt = newPacket();
  const decodeOpts = { verifyChecksums: false };
  for await (const rec of readCapture(fp.file, opts.chunkSize ? { chunkSize: opts.chunkSize } : {})) {
    if (Number.isNaN(idx.baseSec)) idx.baseSec = rec.tsSec;
    const t = rec.tsSec - idx.baseSec + rec.tsNsec / 1e9;
    if (Number.isNaN(idx.first)) idx.first = t;
    idx.last = t;
    idx.packets++;
    if (rec.data.length > idx.maxCaplen) idx.maxCaplen = rec.data.length;
    if (!idx.linktypes.includes(rec.linktype)) idx.linktypes.push(rec.linktype);
    decodePacket(rec.data, rec.linktype, pkt, decodeOpts);
    if (pkt.kind === KIND_TCP) b.packet(pkt, rec.frame, t);
  }
  if (Number.isNaN(idx.baseSec)) idx.baseSec = 0;
  return idx;
}

/** "ip:port", bracketing IPv6 addresses. */
export function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Direction-free identity of a 4-tuple. */
export function tupleOf(a: string, b: string): string {
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

/**
 * Direction-free packet identity across points, a 53-bit hash of seq, ack, flags, length and IP ID:
 * NAT keeps all of them (addresses and ports are not part of it).
 */
export function pktKey(seq: number, ack: number, flags: number, len: number, ipId: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  h1 = Math.imul(h1 ^ seq, 0x01000193);
  h2 = mix(h2 ^ seq);
  h1 = Math.imul(h1 ^ ack, 0x01000193);
  h2 = mix(h2 ^ ack);
  h1 = Math.imul(h1 ^ (flags & 0x3f), 0x01000193);
  h2 = mix(h2 ^ (flags & 0x3f));
  h1 = Math.imul(h1 ^ len, 0x01000193);
  h2 = mix(h2 ^ len);
  h1 = Math.imul(h1 ^ ipId, 0x01000193);
  h2 = mix(h2 ^ ipId);
  return (h1 >>> 0) * LOW + (h2 >>> 11);
}

/** The low 21 bits of a key: what consistent sampling looks at. */
export const LOW = 0x200000;

function mix(h: number): number {
  h = Math.imul(h, 0x5bd1e995);
  return h ^ (h >>> 15);
}

export const HEAD_PACKETS = 4;
export const RECENT_PACKETS = 12;
export const AFTER_RST = 6;
export const MAX_WINDOWS = 2;
const MAX_ANCHORS = 16;

interface Route {
  /** Destination address and port as one number (IPv4 cache key). */
  to: number;
  src: string;
  dst: string;
  spans: ConnSpan[] | undefined;
}

class Builder {
  private readonly byId = new Map<number, PointConn>();
  /** IPv4 (source address, port) -> its route(s) by destination, one per connection and direction. */
  private readonly routes = new Map<number, Route | Map<number, Route>>();
  private mask = 0;

  constructor(
    private readonly idx: PointIndex, private readonly fp: FirstPass, private readonly interest: Interest,
    private readonly maxSamples: number,
  ) {}

  packet(p: Packet, frame: number, t: number): void {
    const { src, dst, spans } = this.route(p);
    const span = findSpan(spans, frame);
    if (!span) return;
    const c = this.conn(span, src, dst, p.ipVersion, t);
    const fromClient = src === span.client;
    const f = p.flags;
    if (f & SYN) {
      if (fromClient) c.isnC ??= p.seq;
      else c.isnS ??= p.seq;
      if (this.interest.isns.has(p.seq)) c.log ??= { recent: [], windows: [] };
    }
    if (f & RST) c.log ??= { recent: [], windows: [] };
    const len = f & RST ? 0 : p.payloadLen;
    const key = pktKey(p.seq, p.ack, f, len, p.ipId);
    const sampled = !(f & RST) && (key % LOW & this.mask) === 0;
    // Only the packets something keeps become objects (the head, the log, samples, RSTs).
    const pk: Pkt | null = c.head.length < HEAD_PACKETS || c.log || sampled
      ? { frame, n: c.packetsC + c.packetsS, t, fromClient, flags: f, seq: p.seq, ack: p.ack, len, ttl: p.ttl, ipId: p.ipId, key }
      : null;
    c.last = t;
    if (fromClient) {
      c.lastC = t;
      c.packetsC++;
    } else {
      c.lastS = t;
      c.packetsS++;
    }
    if (pk && c.head.length < HEAD_PACKETS) c.head = [...c.head, pk]; // exact-size arrays: a push reserves 17 slots
    if (pk && f & RST) {
      c.rsts.push({ conn: c, pkt: pk, window: p.window, src, dst, record: this.fp.resets.get(frame) ?? null });
    } else if (!(f & RST)) {
      if (fromClient) c.ttlC = addTtl(c.ttlC, p.ttl);
      else c.ttlS = addTtl(c.ttlS, p.ttl);
      c.ranges[fromClient ? 0 : 1].add(p.seq, len + (f & SYN ? 1 : 0) + (f & FIN ? 1 : 0));
      if (len > 0 && (c.anchors?.size ?? 0) < MAX_ANCHORS) addAnchors(c, p);
      if (pk && sampled) this.sample(c, pk);
    }
    if (pk && c.log) logPacket(c.log, pk);
  }

  /** Endpoints and connections of a packet's 4-tuple and direction; IPv4 ones cached by number (no text per packet). */
  private route(p: Packet): Route {
    if (p.ipVersion === 6) return this.newRoute(p, 0);
    const a = ip32(p.buf, p.srcOff) * 65536 + p.sport;
    const b = ip32(p.buf, p.dstOff) * 65536 + p.dport;
    const had = this.routes.get(a);
    if (had instanceof Map) {
      let r = had.get(b);
      if (!r) had.set(b, (r = this.newRoute(p, b)));
      return r;
    }
    if (had?.to === b) return had;
    // One route per source address and port is the rule (ephemeral ports); a map when it has several (servers).
    const r = this.newRoute(p, b);
    this.routes.set(a, had === undefined ? r : new Map([[had.to, had], [b, r]]));
    return r;
  }

  private newRoute(p: Packet, to: number): Route {
    const src = endpoint(formatAddress(p.buf, p.srcOff, p.ipVersion), p.sport);
    const dst = endpoint(formatAddress(p.buf, p.dstOff, p.ipVersion), p.dport);
    return { to, src, dst, spans: this.fp.byTuple.get(tupleOf(src, dst)) };
  }

  private conn(span: ConnSpan, src: string, dst: string, v: 4 | 6, t: number): PointConn {
    let c = this.byId.get(span.id);
    if (c) return c;
    const tuple = tupleOf(src, dst);
    c = {
      point: this.idx.pos, id: span.id, client: span.client, server: span.server, tuple, ipVersion: v,
      isnC: null, isnS: null, first: t, last: t, lastC: NaN, lastS: NaN, packetsC: 0, packetsS: 0,
      ttlC: 0, ttlS: 0, ranges: [new SeqRanges(), new SeqRanges()], head: [],
      log: this.interest.tuples.has(tuple) ? { recent: [], windows: [] } : null, rsts: [], anchors: null,
    };
    this.byId.set(span.id, c);
    this.idx.conns.push(c);
    return c;
  }

  /** Consistent sampling: the same packets are kept at every point, whatever each point's level ends at. */
  private sample(c: PointConn, pk: Pkt): void {
    const s = this.idx.samples;
    // A fingerprint seen twice at one point (retransmission without IP ID, duplicate capture) is ambiguous.
    s.set(pk.key, s.has(pk.key) ? null : { conn: c, pkt: pk });
    if (s.size <= this.maxSamples) return;
    this.idx.level++;
    this.mask = (1 << this.idx.level) - 1;
    for (const k of [...s.keys()]) if ((k % LOW & this.mask) !== 0) s.delete(k);
  }
}

function ip32(b: Uint8Array, off: number): number {
  return (((b[off] ?? 0) << 24) | ((b[off + 1] ?? 0) << 16) | ((b[off + 2] ?? 0) << 8) | (b[off + 3] ?? 0)) >>> 0;
}

function findSpan(list: ConnSpan[] | undefined, frame: number): ConnSpan | undefined {
  if (!list) return undefined;
  for (const s of list) if (frame >= s.firstFrame && frame <= s.lastFrame) return s;
  return undefined;
}

function logPacket(log: PktLog, pk: Pkt): void {
  for (const w of log.windows) if (w.open > 0) (w.pkts.push(pk), w.open--);
  if (pk.flags & RST && log.windows.length < MAX_WINDOWS) log.windows.push({ pkts: [...log.recent, pk], open: AFTER_RST });
  log.recent.push(pk);
  if (log.recent.length > RECENT_PACKETS) log.recent.shift();
}

/** Hashes of the 16 payload bytes at every absolute seq that is a multiple of ANCHOR_EVERY, with that seq. */
function addAnchors(c: PointConn, p: Packet): void {
  let off = (ANCHOR_EVERY - (p.seq % ANCHOR_EVERY)) % ANCHOR_EVERY;
  for (; off + ANCHOR_BYTES <= p.capturedPayloadLen && (c.anchors?.size ?? 0) < MAX_ANCHORS; off += ANCHOR_EVERY) {
    let h = mix(0x811c9dc5 ^ ((p.seq + off) >>> 0));
    for (let i = 0; i < ANCHOR_BYTES; i++) h = Math.imul(h ^ (p.buf[p.payloadOff + off + i] ?? 0), 0x01000193);
    (c.anchors ??= new Set()).add((mix(h) >>> 0) * LOW + ((p.seq + off) % LOW));
  }
}
