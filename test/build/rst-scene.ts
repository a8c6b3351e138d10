// Test helper for the per-rule and per-signature unit tests: scripts a tiny capture packet by packet (every IP
// and TCP field a rule or signature reads can be set: TTL, IP ID, DF, window, options), and runs it through the
// real analysis (decode -> track -> explain, the stages analyzeCapture wires) in memory, returning each RST's
// explanation with the signatures that fired. `bytes()` gives the same packets as a pcap file.
import { Analyzer } from '../../src/analyze/analyzer.js';
import type { Explained } from '../../src/analyze/classify.js';
import { decodeFrame } from '../../src/decode/decode-packet.js';
import { newPacket } from '../../src/decode/packet.js';
import { Tracker } from '../../src/flow/tracker.js';
import { pcap, type PcapPacket } from './capture-builders.js';
import { eth, ipv4 } from './packet-builders.js';
import { opt, tcp } from './packet-transport.js';

export interface Host {
  ip: string;
  port: number;
}

export interface PktOpts {
  seq: number;
  ack?: number;
  /** Payload length (deterministic bytes) or the bytes. */
  data?: number | Uint8Array;
  window?: number;
  ttl?: number;
  /** IPv4 ID; default: the sending address's own counter (+1 per packet). */
  ipId?: number;
  /** Default true. */
  df?: boolean;
  /** Seconds since the previous packet (default 0.001). */
  gap?: number;
  /** Raw TCP option bytes. */
  options?: number[];
}

/** Linux-like SYN options: MSS, SACK permitted, timestamps, window scale 7. */
export const LINUX_SYN_OPTIONS = [...opt.mss(1460), ...opt.sackPerm(), ...opt.ts(1000, 0), ...opt.nop(), ...opt.ws(7)];
/** nmap's SYN: MSS only (with window 1024, no DF). */
export const NMAP_SYN_OPTIONS = [...opt.mss(1460)];

export interface RstVerdict extends Explained {
  frame: number;
  /** Connection id the RST belongs to. */
  connection: number;
  sigs: string[];
}

export interface SceneResult {
  resets: RstVerdict[];
  /** The verdict of the RST in `frame` (throws when that frame is no RST). */
  at(frame: number): RstVerdict;
  /** One line per connection ("reset by the server: port-closed"). */
  connectionVerdicts: Array<string | null>;
}

/** A capture under construction: frames are numbered from 1 in the order they are added. */
export class Scene {
  private readonly frames: Array<{ us: number; data: Uint8Array }> = [];
  private us = 1_700_000_000 * 1_000_000;
  private readonly counters = new Map<string, number>();

  /** Appends one TCP/IPv4 segment with flags like "S", "SA", "A", "PA", "FA", "R", "RA"; returns its frame number. */
  pkt(src: Host, dst: Host, flags: string, o: PktOpts): number {
    this.us += Math.round((o.gap ?? 0.001) * 1e6);
    const payload = typeof o.data === 'number' ? fill(o.data) : o.data ?? new Uint8Array(0);
    const seg = tcp({
      sport: src.port, dport: dst.port, seq: o.seq >>> 0, ack: (o.ack ?? 0) >>> 0, flags, window: o.window ?? 64240, payload,
      ...(o.options ? { options: o.options } : {}),
    });
    let id = o.ipId;
    if (id === undefined) {
      id = this.counters.get(src.ip) ?? 1000 + 257 * (this.counters.size + 1);
      this.counters.set(src.ip, (id + 1) & 0xffff);
    }
    const ip = ipv4({ src: src.ip, dst: dst.ip, ttl: o.ttl ?? 64, id, df: o.df ?? true }, seg);
    this.frames.push({ us: this.us, data: eth(ip) });
    return this.frames.length;
  }

  /** Moves the clock on without a packet. */
  wait(seconds: number): this {
    this.us += Math.round(seconds * 1e6);
    return this;
  }

  /** The packets as a classic pcap (Ethernet, microseconds). */
  bytes(): Uint8Array {
    const packets: PcapPacket[] = this.frames.map((f) => ({ sec: Math.floor(f.us / 1e6), frac: f.us % 1e6, data: f.data }));
    return pcap({ linktype: 1 }, packets);
  }

  /** Runs the analysis over the packets: every RST's verdict. */
  run(o: { idleMin?: number; idleTimeout?: number } = {}): SceneResult {
    const resets: RstVerdict[] = [];
    const connectionVerdicts: Array<string | null> = [];
    const analyzer = new Analyzer((x) => {
      x.done.resets.forEach((r, i) => {
        const v = x.verdicts[i]!;
        resets.push({ ...v, frame: r.frame, connection: x.done.conn.id, sigs: v.signatures.map((s) => s.id) });
      });
      connectionVerdicts.push(x.verdict);
      tracker.release(x.done.conn);
    }, undefined, o.idleMin);
    const tracker = new Tracker({ idleTimeout: o.idleTimeout ?? 300, keepLogs: false, callerReleases: true }, (done) => analyzer.finished(done));
    const p = newPacket();
    this.frames.forEach((f, i) => {
      decodeFrame(f.data, 0, f.data.length, 1, p, { verifyChecksums: false });
      const sec = Math.floor(f.us / 1e6);
      tracker.packet(p, i + 1, sec, (f.us % 1e6) * 1000, 6);
    });
    tracker.flush();
    analyzer.flush();
    resets.sort((a, b) => a.frame - b.frame);
    return {
      resets, connectionVerdicts,
      at(frame: number): RstVerdict {
        const v = resets.find((x) => x.frame === frame);
        if (!v) throw new Error(`frame ${frame} is not a RST (RSTs: ${resets.map((x) => x.frame).join(', ')})`);
        return v;
      },
    };
  }
}

function fill(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = 0x61 + (i % 26);
  return b;
}

/** The frames an evidence list cites (its display filter line names them all). */
export function citedFrames(evidence: readonly string[]): number[] {
  const filter = evidence.at(-1) ?? '';
  const m = /frame\.number (?:== (\d+)|in \{([\d, ]+)\})/.exec(filter);
  if (!m) return [];
  return (m[1] ?? m[2]!).split(',').map((s) => Number(s.trim()));
}

/** One connection's conversation on a Scene: tracks both sides' next sequence numbers and TTLs. */
export class Conv {
  /** Next sequence number of the client and of the server. */
  c: number;
  s: number;
  readonly ttl: { client: number; server: number };

  constructor(
    readonly scene: Scene, readonly client: Host, readonly server: Host,
    o: { cIsn?: number; sIsn?: number; ttlClient?: number; ttlServer?: number } = {},
  ) {
    this.c = o.cIsn ?? 1000;
    this.s = o.sIsn ?? 5000;
    this.ttl = { client: o.ttlClient ?? 64, server: o.ttlServer ?? 62 };
  }

  /**
   * One segment; seq is the sender's next sequence number and ack the peer's (when the flags carry A) unless
   * given. SYN, FIN and payload advance the sender (RSTs never do). `len` is the payload length.
   */
  send(fromClient: boolean, flags: string, o: Partial<PktOpts> & { len?: number } = {}): number {
    const seq = o.seq ?? (fromClient ? this.c : this.s);
    const ack = o.ack ?? (flags.includes('A') ? (fromClient ? this.s : this.c) : 0);
    const len = o.len ?? 0;
    const frame = this.scene.pkt(fromClient ? this.client : this.server, fromClient ? this.server : this.client, flags, {
      ttl: fromClient ? this.ttl.client : this.ttl.server, ...o, seq, ack, ...(len > 0 ? { data: len } : {}),
    });
    if (!flags.includes('R')) {
      const end = (seq + len + (flags.includes('S') ? 1 : 0) + (flags.includes('F') ? 1 : 0)) >>> 0;
      if (fromClient && (end - this.c) << 0 > 0) this.c = end;
      if (!fromClient && (end - this.s) << 0 > 0) this.s = end;
    }
    return frame;
  }

  cli(flags: string, o: Partial<PktOpts> & { len?: number } = {}): number {
    return this.send(true, flags, o);
  }

  srv(flags: string, o: Partial<PktOpts> & { len?: number } = {}): number {
    return this.send(false, flags, o);
  }

  /** SYN (Linux options), SYN/ACK (Linux options, IP ID 0), ACK: the three frames. */
  handshake(o: { gap?: number; rtt?: number } = {}): [number, number, number] {
    const rtt = o.rtt ?? 0.001;
    const syn = this.send(true, 'S', { options: LINUX_SYN_OPTIONS, ...(o.gap !== undefined ? { gap: o.gap } : {}) });
    const synAck = this.send(false, 'SA', { options: LINUX_SYN_OPTIONS, ipId: 0, gap: rtt });
    const ack = this.send(true, 'A', { gap: 0.0002 });
    return [syn, synAck, ack];
  }

  /** A request from the client and the server's response (each ACKed by the data that follows). */
  exchange(size = 100, gap = 0.01): [number, number] {
    const req = this.send(true, 'PA', { len: size, gap });
    const resp = this.send(false, 'PA', { len: size, gap });
    return [req, resp];
  }
}

/** The confidence of a rule's level for an endpoint RST with no signature: scaled by 1 - P(forged) at the prior. */
export function endpointConfidence(level: number): number {
  const prior = 1 / (1 + Math.exp(4));
  return Math.round(level * (1 - prior) * 100) / 100;
}
