// A bounded record of a connection's packets for diagrams and evidence: the handshake, the last packets
// before now, and a window around every RST (before and after), with cumulative counters so the
// packets in between can be folded ("... 1,234 packets, 1.6 MB, 3.2 s ...") without a second pass.

/** One kept packet. `cumPackets`/`cumBytes` count the connection's packets/payload up to and including it. */
export interface LoggedPacket {
  frame: number;
  time: number;
  fromOrig: boolean;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  window: number;
  ttl: number;
  ipId: number;
  df: boolean;
  cumPackets: number;
  cumBytes: number;
}

export const HEAD_PACKETS = 6;
export const RING_PACKETS = 32;
export const AFTER_RST_PACKETS = 32;
export const MAX_RST_WINDOWS = 8;

/** The packets kept around one RST: up to RING_PACKETS before it, the RST, and up to AFTER_RST_PACKETS after. */
export interface ResetWindow {
  rstFrame: number;
  packets: LoggedPacket[];
  /** Packets still to keep after the RST. */
  open: number;
}

/** Doubles per ring row: frame, time, fromOrig, flags, seq, ack, len, window, ttl, ipId, df, cumPackets, cumBytes. */
const ROW = 13;
/** First ring allocation in rows; doubles up to RING_PACKETS (most connections are short). */
const FIRST_ROWS = 8;

export class PacketLog {
  /** The first packets, once the ring has moved past them (empty while the ring still holds them). */
  readonly head: LoggedPacket[] = [];
  readonly windows: ResetWindow[] = [];
  /** The last RING_PACKETS packets as typed rows (no object per packet); null until the first packet. */
  private rows: Float64Array | null = null;
  private ringCount = 0;
  private ringNext = 0;
  packets = 0;
  bytes = 0;
  /** RST windows not kept because MAX_RST_WINDOWS was reached. */
  droppedWindows = 0;

  /** Records a packet; `isRst` opens a window around it. Fields are copied, the argument may be reused. */
  add(p: Omit<LoggedPacket, 'cumPackets' | 'cumBytes'>, isRst: boolean): void {
    this.packets++;
    this.bytes += p.len;
    // NOTE: hot path — one typed row per packet, objects only for the head and RST windows.
    let idx: number;
    if (this.ringCount < RING_PACKETS) {
      idx = this.ringCount++;
      const cap = this.rows === null ? 0 : this.rows.length / ROW;
      if (idx >= cap) {
        const bigger = new Float64Array(Math.min(RING_PACKETS, Math.max(FIRST_ROWS, cap * 2)) * ROW);
        if (this.rows !== null) bigger.set(this.rows);
        this.rows = bigger;
      }
    } else {
      // The ring is about to forget the first packets: keep the handshake apart (copied once).
      if (this.head.length === 0) for (let k = 0; k < HEAD_PACKETS; k++) this.head.push(this.row(k));
      idx = this.ringNext;
      this.ringNext = (this.ringNext + 1) % RING_PACKETS;
    }
    const r = this.rows!;
    const o = idx * ROW;
    r[o] = p.frame;
    r[o + 1] = p.time;
    r[o + 2] = p.fromOrig ? 1 : 0;
    r[o + 3] = p.flags;
    r[o + 4] = p.seq;
    r[o + 5] = p.ack;
    r[o + 6] = p.len;
    r[o + 7] = p.window;
    r[o + 8] = p.ttl;
    r[o + 9] = p.ipId;
    r[o + 10] = p.df ? 1 : 0;
    r[o + 11] = this.packets;
    r[o + 12] = this.bytes;
    for (const w of this.windows) {
      if (w.open > 0) {
        w.packets.push(this.row(idx));
        w.open--;
      }
    }
    if (isRst) {
      if (this.windows.length >= MAX_RST_WINDOWS) this.droppedWindows++;
      else this.windows.push({ rstFrame: p.frame, packets: this.recent(), open: AFTER_RST_PACKETS });
    }
  }

  private row(idx: number): LoggedPacket {
    const r = this.rows!;
    const o = idx * ROW;
    return {
      frame: r[o]!, time: r[o + 1]!, fromOrig: r[o + 2] === 1, flags: r[o + 3]!, seq: r[o + 4]!, ack: r[o + 5]!,
      len: r[o + 6]!, window: r[o + 7]!, ttl: r[o + 8]!, ipId: r[o + 9]!, df: r[o + 10] === 1,
      cumPackets: r[o + 11]!, cumBytes: r[o + 12]!,
    };
  }

  /** The last packets, oldest first (up to RING_PACKETS, ending with the latest), as fresh objects. */
  recent(): LoggedPacket[] {
    const out: LoggedPacket[] = [];
    const n = this.ringCount;
    const start = n < RING_PACKETS ? 0 : this.ringNext;
    for (let k = 0; k < n; k++) out.push(this.row((start + k) % RING_PACKETS));
    return out;
  }

  /** Packets are logged as "from the low endpoint"; once roles are final, turn that into "from the originator". */
  resolveSides(origIsLow: boolean): void {
    if (origIsLow) return;
    for (const p of this.head) p.fromOrig = !p.fromOrig;
    for (const w of this.windows) for (const p of w.packets) p.fromOrig = !p.fromOrig;
    const r = this.rows;
    if (r !== null) for (let k = 0; k < this.ringCount; k++) r[k * ROW + 2] = 1 - r[k * ROW + 2]!;
  }

  /** Every kept packet once, in frame order (head, RST windows, last packets). */
  kept(): LoggedPacket[] {
    const byFrame = new Map<number, LoggedPacket>();
    for (const p of this.head) byFrame.set(p.frame, p);
    for (const w of this.windows) for (const p of w.packets) byFrame.set(p.frame, p);
    for (const p of this.recent()) byFrame.set(p.frame, p);
    return [...byFrame.values()].sort((a, b) => a.frame - b.frame);
  }
}
