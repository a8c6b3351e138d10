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

export class PacketLog {
  /** The first packets, once the ring has moved past them (empty while the ring still holds them). */
  readonly head: LoggedPacket[] = [];
  readonly windows: ResetWindow[] = [];
  private readonly ring: LoggedPacket[] = [];
  private ringNext = 0;
  packets = 0;
  bytes = 0;
  /** RST windows not kept because MAX_RST_WINDOWS was reached. */
  droppedWindows = 0;

  /** Records a packet; `isRst` opens a window around it. Fields are copied, the argument may be reused. */
  add(p: Omit<LoggedPacket, 'cumPackets' | 'cumBytes'>, isRst: boolean): void {
    this.packets++;
    this.bytes += p.len;
    // NOTE: hot path — the ring reuses its objects once full.
    let slot: LoggedPacket;
    if (this.ring.length < RING_PACKETS) {
      slot = { ...p, cumPackets: 0, cumBytes: 0 };
      this.ring.push(slot);
    } else {
      // The ring is about to forget the first packets: keep the handshake apart (copied once, not per packet).
      if (this.head.length === 0) for (let i = 0; i < HEAD_PACKETS; i++) this.head.push({ ...this.ring[i]! });
      slot = this.ring[this.ringNext]!;
      Object.assign(slot, p);
      this.ringNext = (this.ringNext + 1) % RING_PACKETS;
    }
    slot.cumPackets = this.packets;
    slot.cumBytes = this.bytes;
    for (const w of this.windows) {
      if (w.open > 0) {
        w.packets.push({ ...slot });
        w.open--;
      }
    }
    if (isRst) {
      if (this.windows.length >= MAX_RST_WINDOWS) this.droppedWindows++;
      else this.windows.push({ rstFrame: p.frame, packets: this.recent().map((x) => ({ ...x })), open: AFTER_RST_PACKETS });
    }
  }

  /** The last packets, oldest first (up to RING_PACKETS, ending with the latest). */
  recent(): LoggedPacket[] {
    if (this.ring.length < RING_PACKETS) return this.ring.slice();
    return [...this.ring.slice(this.ringNext), ...this.ring.slice(0, this.ringNext)];
  }

  /** Packets are logged as "from the low endpoint"; once roles are final, turn that into "from the originator". */
  resolveSides(origIsLow: boolean): void {
    if (origIsLow) return;
    const seen = new Set<LoggedPacket>();
    const flip = (p: LoggedPacket): void => {
      if (seen.has(p)) return;
      seen.add(p);
      p.fromOrig = !p.fromOrig;
    };
    this.head.forEach(flip);
    for (const w of this.windows) w.packets.forEach(flip);
    this.ring.forEach(flip);
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
