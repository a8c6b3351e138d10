// Compact index of every TCP 4-tuple seen in a file: Wireshark's tcp.stream numbering and the slot
// that finds a live connection, without a string key per packet.
// Open addressing over typed arrays: an IPv4 tuple costs 12 key bytes + 16 bytes of state
// (about 37 bytes at the 0.75 load factor); IPv6 tuples keep their 36 key bytes in a side table.

/** Result of a lookup: the entry and whether the packet's source is the entry's "low" endpoint. */
export interface TupleRef {
  entry: number;
  srcIsLow: boolean;
  isNew: boolean;
}

const EMPTY = -1;
const FLAG_BASE_LOW = 1; // Wireshark's base_seq is set for the low -> high direction
const FLAG_BASE_HIGH = 2;
const FLAG_HAS_STREAM = 4;

export class TupleIndex {
  /** Number of distinct 4-tuples seen. */
  size = 0;
  private slots: Int32Array; // entry number per hash slot, EMPTY when free
  private keys4: Uint32Array; // per entry: lowAddr, highAddr, lowPort<<16|highPort (IPv4)
  private keys6: Uint32Array; // per entry: 9 words (IPv6), only entries marked v6 use it
  private isV6: Uint8Array;
  private v6Slot: Int32Array; // per entry: index into keys6 (9 words each)
  private v6Count = 0;
  private streamOf: Int32Array; // per entry: current tcp.stream, -1 when none
  private baseLow: Uint32Array;
  private baseHigh: Uint32Array;
  private flags: Uint8Array;
  private nextStream = 0;
  private readonly ref: TupleRef = { entry: 0, srcIsLow: true, isNew: false };
  private readonly k = new Uint32Array(9);
  private readonly ka = new Uint32Array(4);
  private readonly kb = new Uint32Array(4);

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, 1 << Math.ceil(Math.log2(initialCapacity)));
    this.slots = new Int32Array(cap * 2).fill(EMPTY);
    this.keys4 = new Uint32Array(cap * 3);
    this.keys6 = new Uint32Array(64 * 9);
    this.isV6 = new Uint8Array(cap);
    this.v6Slot = new Int32Array(cap);
    this.streamOf = new Int32Array(cap).fill(-1);
    this.baseLow = new Uint32Array(cap);
    this.baseHigh = new Uint32Array(cap);
    this.flags = new Uint8Array(cap);
  }

  /** Streams allocated so far (the next tcp.stream number). */
  get streams(): number {
    return this.nextStream;
  }

  /**
   * Finds or inserts the tuple of a packet. `buf` holds the addresses at srcOff/dstOff (4 or 16 bytes).
   * The returned object is reused by the next call.
   */
  lookup(
    buf: Uint8Array, srcOff: number, dstOff: number, ipVersion: 4 | 6, sport: number, dport: number, insert = true,
  ): TupleRef | undefined {
    // NOTE: hot path — canonical order: (addr, port) lexicographically smaller side is "low".
    const words = ipVersion === 4 ? 1 : 4;
    const a = this.ka;
    const b = this.kb;
    for (let i = 0; i < words; i++) {
      a[i] = readU32(buf, srcOff + 4 * i);
      b[i] = readU32(buf, dstOff + 4 * i);
    }
    let cmp = 0;
    for (let i = 0; i < words && cmp === 0; i++) cmp = a[i]! < b[i]! ? -1 : a[i]! > b[i]! ? 1 : 0;
    if (cmp === 0) cmp = sport < dport ? -1 : sport > dport ? 1 : 0;
    const srcIsLow = cmp <= 0;
    const lo = srcIsLow ? a : b;
    const hi = srcIsLow ? b : a;
    const ports = srcIsLow ? ((sport << 16) | dport) >>> 0 : ((dport << 16) | sport) >>> 0;
    const k = this.k;
    for (let i = 0; i < words; i++) {
      k[i] = lo[i]!;
      k[words + i] = hi[i]!;
    }
    k[2 * words] = ports;
    const n = 2 * words + 1;
    const mask = this.slots.length - 1;
    let s = hashKey(k, n, ipVersion) & mask;
    for (;;) {
      const e = this.slots[s]!;
      if (e === EMPTY) break;
      if (this.matches(e, ipVersion, n)) {
        this.ref.entry = e;
        this.ref.srcIsLow = srcIsLow;
        this.ref.isNew = false;
        return this.ref;
      }
      s = (s + 1) & mask;
    }
    if (!insert) return undefined;
    const e = this.insert(ipVersion, n);
    this.slots[s] = e;
    if (this.size * 4 > this.slots.length * 3) this.rehash();
    this.ref.entry = e;
    this.ref.srcIsLow = srcIsLow;
    this.ref.isNew = true;
    return this.ref;
  }

  /**
   * Wireshark 4.0's tcp.stream for a packet of `entry`: a new stream for a new tuple, and for a SYN
   * (without ACK) whose sequence number differs from the base_seq of its direction (port reuse).
   */
  assignStream(entry: number, fromLow: boolean, syn: boolean, ack: boolean, seq: number): number {
    let f = this.flags[entry]!;
    if (!(f & FLAG_HAS_STREAM)) {
      this.streamOf[entry] = this.nextStream++;
      f = FLAG_HAS_STREAM;
    } else if (syn && !ack) {
      const baseSet = fromLow ? f & FLAG_BASE_LOW : f & FLAG_BASE_HIGH;
      const base = fromLow ? this.baseLow[entry]! : this.baseHigh[entry]!;
      if (baseSet && base !== seq) {
        this.streamOf[entry] = this.nextStream++;
        f = FLAG_HAS_STREAM;
      }
    }
    // base_seq: the SYN's sequence number, or one below the first segment's when no SYN opened the direction.
    const bit = fromLow ? FLAG_BASE_LOW : FLAG_BASE_HIGH;
    if (!(f & bit)) {
      f |= bit;
      const base = syn ? seq : (seq - 1) >>> 0;
      if (fromLow) this.baseLow[entry] = base;
      else this.baseHigh[entry] = base;
    }
    this.flags[entry] = f;
    return this.streamOf[entry]!;
  }

  /**
   * Writes the address of `entry`'s low (or high) endpoint into `out` (network byte order) and returns
   * the IP version. Valid until `clear()`.
   */
  addressBytes(entry: number, low: boolean, out: Uint8Array): 4 | 6 {
    const v6 = this.isV6[entry] === 1;
    const words = v6 ? 4 : 1;
    const src = v6 ? this.keys6 : this.keys4;
    const o = (v6 ? this.v6Slot[entry]! * 9 : entry * 3) + (low ? 0 : words);
    for (let i = 0; i < words; i++) {
      const w = src[o + i]!;
      out[4 * i] = w >>> 24;
      out[4 * i + 1] = (w >>> 16) & 0xff;
      out[4 * i + 2] = (w >>> 8) & 0xff;
      out[4 * i + 3] = w & 0xff;
    }
    return v6 ? 6 : 4;
  }

  /** Forgets every tuple but keeps counting streams (used when the index reaches its cap). */
  clear(): void {
    this.slots.fill(EMPTY);
    this.size = 0;
    this.v6Count = 0;
  }

  /** Approximate bytes held by the index. */
  get bytes(): number {
    return (
      this.slots.byteLength + this.keys4.byteLength + this.keys6.byteLength + this.isV6.byteLength +
      this.v6Slot.byteLength + this.streamOf.byteLength + this.baseLow.byteLength * 2 + this.flags.byteLength
    );
  }

  private matches(e: number, ipVersion: 4 | 6, n: number): boolean {
    const k = this.k;
    if (ipVersion === 4) {
      if (this.isV6[e]) return false;
      const o = e * 3;
      return this.keys4[o] === k[0] && this.keys4[o + 1] === k[1] && this.keys4[o + 2] === k[2];
    }
    if (!this.isV6[e]) return false;
    const o = this.v6Slot[e]! * 9;
    for (let i = 0; i < n; i++) if (this.keys6[o + i] !== k[i]) return false;
    return true;
  }

  private insert(ipVersion: 4 | 6, n: number): number {
    const e = this.size++;
    if (e >= this.isV6.length) this.growEntries();
    if (ipVersion === 4) {
      this.keys4.set(this.k.subarray(0, 3), e * 3);
      this.isV6[e] = 0;
    } else {
      if ((this.v6Count + 1) * 9 > this.keys6.length) {
        const bigger = new Uint32Array(this.keys6.length * 2);
        bigger.set(this.keys6);
        this.keys6 = bigger;
      }
      this.keys6.set(this.k.subarray(0, n), this.v6Count * 9);
      this.v6Slot[e] = this.v6Count++;
      this.isV6[e] = 1;
    }
    this.streamOf[e] = -1;
    this.flags[e] = 0;
    return e;
  }

  private growEntries(): void {
    const cap = this.isV6.length * 2;
    this.keys4 = grow(this.keys4, cap * 3);
    this.isV6 = grow(this.isV6, cap);
    this.v6Slot = grow(this.v6Slot, cap);
    const s = new Int32Array(cap).fill(-1);
    s.set(this.streamOf);
    this.streamOf = s;
    this.baseLow = grow(this.baseLow, cap);
    this.baseHigh = grow(this.baseHigh, cap);
    this.flags = grow(this.flags, cap);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    const k = this.k;
    for (let e = 0; e < this.size; e++) {
      let n: number;
      let version: number;
      if (this.isV6[e]) {
        const o = this.v6Slot[e]! * 9;
        for (let i = 0; i < 9; i++) k[i] = this.keys6[o + i]!;
        n = 9;
        version = 6;
      } else {
        const o = e * 3;
        k[0] = this.keys4[o]!;
        k[1] = this.keys4[o + 1]!;
        k[2] = this.keys4[o + 2]!;
        n = 3;
        version = 4;
      }
      let s = hashKey(k, n, version) & mask;
      while (slots[s] !== EMPTY) s = (s + 1) & mask;
      slots[s] = e;
    }
    this.slots = slots;
  }
}

/** Hash of a canonical key: multiply-xor per word, then murmur3's finalizer so the low bits (the slot) mix every word. */
function hashKey(k: Uint32Array, n: number, version: number): number {
  let h = 0x811c9dc5 ^ version;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ k[i]!, 0x01000193) ^ (h >>> 15);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function readU32(buf: Uint8Array, off: number): number {
  return ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0;
}

function grow<T extends Uint8Array | Uint32Array | Int32Array>(a: T, len: number): T {
  const b = new (a.constructor as new (n: number) => T)(len);
  b.set(a);
  return b;
}
