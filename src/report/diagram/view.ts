// What a ladder diagram shows, shared by the terminal and SVG renderers: the kept packets of a connection
// with relative time/seq/ack, and fold rows for the runs not shown ("... 1,234 packets, 1.6 MB, 3.2 s ...").
import { ACK } from '../../decode/packet.js';
import { seqDiff } from '../../decode/seq.js';
import type { Connection } from '../../flow/connection.js';
import type { LoggedPacket } from '../../flow/packet-log.js';
import { flagLetters } from '../flags.js';

/** What the analysis said about one RST, printed next to its arrow. */
export interface RstNote {
  frame: number;
  cause: string;
  origin: string;
}

export interface PacketRow {
  kind: 'packet';
  frame: number;
  /** Seconds since the connection's first packet. */
  time: number;
  fromClient: boolean;
  flags: string;
  /** Relative to the sender's ISN (or its first sequence number seen). */
  seq: number;
  /** Relative to the peer's ISN; null when the ACK flag is off. */
  ack: number | null;
  len: number;
  ttl: number;
  rst: boolean;
  /** The frame the diagram is centred on. */
  focus: boolean;
  note: RstNote | null;
}

export interface FoldRow {
  kind: 'fold';
  packets: number;
  bytes: number;
  /** Time between the packets shown on either side, null at the ends. */
  seconds: number | null;
  /** A focus frame that is inside this fold (not kept), else null. */
  holds: number | null;
}

export type DiagramRow = PacketRow | FoldRow;

export interface DiagramView {
  connection: number;
  stream: number | null;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  state: string;
  packets: number;
  bytes: number;
  duration: number;
  rows: DiagramRow[];
  /** RSTs whose surrounding packets were not kept (more RSTs than the log keeps windows for). */
  droppedWindows: number;
  /** Focus frames neither drawn nor inside a fold (the log skips exact duplicates of a packet). */
  undrawn: number[];
}

export interface ViewOptions {
  /** Frames to centre on (RSTs, or --frame); empty = handshake and end only. */
  focus: readonly number[];
  /** Packets shown on each side of a focus frame (default 12). */
  context?: number;
  /** First packets of the connection always shown (default 4: the handshake). */
  head?: number;
  /** Last packets always shown (default 2). */
  tail?: number;
  notes?: readonly RstNote[];
}

export const DEFAULT_CONTEXT = 12;

/** Builds the folded view of `conn` around `opts.focus` from its packet log (no second pass). */
export function diagramView(conn: Connection, opts: ViewOptions): DiagramView {
  const kept = conn.log.kept();
  const shown = pickShown(kept, opts);
  const bases = seqBases(conn, kept);
  const notes = new Map((opts.notes ?? []).map((n) => [n.frame, n]));
  const focus = new Set(opts.focus);
  const rows: DiagramRow[] = [];
  const fold = (packets: number, bytes: number, seconds: number | null, lo: number, hi: number): void => {
    if (packets <= 0) return;
    const holds = opts.focus.find((f) => f > lo && f < hi && !kept.some((k) => k.frame === f)) ?? null;
    rows.push({ kind: 'fold', packets, bytes, seconds, holds });
  };
  let prev: LoggedPacket | null = null;
  for (const i of shown) {
    const p = kept[i]!;
    if (prev === null) fold(p.cumPackets - 1, p.cumBytes - p.len, p.time - conn.firstTime, 0, p.frame);
    else fold(p.cumPackets - prev.cumPackets - 1, p.cumBytes - p.len - prev.cumBytes, p.time - prev.time, prev.frame, p.frame);
    rows.push(packetRow(p, conn.firstTime, bases, focus.has(p.frame), notes.get(p.frame) ?? null));
    prev = p;
  }
  if (prev !== null) fold(conn.log.packets - prev.cumPackets, conn.log.bytes - prev.cumBytes, null, prev.frame, Infinity);
  return {
    connection: conn.id, stream: conn.stream, client: conn.client, server: conn.server, state: conn.state,
    packets: conn.log.packets, bytes: conn.log.bytes, duration: Math.max(0, conn.lastTime - conn.firstTime),
    rows, droppedWindows: conn.log.droppedWindows,
    undrawn: opts.focus.filter((f) => !rows.some((r) => (r.kind === 'packet' ? r.frame === f : r.holds === f))),
  };
}

/** Indices of kept packets to draw: the head, `context` each side of every focus frame, the tail. */
function pickShown(kept: readonly LoggedPacket[], opts: ViewOptions): number[] {
  const ctx = opts.context ?? DEFAULT_CONTEXT;
  const head = opts.head ?? 4;
  const tail = opts.tail ?? 2;
  const on = new Set<number>();
  const add = (from: number, to: number): void => {
    for (let i = Math.max(0, from); i <= Math.min(kept.length - 1, to); i++) on.add(i);
  };
  for (let i = 0; i < kept.length && kept[i]!.cumPackets <= head; i++) on.add(i);
  add(kept.length - tail, kept.length - 1);
  for (const f of opts.focus) {
    let at = kept.findIndex((k) => k.frame >= f);
    if (at < 0) at = kept.length;
    if (kept[at]?.frame === f) add(at - ctx, at + ctx);
    else add(at - ctx, at + ctx - 1); // f is folded: show its neighbours
  }
  return [...on].sort((a, b) => a - b);
}

interface SeqBases {
  client: number | null;
  server: number | null;
}

/** ISN per side; without a SYN the first sequence number seen, else the peer's first ACK - 1. */
function seqBases(conn: Connection, kept: readonly LoggedPacket[]): SeqBases {
  const first = (fromClient: boolean): number | null => {
    const own = kept.find((p) => p.fromOrig === fromClient);
    if (own) return own.seq;
    const acked = kept.find((p) => p.fromOrig !== fromClient && (p.flags & ACK) !== 0);
    return acked ? (acked.ack - 1) >>> 0 : null;
  };
  return { client: conn.orig.isn ?? first(true), server: conn.resp.isn ?? first(false) };
}

function packetRow(p: LoggedPacket, t0: number, b: SeqBases, focus: boolean, note: RstNote | null): PacketRow {
  const own = p.fromOrig ? b.client : b.server;
  const peer = p.fromOrig ? b.server : b.client;
  const flags = flagLetters(p.flags);
  return {
    kind: 'packet', frame: p.frame, time: Math.max(0, p.time - t0), fromClient: p.fromOrig, flags,
    seq: own === null ? p.seq : seqDiff(p.seq, own),
    ack: p.flags & ACK ? (peer === null ? p.ack : seqDiff(p.ack, peer)) : null,
    len: p.len, ttl: p.ttl, rst: flags.includes('R'), focus, note,
  };
}
