// A bounded record of a connection's packets for diagrams and evidence: the handshake, the last packets
// before now, and a window around every RST (before and after), with cumulative counters so the
// packets in between can be folded ("... 1,234 packets, 1.6 MB, 3.2 s ...") without a second pass.
// While a connection is live its rows sit in a shared PacketStore (packed typed arrays, blocks reused
// from one connection to the next): no object and no typed array is allocated per packet or per connection.

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

/** Rows per block; a connection's first block keeps its first BLOCK packets for good (the handshake). */
const BLOCK = 8;
/** Uint32 words per row: frame, seq, ack, len, meta (flags | fromLow | df | ttl | ipId-less), window | ipId (cumPackets is the row's packet number). */
const U32 = 6;
/** Float64 words per row: time, cumBytes. */
const F64 = 2;
const FLAG_BITS = 0x1ff; // nine TCP flags (NS included)
const META_FROM = 1 << 9;
const META_DF = 1 << 10;
const META_NO_IPID = 1 << 11;

/** Rows a page holds (2,048 blocks; 640 KB): pages are added, never copied, so growing costs no spike. */
const PAGE_SHIFT = 14;
const PAGE_MASK = (1 << PAGE_SHIFT) - 1;

/** Packed rows for every live connection's log, in blocks of BLOCK rows on fixed-size pages, with a free list. */
export class PacketStore {
  readonly u32: Uint32Array[] = [];
  readonly f64: Float64Array[] = [];
  private free = new Int32Array(1024);
  private freeCount = 0;
  private blocks = 0;
  /** Blocks in use (for tests and the memory figures). */
  used = 0;

  allocate(): number {
    this.used++;
    if (this.freeCount > 0) return this.free[--this.freeCount]!;
    const b = this.blocks++;
    if (((b * BLOCK) >>> PAGE_SHIFT) >= this.u32.length) {
      this.u32.push(new Uint32Array((1 << PAGE_SHIFT) * U32));
      this.f64.push(new Float64Array((1 << PAGE_SHIFT) * F64));
    }
    return b;
  }

  release(b: number): void {
    this.used--;
    if (this.freeCount === this.free.length) {
      const bigger = new Int32Array(this.free.length * 2);
      bigger.set(this.free);
      this.free = bigger;
    }
    this.free[this.freeCount++] = b;
  }
}

let sharedStore: PacketStore | undefined;
/** The lean logs' marker: never allocated from. */
const LEAN = new PacketStore();
/** Shared empty window list (frozen): most connections have no RST. */
const NO_WINDOWS = Object.freeze([]) as unknown as ResetWindow[];

export class PacketLog {
  /** Packets sent and payload bytes, over the whole connection. */
  packets = 0;
  bytes = 0;
  /** RST windows not kept because MAX_RST_WINDOWS was reached. */
  droppedWindows = 0;
  windows: ResetWindow[] = NO_WINDOWS;
  private readonly store: PacketStore;
  /** Block of the first BLOCK packets, then the ring's blocks (-1: not allocated). */
  private headBlock = -1;
  private ring0 = -1;
  private ring1 = -1;
  private ring2 = -1;
  private ring3 = -1;
  /** Once sealed: the head and last packets as objects, the store's blocks released. */
  private sealedHead: LoggedPacket[] | null = null;
  private sealedRecent: LoggedPacket[] | null = null;

  /**
   * `store` null: a lean log for analysis alone (no diagram will be drawn). It keeps the counters and,
   * for each RST, the RST and the packets after it (what the rules read); no head, no ring, no store rows.
   */
  constructor(store?: PacketStore | null) {
    this.store = store === null ? LEAN : store ?? (sharedStore ??= new PacketStore());
  }

  /** The first packets (up to HEAD_PACKETS). */
  get head(): LoggedPacket[] {
    if (this.sealedHead !== null) return this.sealedHead;
    if (this.store === LEAN) return [];
    const out: LoggedPacket[] = [];
    const n = Math.min(this.packets, HEAD_PACKETS);
    for (let i = 0; i < n; i++) out.push(this.row(i));
    return out;
  }

  /** Records a packet; `isRst` opens a window around it. Fields are copied, the argument may be reused. */
  add(p: Omit<LoggedPacket, 'cumPackets' | 'cumBytes'>, isRst: boolean): void {
    if (this.sealedRecent !== null) throw new Error('packet log is sealed');
    const i = this.packets++;
    this.bytes += p.len;
    if (this.store === LEAN) {
      if (isRst || this.windows.length > 0) this.updateWindows(i, p, isRst, true);
      return;
    }
    // NOTE: hot path — one packed row per packet in the shared store.
    const at = this.slot(i, true);
    const u = this.store.u32[at >>> PAGE_SHIFT]!;
    const o = (at & PAGE_MASK) * U32;
    u[o] = p.frame;
    u[o + 1] = p.seq;
    u[o + 2] = p.ack;
    u[o + 3] = p.len;
    u[o + 4] = (p.flags & FLAG_BITS) | (p.fromOrig ? META_FROM : 0) | (p.df ? META_DF : 0) | (p.ipId < 0 ? META_NO_IPID : 0) | ((p.ttl & 0xff) << 16);
    u[o + 5] = ((p.window & 0xffff) | ((p.ipId & 0xffff) << 16)) >>> 0;
    const f = this.store.f64[at >>> PAGE_SHIFT]!;
    const fo = (at & PAGE_MASK) * F64;
    f[fo] = p.time;
    f[fo + 1] = this.bytes;
    this.updateWindows(i, p, isRst, false);
  }

  /** The last packets, oldest first (up to RING_PACKETS, ending with the latest), as fresh objects. */
  recent(): LoggedPacket[] {
    if (this.sealedRecent !== null) return this.sealedRecent.slice();
    if (this.store === LEAN) return [];
    const out: LoggedPacket[] = [];
    for (let i = Math.max(0, this.packets - RING_PACKETS); i < this.packets; i++) out.push(this.row(i));
    return out;
  }

  /**
   * The connection is finished: turn the rows into objects when they will be read (`keep`), give the
   * store's blocks back, and turn "from the low endpoint" into "from the originator" now that roles are final.
   */
  seal(origIsLow: boolean, keep: boolean): void {
    if (this.sealedRecent !== null) return;
    if (keep) {
      this.sealedHead = this.head;
      this.sealedRecent = this.recent();
      // The head and the last packets may share rows: one object per frame.
      const last = this.sealedRecent;
      if (last.length > 0) {
        const firstKept = last[0]!.frame;
        this.sealedHead = this.sealedHead.map((p) => (p.frame >= firstKept ? last.find((q) => q.frame === p.frame) ?? p : p));
      }
    } else {
      this.sealedHead = [];
      this.sealedRecent = [];
    }
    const s = this.store;
    if (this.headBlock >= 0) s.release(this.headBlock);
    if (this.ring0 >= 0) s.release(this.ring0);
    if (this.ring1 >= 0) s.release(this.ring1);
    if (this.ring2 >= 0) s.release(this.ring2);
    if (this.ring3 >= 0) s.release(this.ring3);
    this.headBlock = this.ring0 = this.ring1 = this.ring2 = this.ring3 = -1;
    if (!origIsLow) {
      const seen = new Set<LoggedPacket>();
      const flip = (p: LoggedPacket): void => {
        if (seen.has(p)) return;
        seen.add(p);
        p.fromOrig = !p.fromOrig;
      };
      for (const p of this.sealedHead) flip(p);
      for (const p of this.sealedRecent) flip(p);
      for (const w of this.windows) for (const p of w.packets) flip(p);
    }
  }

  /** Every kept packet once, in frame order (head, RST windows, last packets). */
  kept(): LoggedPacket[] {
    const byFrame = new Map<number, LoggedPacket>();
    for (const p of this.head) byFrame.set(p.frame, p);
    for (const w of this.windows) for (const p of w.packets) byFrame.set(p.frame, p);
    for (const p of this.recent()) byFrame.set(p.frame, p);
    return [...byFrame.values()].sort((a, b) => a.frame - b.frame);
  }

  /**
   * Packet `i` joins the RST windows still open; a RST opens its own, with the packets before it (the
   * lean log has none: only the RST itself, built from the argument instead of a store row).
   */
  private updateWindows(i: number, p: Omit<LoggedPacket, 'cumPackets' | 'cumBytes'>, isRst: boolean, lean: boolean): void {
    const windows = this.windows;
    for (let k = 0; k < windows.length; k++) {
      const w = windows[k]!;
      if (w.open > 0) {
        w.packets.push(lean ? this.copy(p) : this.row(i));
        w.open--;
      }
    }
    if (isRst) {
      if (windows.length >= MAX_RST_WINDOWS) this.droppedWindows++;
      else {
        if (this.windows === NO_WINDOWS) this.windows = [];
        this.windows.push({ rstFrame: p.frame, packets: lean ? [this.copy(p)] : this.recent(), open: AFTER_RST_PACKETS });
      }
    }
  }

  /** The packet as the store would read it back (32-bit words, 16-bit window and IP ID). */
  private copy(p: Omit<LoggedPacket, 'cumPackets' | 'cumBytes'>): LoggedPacket {
    return {
      frame: p.frame >>> 0, time: p.time, fromOrig: p.fromOrig, flags: p.flags & FLAG_BITS, seq: p.seq >>> 0, ack: p.ack >>> 0, len: p.len >>> 0,
      window: p.window & 0xffff, ttl: p.ttl & 0xff, ipId: p.ipId < 0 ? -1 : p.ipId & 0xffff, df: p.df,
      cumPackets: this.packets, cumBytes: this.bytes,
    };
  }

  /** Store row of packet `i` (0-based); `alloc` allocates its block when missing. */
  private slot(i: number, alloc: boolean): number {
    let b: number;
    if (i < BLOCK) {
      if (this.headBlock < 0 && alloc) this.headBlock = this.store.allocate();
      b = this.headBlock;
    } else {
      const r = (i - BLOCK) % RING_PACKETS;
      const k = r >> 3;
      b = k === 0 ? this.ring0 : k === 1 ? this.ring1 : k === 2 ? this.ring2 : this.ring3;
      if (b < 0 && alloc) {
        b = this.store.allocate();
        if (k === 0) this.ring0 = b;
        else if (k === 1) this.ring1 = b;
        else if (k === 2) this.ring2 = b;
        else this.ring3 = b;
      }
      i = r;
    }
    return b * BLOCK + (i & (BLOCK - 1));
  }

  private row(i: number): LoggedPacket {
    const at = this.slot(i, false);
    const u = this.store.u32[at >>> PAGE_SHIFT]!;
    const o = (at & PAGE_MASK) * U32;
    const meta = u[o + 4]!;
    const wi = u[o + 5]!;
    const f = this.store.f64[at >>> PAGE_SHIFT]!;
    const fo = (at & PAGE_MASK) * F64;
    return {
      frame: u[o]!, time: f[fo]!, fromOrig: (meta & META_FROM) !== 0, flags: meta & FLAG_BITS, seq: u[o + 1]!, ack: u[o + 2]!,
      len: u[o + 3]!, window: wi & 0xffff, ttl: (meta >>> 16) & 0xff, ipId: meta & META_NO_IPID ? -1 : wi >>> 16,
      df: (meta & META_DF) !== 0, cumPackets: i + 1, cumBytes: f[fo + 1]!,
    };
  }
}
