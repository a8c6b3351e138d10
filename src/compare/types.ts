// What one capture point contributes to `locate`: a bounded index per connection, built in one streaming
// pass (src/compare/index-point.ts) and compared across points by match.ts, clock.ts and locate.ts.
import type { ResetRecord } from '../report/contract.js';
import type { SeqRanges } from './ranges.js';

/** One capture point, in path order. Times inside are seconds relative to `baseSec` (keeps µs/ns precision). */
export interface PointIndex {
  /** 0-based position on the path (the order the captures were listed in). */
  pos: number;
  name: string;
  file: string;
  /** Integer epoch second subtracted from every time in this index. */
  baseSec: number;
  /** First and last packet times (relative), NaN when the capture holds no packet. */
  first: number;
  last: number;
  packets: number;
  linktypes: number[];
  /** Largest captured length seen (a lower bound of the snaplen). */
  maxCaplen: number;
  conns: PointConn[];
  /** Consistently sampled packet fingerprints (same packets are picked at every point), key -> sample. */
  samples: Map<number, Sample | null>;
  /** Sampling level: a packet is kept when the low `level` bits of its hash are zero. */
  level: number;
  warnings: string[];
}

/** A connection as seen at one point (analyze's connection id, Zeek's roles). */
export interface PointConn {
  point: number;
  id: number;
  client: string;
  server: string;
  /** Canonical 4-tuple text (independent of direction). */
  tuple: string;
  ipVersion: 4 | 6;
  /** SYN sequence numbers of the client and the server, null when that SYN was not captured. */
  isnC: number | null;
  isnS: number | null;
  first: number;
  last: number;
  /** Last packet time from the client and from the server (NaN: none). */
  lastC: number;
  lastS: number;
  packetsC: number;
  packetsS: number;
  /** Distinct TTLs of the client's and the server's packets other than RSTs: up to 4, packed one per byte (ttlList). */
  ttlC: number;
  ttlS: number;
  /** Sequence space seen from the client ([0]) and from the server ([1]); SYN and FIN count as one byte. */
  ranges: [SeqRanges, SeqRanges];
  /** First packets of the connection (handshake), kept for matching without SYN and for the ladder. */
  head: readonly Pkt[];
  /** Packets kept for the ladder and loss evidence: last ones and windows around RSTs (only for connections of interest). */
  log: PktLog | null;
  rsts: PointRst[];
  /** Payload anchors: hash of (absolute seq that is a multiple of ANCHOR_EVERY, the 16 bytes there); null: none yet. */
  anchors: Set<number> | null;
}

/** One kept packet. */
export interface Pkt {
  frame: number;
  /** Position within the connection at this point (0 = its first packet): tells which kept packets are consecutive. */
  n: number;
  t: number;
  fromClient: boolean;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  ttl: number;
  ipId: number;
  /** Direction-free identity used across points: 53-bit hash of seq, ack, flags, length, IP ID (pktKey). */
  key: number;
}

export interface PktLog {
  recent: Pkt[];
  /** Packets before each RST (up to RECENT_PACKETS), the RST, and `open` more still to keep after it. */
  windows: Array<{ pkts: Pkt[]; open: number }>;
}

export interface Sample {
  conn: PointConn;
  pkt: Pkt;
}

/** A RST seen at one point, with the single-point verdict of `analyze` for it. */
export interface PointRst {
  conn: PointConn;
  pkt: Pkt;
  window: number;
  src: string;
  dst: string;
  record: ResetRecord | null;
}

/** Adds a TTL to a packed set of up to 4 (one byte each, 0 = free; a TTL of 0 is not recorded). */
export function addTtl(packed: number, ttl: number): number {
  for (let i = 0; i < 4; i++) {
    const b = (packed >>> (8 * i)) & 0xff;
    if (b === ttl) return packed;
    if (b === 0) return (packed | (ttl << (8 * i))) >>> 0;
  }
  return packed;
}

/** The TTLs of a packed set, in the order first seen. */
export function ttlList(packed: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    const b = (packed >>> (8 * i)) & 0xff;
    if (b) out.push(b);
  }
  return out;
}

export const ANCHOR_EVERY = 1024;
export const ANCHOR_BYTES = 16;
