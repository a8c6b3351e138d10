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
import { ANCHOR_BYTES, ANCHOR_EVERY, type PktLog, type PointConn, type PointIndex, type Pkt } from './types.js';

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

/** Direction-free packet identity across points: survives NAT (addresses and ports are not part of it). */
export function pktKey(seq: number, ack: number, flags: number, len: number, ipId: number): string {
  return `${seq}:${ack}:${flags & 0x3f}:${len}:${ipId}`;
}

export const HEAD_PACKETS = 6;
export const RECENT_PACKETS = 16;
export const AFTER_RST = 8;
export const MAX_WINDOWS = 4;
const MAX_ANCHORS = 16;
const MAX_TTLS = 4;

class Builder {
  private readonly byId = new Map<number, PointConn>();
  private mask = 0;

  constructor(
    private readonly idx: PointIndex, private readonly fp: FirstPass, private readonly interest: Interest,
    private readonly maxSamples: number,
  ) {}

  packet(p: Packet, frame: number, t: number): void {
    const src = endpoint(formatAddress(p.buf, p.srcOff, p.ipVersion), p.sport);
    const dst = endpoint(formatAddress(p.buf, p.dstOff, p.ipVersion), p.dport);
    const span = findSpan(this.fp.byTuple.get(tupleOf(src, dst)), frame);
    if (!span) return;
    const c = this.conn(span, src, dst, p.ipVersion, t);
    const fromClient = src === span.client;
    const f = p.flags;
    if (f & SYN && (this.interest.isns.has(p.seq) || this.interest.tuples.has(c.tuple))) c.log ??= { recent: [], windows: [] };
    if (f & SYN && fromClient) c.isnC ??= p.seq;
    else if (f & SYN) c.isnS ??= p.seq;
    const len = f & RST ? 0 : p.payloadLen;
    const pk: Pkt = {
      frame, n: c.packetsC + c.packetsS, t, fromClient, flags: f, seq: p.seq, ack: p.ack, len, ttl: p.ttl, ipId: p.ipId,
      key: pktKey(p.seq, p.ack, f, len, p.ipId),
    };
    c.last = t;
    if (fromClient) {
      c.lastC = t;
      c.packetsC++;
    } else {
      c.lastS = t;
      c.packetsS++;
    }
    if (c.head.length < HEAD_PACKETS) c.head.push(pk);
    if (f & RST) {
      c.log ??= { recent: [], windows: [] };
      c.rsts.push({ conn: c, pkt: pk, window: p.window, src, dst, record: this.fp.resets.get(frame) ?? null });
    } else {
      const ttls = fromClient ? c.ttlC : c.ttlS;
      if (!ttls.includes(p.ttl) && ttls.length < MAX_TTLS) ttls.push(p.ttl);
      c.ranges[fromClient ? 0 : 1].add(p.seq, len + (f & SYN ? 1 : 0) + (f & FIN ? 1 : 0));
      if (len > 0 && c.anchors.size < MAX_ANCHORS) addAnchors(c, p);
      this.sample(c, pk);
    }
    if (c.log) logPacket(c.log, pk);
  }

  private conn(span: ConnSpan, src: string, dst: string, v: 4 | 6, t: number): PointConn {
    let c = this.byId.get(span.id);
    if (c) return c;
    const tuple = tupleOf(src, dst);
    c = {
      point: this.idx.pos, id: span.id, client: span.client, server: span.server, tuple, ipVersion: v,
      isnC: null, isnS: null, first: t, last: t, lastC: NaN, lastS: NaN, packetsC: 0, packetsS: 0,
      ttlC: [], ttlS: [], ranges: [new SeqRanges(), new SeqRanges()], head: [],
      log: this.interest.tuples.has(tuple) ? { recent: [], windows: [] } : null, rsts: [], anchors: new Map(),
    };
    this.byId.set(span.id, c);
    this.idx.conns.push(c);
    return c;
  }

  /** Consistent sampling: the same packets are kept at every point, whatever each point's level ends at. */
  private sample(c: PointConn, pk: Pkt): void {
    if ((hashKey(pk.key) & this.mask) !== 0) return;
    const s = this.idx.samples;
    // A fingerprint seen twice at one point (retransmission without IP ID, duplicate capture) is ambiguous.
    s.set(pk.key, s.has(pk.key) ? null : { conn: c, pkt: pk });
    if (s.size <= this.maxSamples) return;
    this.idx.level++;
    this.mask = (1 << this.idx.level) - 1;
    for (const k of [...s.keys()]) if ((hashKey(k) & this.mask) !== 0) s.delete(k);
  }
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

/** Hashes of the 16 payload bytes at every absolute seq that is a multiple of ANCHOR_EVERY. */
function addAnchors(c: PointConn, p: Packet): void {
  let off = (ANCHOR_EVERY - (p.seq % ANCHOR_EVERY)) % ANCHOR_EVERY;
  for (; off + ANCHOR_BYTES <= p.capturedPayloadLen && c.anchors.size < MAX_ANCHORS; off += ANCHOR_EVERY) {
    let h = 0x811c9dc5;
    for (let i = 0; i < ANCHOR_BYTES; i++) h = Math.imul(h ^ (p.buf[p.payloadOff + off + i] ?? 0), 0x01000193);
    c.anchors.set(String((p.seq + off) >>> 0), h >>> 0);
  }
}

/** 32-bit FNV-1a of a fingerprint key (sampling decision; identical at every point). */
export function hashKey(k: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
