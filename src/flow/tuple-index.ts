// Compact index of every TCP 4-tuple seen in a file: Wireshark's tcp.stream numbering and the slot
// that finds a live connection, without a string key per packet.
// Open addressing over typed arrays: one 32-byte row per tuple (IPv4 key, stream state, the tracker's
// word) on fixed-size pages (growing copies nothing), and 4 bytes per hash slot (entry and an 8-bit hash
// tag), about 40 bytes a tuple at the 0.375-0.75 load; IPv6 tuples keep their 36 key bytes in side pages.

/** Result of a lookup: the entry and whether the packet's source is the entry's "low" endpoint. */
export interface TupleRef {
  entry: number;
  srcIsLow: boolean;
  isNew: boolean;
}

/** Entries an index holds at most (the slot word keeps the entry in 23 bits beside an 8-bit tag). */
export const MAX_TUPLE_ENTRIES = 1 << 23;

const EMPTY = -1;
const TAG_BITS = 8;
const TAG_MASK = (1 << TAG_BITS) - 1;
const FLAG_BASE_LOW = 1; // Wireshark's base_seq is set for the low -> high direction
const FLAG_BASE_HIGH = 2;
const FLAG_HAS_STREAM = 4;
const FLAG_V6 = 8;

/**
 * Int32 words per entry, all of an entry in one 32-byte row (one cache line fetch per lookup):
 * key (IPv4: low address, high address, ports; IPv6: index into the side table), tcp.stream,
 * base_seq low/high, flags, and a word the tracker keeps there (its live connection, -1 when none).
 */
const ROW = 8;
const R_STREAM = 3;
const R_BASE_LOW = 4;
const R_BASE_HIGH = 5;
const R_FLAGS = 6;
const R_AUX = 7;
/** Rows per page (64k rows, 2 MiB); IPv6 keys per side page (16k keys, 576 KiB). */
const PAGE_SHIFT = 16;
const PAGE_MASK = (1 << PAGE_SHIFT) - 1;
const V6_SHIFT = 14;
const V6_MASK = (1 << V6_SHIFT) - 1;
const V6_WORDS = 9;

export class TupleIndex {
  /** Number of distinct 4-tuples seen. */
  size = 0;
  /** Per hash slot: entry << TAG_BITS | the hash's top bits (compared before the row is read), or EMPTY. */
  private slots: Int32Array;
  private readonly pages: Int32Array[] = [];
  private readonly keys6: Uint32Array[] = []; // 9 words per IPv6 entry
  private v6Count = 0;
  private nextStream = 0;
  private readonly ref: TupleRef = { entry: 0, srcIsLow: true, isNew: false };
  private readonly k = new Uint32Array(9);
  private readonly ka = new Uint32Array(4);
  private readonly kb = new Uint32Array(4);

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, 1 << Math.ceil(Math.log2(initialCapacity)));
    this.slots = new Int32Array(cap * 2).fill(EMPTY);
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
    const h = hashKey(k, n, ipVersion);
    const tag = h >>> (32 - TAG_BITS);
    const slots = this.slots;
    const mask = slots.length - 1;
    let s = h & mask;
    for (;;) {
      const v = slots[s]!;
      if (v === EMPTY) break;
      if ((v & TAG_MASK) === tag && this.matches(v >>> TAG_BITS, ipVersion, n)) {
        this.ref.entry = v >>> TAG_BITS;
        this.ref.srcIsLow = srcIsLow;
        this.ref.isNew = false;
        return this.ref;
      }
      s = (s + 1) & mask;
    }
    if (!insert) return undefined;
    const e = this.insert(ipVersion, n);
    slots[s] = (e << TAG_BITS) | tag;
    if (this.size * 4 > slots.length * 3) this.rehash();
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
    const r = this.pages[entry >>> PAGE_SHIFT]!;
    const o = (entry & PAGE_MASK) * ROW;
    let f = r[o + R_FLAGS]!;
    const v6 = f & FLAG_V6;
    if (!(f & FLAG_HAS_STREAM)) {
      r[o + R_STREAM] = this.nextStream++;
      f = FLAG_HAS_STREAM | v6;
    } else if (syn && !ack) {
      const baseSet = fromLow ? f & FLAG_BASE_LOW : f & FLAG_BASE_HIGH;
      const base = r[o + (fromLow ? R_BASE_LOW : R_BASE_HIGH)]! >>> 0;
      if (baseSet && base !== seq) {
        r[o + R_STREAM] = this.nextStream++;
        f = FLAG_HAS_STREAM | v6;
      }
    }
    // base_seq: the SYN's sequence number, or one below the first segment's when no SYN opened the direction.
    const bit = fromLow ? FLAG_BASE_LOW : FLAG_BASE_HIGH;
    if (!(f & bit)) {
      f |= bit;
      r[o + (fromLow ? R_BASE_LOW : R_BASE_HIGH)] = syn ? seq : seq - 1;
    }
    r[o + R_FLAGS] = f;
    return r[o + R_STREAM]!;
  }

  /** The word the tracker keeps with `entry` (-1 until set). */
  aux(entry: number): number {
    return this.pages[entry >>> PAGE_SHIFT]![(entry & PAGE_MASK) * ROW + R_AUX]!;
  }

  setAux(entry: number, v: number): void {
    this.pages[entry >>> PAGE_SHIFT]![(entry & PAGE_MASK) * ROW + R_AUX] = v;
  }

  /**
   * Writes the address of `entry`'s low (or high) endpoint into `out` (network byte order) and returns
   * the IP version. Valid until `clear()`.
   */
  addressBytes(entry: number, low: boolean, out: Uint8Array): 4 | 6 {
    const r = this.pages[entry >>> PAGE_SHIFT]!;
    const o = (entry & PAGE_MASK) * ROW;
    const v6 = (r[o + R_FLAGS]! & FLAG_V6) !== 0;
    const words = v6 ? 4 : 1;
    for (let i = 0; i < words; i++) {
      const w = v6 ? this.key6Word(r[o]!, (low ? 0 : 4) + i) : r[o + (low ? 0 : 1)]! >>> 0;
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
    let n = this.slots.byteLength;
    for (const p of this.pages) n += p.byteLength;
    for (const p of this.keys6) n += p.byteLength;
    return n;
  }

  private key6Word(v6: number, i: number): number {
    return this.keys6[v6 >>> V6_SHIFT]![(v6 & V6_MASK) * V6_WORDS + i]!;
  }

  private matches(e: number, ipVersion: 4 | 6, n: number): boolean {
    const k = this.k;
    const r = this.pages[e >>> PAGE_SHIFT]!;
    const o = (e & PAGE_MASK) * ROW;
    if (ipVersion === 4) {
      if (r[o + R_FLAGS]! & FLAG_V6) return false;
      return r[o] === (k[0]! | 0) && r[o + 1] === (k[1]! | 0) && r[o + 2] === (k[2]! | 0);
    }
    if (!(r[o + R_FLAGS]! & FLAG_V6)) return false;
    const v6 = r[o]!;
    const keys = this.keys6[v6 >>> V6_SHIFT]!;
    const o6 = (v6 & V6_MASK) * V6_WORDS;
    for (let i = 0; i < n; i++) if (keys[o6 + i] !== k[i]) return false;
    return true;
  }

  private insert(ipVersion: 4 | 6, n: number): number {
    const e = this.size++;
    if (e >= MAX_TUPLE_ENTRIES) throw new RangeError(`tuple index full (${MAX_TUPLE_ENTRIES} entries)`);
    // A new page per 64k rows: rows never move, so growing costs no copy and no spike.
    if (e >>> PAGE_SHIFT >= this.pages.length) this.pages.push(new Int32Array((1 << PAGE_SHIFT) * ROW));
    const r = this.pages[e >>> PAGE_SHIFT]!;
    const o = (e & PAGE_MASK) * ROW;
    if (ipVersion === 4) {
      r[o] = this.k[0]!;
      r[o + 1] = this.k[1]!;
      r[o + 2] = this.k[2]!;
      r[o + R_FLAGS] = 0;
    } else {
      const v6 = this.v6Count++;
      if (v6 >>> V6_SHIFT >= this.keys6.length) this.keys6.push(new Uint32Array((1 << V6_SHIFT) * V6_WORDS));
      this.keys6[v6 >>> V6_SHIFT]!.set(this.k.subarray(0, n), (v6 & V6_MASK) * V6_WORDS);
      r[o] = v6;
      r[o + R_FLAGS] = FLAG_V6;
    }
    r[o + R_STREAM] = -1;
    r[o + R_AUX] = -1;
    return e;
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    const k = this.k;
    for (let i = 0; i < old.length; i++) {
      const v = old[i]!;
      if (v === EMPTY) continue;
      // The slot keeps only 8 hash bits: the full hash is recomputed from the row's key.
      const n = this.keyOf(v >>> TAG_BITS);
      let s = hashKey(k, n, n === 3 ? 4 : 6) & mask;
      while (slots[s] !== EMPTY) s = (s + 1) & mask;
      slots[s] = v;
    }
    this.slots = slots;
  }

  /** Loads entry `e`'s canonical key into `this.k`; returns its word count. */
  private keyOf(e: number): number {
    const r = this.pages[e >>> PAGE_SHIFT]!;
    const o = (e & PAGE_MASK) * ROW;
    const k = this.k;
    if (!(r[o + R_FLAGS]! & FLAG_V6)) {
      k[0] = r[o]!;
      k[1] = r[o + 1]!;
      k[2] = r[o + 2]!;
      return 3;
    }
    for (let i = 0; i < V6_WORDS; i++) k[i] = this.key6Word(r[o]!, i);
    return V6_WORDS;
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

