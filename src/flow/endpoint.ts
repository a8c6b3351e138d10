// One direction of a connection: Zeek's TCP endpoint state plus the per-direction facts rstscope reports.
// While a connection is live its two endpoints are rows of a shared EndpointTable (int32 and float64
// columns, ~330 bytes a row, rows reused): the per-packet code touches a few adjacent cache lines instead
// of a 600-byte object and its boxed numbers, and the garbage collector has nothing to trace. When the
// connection ends, either `detach()` copies the row into storage of its own (whoever keeps the connection
// may read it at any time), or the row stays put until the owner is done with it and calls `release()`.

import type { AnsweredSegment } from './reset-event.js';

/** Zeek's endpoint states (init-bare.zeek TCP_INACTIVE ... TCP_RESET). */
export const INACTIVE = 0;
export const SYN_SENT = 1;
export const SYN_ACK_SENT = 2;
export const PARTIAL = 3;
export const ESTABLISHED = 4;
export const CLOSED = 5;
export const RESET = 6;

/** How many recent IP IDs an endpoint remembers (evidence for forged-RST checks). */
export const RECENT_IP_IDS = 8;

/** Int32 and Float64 columns per endpoint row. */
const ROW_I = 69;
const ROW_F = 12;
/** A new row's values. */
const TEMPLATE_I = Int32Array.from([INACTIVE, INACTIVE, 0, 0, 0, 0, 0, 0, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const TEMPLATE_F = Float64Array.from([1, 1, 1, 1, 0, 0, 0, -1, 0, 0, 0, 0]);

/** Rows a page of the table holds (~330 KB): pages are added, never copied or moved. */
const PAGE_SHIFT = 10;
const PAGE_MASK = (1 << PAGE_SHIFT) - 1;

/** Rows of endpoint state on fixed-size pages, with a free list. */
export class EndpointTable {
  private readonly i32Pages: Int32Array[] = [];
  private readonly f64Pages: Float64Array[] = [];
  private free: number[] = [];
  private rows = 0;

  /** A row holding a new endpoint's values. */
  allocate(): number {
    let row = this.free.pop();
    if (row === undefined) {
      row = this.rows++;
      if (row >>> PAGE_SHIFT >= this.i32Pages.length) {
        this.i32Pages.push(new Int32Array((1 << PAGE_SHIFT) * ROW_I));
        this.f64Pages.push(new Float64Array((1 << PAGE_SHIFT) * ROW_F));
      }
    }
    this.i32Pages[row >>> PAGE_SHIFT]!.set(TEMPLATE_I, (row & PAGE_MASK) * ROW_I);
    this.f64Pages[row >>> PAGE_SHIFT]!.set(TEMPLATE_F, (row & PAGE_MASK) * ROW_F);
    return row;
  }

  /** The page arrays holding `row`, and its offsets in them. */
  i32Of(row: number): Int32Array {
    return this.i32Pages[row >>> PAGE_SHIFT]!;
  }

  f64Of(row: number): Float64Array {
    return this.f64Pages[row >>> PAGE_SHIFT]!;
  }

  release(row: number): void {
    this.free.push(row);
  }

  /** Rows in use (tests and memory figures). */
  get used(): number {
    return this.rows - this.free.length;
  }
}

let sharedTable: EndpointTable | undefined;
/** Rows of finished endpoints come in chunks of this many (one allocation per chunk, not per endpoint). */
const FINISHED_CHUNK = 256;
let finishedI32 = new Int32Array(FINISHED_CHUNK * ROW_I);
let finishedF64 = new Float64Array(FINISHED_CHUNK * ROW_F);
let finishedRows = 0;
const RELEASED_I32 = new Int32Array(0);
const RELEASED_F64 = new Float64Array(0);

/**
 * One endpoint: typed accessors over its row (sequence numbers are unsigned 32-bit, stored as int32 and
 * read back with `>>> 0`; booleans as 0/1; times, byte counts and scaled-history thresholds as doubles).
 * The view holds its row's page arrays directly: rows never move.
 */
export class Endpoint {
  private readonly t: EndpointTable;
  private i32: Int32Array;
  private f64: Float64Array;
  private bi: number;
  private bf: number;
  private row: number;
  /** This side's first SYN's option kinds (fingerprints), '' when none. */
  synOptions = '';

  constructor(table?: EndpointTable) {
    this.t = table ?? (sharedTable ??= new EndpointTable());
    this.row = this.t.allocate();
    this.i32 = this.t.i32Of(this.row);
    this.f64 = this.t.f64Of(this.row);
    this.bi = (this.row & PAGE_MASK) * ROW_I;
    this.bf = (this.row & PAGE_MASK) * ROW_F;
  }

  /**
   * Moves the state out of the live table (the connection is finished) into a row of a small chunk shared
   * by the endpoints finished about the same time, never reused: it lives as long as one of them does.
   */
  detach(): void {
    if (this.row < 0) return;
    if (finishedRows >= FINISHED_CHUNK) {
      finishedI32 = new Int32Array(FINISHED_CHUNK * ROW_I);
      finishedF64 = new Float64Array(FINISHED_CHUNK * ROW_F);
      finishedRows = 0;
    }
    const row = finishedRows++;
    finishedI32.set(this.i32.subarray(this.bi, this.bi + ROW_I), row * ROW_I);
    finishedF64.set(this.f64.subarray(this.bf, this.bf + ROW_F), row * ROW_F);
    this.t.release(this.row);
    this.row = -1;
    this.i32 = finishedI32;
    this.f64 = finishedF64;
    this.bi = row * ROW_I;
    this.bf = row * ROW_F;
  }

  /**
   * Gives the row back to the live table (its owner is done with the finished connection: no copy). The
   * view then reads an empty array (`undefined`, 0 or NaN), so a late reader shows up in tests instead of
   * silently reading a reused row.
   */
  release(): void {
    if (this.row < 0) return;
    this.t.release(this.row);
    this.row = -1;
    this.i32 = RELEASED_I32;
    this.f64 = RELEASED_F64;
    this.bi = 0;
    this.bf = 0;
  }

  // ---- Zeek model ----
  get state(): number { return this.i32[this.bi + 0]!; }
  set state(v: number) { this.i32[this.bi + 0] = v; }
  get prevState(): number { return this.i32[this.bi + 1]!; }
  set prevState(v: number) { this.i32[this.bi + 1] = v; }
  /** Zeek's start_seq / last_seq / ack_seq (absolute, unsigned 32-bit); valid once `seqInit`. */
  get startSeq(): number { return this.i32[this.bi + 2]! >>> 0; }
  set startSeq(v: number) { this.i32[this.bi + 2] = v; }
  get lastSeq(): number { return this.i32[this.bi + 3]! >>> 0; }
  set lastSeq(v: number) { this.i32[this.bi + 3] = v; }
  get ackSeq(): number { return this.i32[this.bi + 4]! >>> 0; }
  set ackSeq(v: number) { this.i32[this.bi + 4] = v; }
  /** Highest sequence number + length sent (for gap detection), valid once `seqInit`. */
  get maxSeqEnd(): number { return this.i32[this.bi + 5]! >>> 0; }
  set maxSeqEnd(v: number) { this.i32[this.bi + 5] = v; }
  get seqInit(): boolean { return this.i32[this.bi + 6] === 1; }
  set seqInit(v: boolean) { this.i32[this.bi + 6] = v ? 1 : 0; }
  get didClose(): boolean { return this.i32[this.bi + 7] === 1; }
  set didClose(v: boolean) { this.i32[this.bi + 7] = v ? 1 : 0; }
  get histLastSyn(): number { return this.i32[this.bi + 8]!; }
  set histLastSyn(v: number) { this.i32[this.bi + 8] = v; }
  get histLastFin(): number { return this.i32[this.bi + 9]!; }
  set histLastFin(v: number) { this.i32[this.bi + 9] = v; }
  get histLastRst(): number { return this.i32[this.bi + 10]!; }
  set histLastRst(v: number) { this.i32[this.bi + 10] = v; }
  get windowScale(): number { return this.i32[this.bi + 11]!; }
  set windowScale(v: number) { this.i32[this.bi + 11] = v; }
  /** Scaled history counters (Zeek's ScaledHistoryEntry): count and next threshold per letter. */
  get rxmitCount(): number { return this.i32[this.bi + 12]!; }
  set rxmitCount(v: number) { this.i32[this.bi + 12] = v; }
  get rxmitThresh(): number { return this.f64[this.bf + 0]!; }
  set rxmitThresh(v: number) { this.f64[this.bf + 0] = v; }
  get win0Count(): number { return this.i32[this.bi + 13]!; }
  set win0Count(v: number) { this.i32[this.bi + 13] = v; }
  get win0Thresh(): number { return this.f64[this.bf + 1]!; }
  set win0Thresh(v: number) { this.f64[this.bf + 1] = v; }
  get gapCount(): number { return this.i32[this.bi + 14]!; }
  set gapCount(v: number) { this.i32[this.bi + 14] = v; }
  get gapThresh(): number { return this.f64[this.bf + 2]!; }
  set gapThresh(v: number) { this.f64[this.bf + 2] = v; }
  get chkCount(): number { return this.i32[this.bi + 15]!; }
  set chkCount(v: number) { this.i32[this.bi + 15] = v; }
  get chkThresh(): number { return this.f64[this.bf + 3]!; }
  set chkThresh(v: number) { this.f64[this.bf + 3] = v; }

  // ---- facts reported per direction ----
  /** Initial sequence number (the SYN's), or null when no SYN was captured. */
  get isn(): number | null { return this.i32[this.bi + 17] === 1 ? this.i32[this.bi + 16]! >>> 0 : null; }
  set isn(v: number | null) {
    this.i32[this.bi + 17] = v === null ? 0 : 1;
    this.i32[this.bi + 16] = v ?? 0;
  }
  /** Next sequence number expected from this side (highest seq + len + SYN/FIN), null before any packet. */
  get nextSeq(): number | null { return this.i32[this.bi + 19] === 1 ? this.i32[this.bi + 18]! >>> 0 : null; }
  set nextSeq(v: number | null) {
    this.i32[this.bi + 19] = v === null ? 0 : 1;
    this.i32[this.bi + 18] = v ?? 0;
  }
  /** Highest acknowledgement number sent by this side, null before any ACK. */
  get highestAck(): number | null { return this.i32[this.bi + 21] === 1 ? this.i32[this.bi + 20]! >>> 0 : null; }
  set highestAck(v: number | null) {
    this.i32[this.bi + 21] = v === null ? 0 : 1;
    this.i32[this.bi + 20] = v ?? 0;
  }
  get packets(): number { return this.i32[this.bi + 22]! >>> 0; }
  set packets(v: number) { this.i32[this.bi + 22] = v; }
  /** Payload bytes (sum of TCP payload lengths, retransmissions included). */
  get bytes(): number { return this.f64[this.bf + 4]!; }
  set bytes(v: number) { this.f64[this.bf + 4] = v; }
  get retransmissions(): number { return this.i32[this.bi + 23]! >>> 0; }
  set retransmissions(v: number) { this.i32[this.bi + 23] = v; }
  get outOfOrder(): number { return this.i32[this.bi + 24]! >>> 0; }
  set outOfOrder(v: number) { this.i32[this.bi + 24] = v; }
  get zeroWindows(): number { return this.i32[this.bi + 25]! >>> 0; }
  set zeroWindows(v: number) { this.i32[this.bi + 25] = v; }
  get synCount(): number { return this.i32[this.bi + 26]! >>> 0; }
  set synCount(v: number) { this.i32[this.bi + 26] = v; }
  get finCount(): number { return this.i32[this.bi + 27]! >>> 0; }
  set finCount(v: number) { this.i32[this.bi + 27] = v; }
  get rstCount(): number { return this.i32[this.bi + 28]! >>> 0; }
  set rstCount(v: number) { this.i32[this.bi + 28] = v; }
  /** Last raw window value and, from the SYN, the options. */
  get window(): number { return this.i32[this.bi + 29]!; }
  set window(v: number) { this.i32[this.bi + 29] = v; }
  get mss(): number { return this.i32[this.bi + 30]!; }
  set mss(v: number) { this.i32[this.bi + 30] = v; }
  get wscale(): number { return this.i32[this.bi + 31]!; }
  set wscale(v: number) { this.i32[this.bi + 31] = v; }
  get sackPermitted(): boolean { return this.i32[this.bi + 32] === 1; }
  set sackPermitted(v: boolean) { this.i32[this.bi + 32] = v ? 1 : 0; }
  get timestamps(): boolean { return this.i32[this.bi + 33] === 1; }
  set timestamps(v: boolean) { this.i32[this.bi + 33] = v ? 1 : 0; }
  get firstFrame(): number { return this.i32[this.bi + 34]! >>> 0; }
  set firstFrame(v: number) { this.i32[this.bi + 34] = v; }
  get lastFrame(): number { return this.i32[this.bi + 35]! >>> 0; }
  set lastFrame(v: number) { this.i32[this.bi + 35] = v; }
  get lastTime(): number { return this.f64[this.bf + 5]!; }
  set lastTime(v: number) { this.f64[this.bf + 5] = v; }
  /** Frame of the last segment carrying payload, SYN or FIN. */
  get lastSegFrame(): number { return this.i32[this.bi + 36]! >>> 0; }
  set lastSegFrame(v: number) { this.i32[this.bi + 36] = v; }
  /** Time the next sequence number last advanced (tells out-of-order from retransmission). */
  get lastAdvanceTime(): number { return this.f64[this.bf + 6]!; }
  set lastAdvanceTime(v: number) { this.f64[this.bf + 6] = v; }
  /** Sequence number of the segment being retransmitted in a row (-1: none). */
  get rtxSeq(): number { return this.f64[this.bf + 7]!; }
  set rtxSeq(v: number) { this.f64[this.bf + 7] = v; }
  /** Retransmissions of the same segment in a row, unanswered by a peer ACK covering it. */
  get rtxRun(): number { return this.i32[this.bi + 37]! >>> 0; }
  set rtxRun(v: number) { this.i32[this.bi + 37] = v; }
  /** Retransmissions of the same segment in a row, even when this capture point saw ACKs covering it. */
  get rtxRepeat(): number { return this.i32[this.bi + 38]! >>> 0; }
  set rtxRepeat(v: number) { this.i32[this.bi + 38] = v; }
  /** Packets with the IPv4 DF bit (Linux sets it on everything, its RSTs included). */
  get dfPackets(): number { return this.i32[this.bi + 39]! >>> 0; }
  set dfPackets(v: number) { this.i32[this.bi + 39] = v; }
  /** TCP keepalive probes sent (no data, seq one below the next sequence number). */
  get keepalives(): number { return this.i32[this.bi + 40]! >>> 0; }
  set keepalives(v: number) { this.i32[this.bi + 40] = v; }
  /** Frame and time of this side's first FIN (0 when none). */
  get finFrame(): number { return this.i32[this.bi + 41]! >>> 0; }
  set finFrame(v: number) { this.i32[this.bi + 41] = v; }
  get finTime(): number { return this.f64[this.bf + 8]!; }
  set finTime(v: number) { this.f64[this.bf + 8] = v; }
  /** This side's first SYN: flags (-1 when none), window, option kinds and DF (fingerprints). */
  get synFlags(): number { return this.i32[this.bi + 42]!; }
  set synFlags(v: number) { this.i32[this.bi + 42] = v; }
  get synWindow(): number { return this.i32[this.bi + 43]!; }
  set synWindow(v: number) { this.i32[this.bi + 43] = v; }
  get synDf(): boolean { return this.i32[this.bi + 44] === 1; }
  set synDf(v: boolean) { this.i32[this.bi + 44] = v ? 1 : 0; }
  /** The last packet this side sent that was not a RST (lastPktFrame 0 when none): what a RST from the peer answers. */
  get lastPktFrame(): number { return this.i32[this.bi + 45]! >>> 0; }
  set lastPktFrame(v: number) { this.i32[this.bi + 45] = v; }
  get lastPktFlags(): number { return this.i32[this.bi + 46]!; }
  set lastPktFlags(v: number) { this.i32[this.bi + 46] = v; }
  get lastPktSeq(): number { return this.i32[this.bi + 47]! >>> 0; }
  set lastPktSeq(v: number) { this.i32[this.bi + 47] = v; }
  get lastPktAck(): number { return this.i32[this.bi + 48]! >>> 0; }
  set lastPktAck(v: number) { this.i32[this.bi + 48] = v; }
  get lastPktLen(): number { return this.i32[this.bi + 49]!; }
  set lastPktLen(v: number) { this.i32[this.bi + 49] = v; }
  get lastPktTime(): number { return this.f64[this.bf + 9]!; }
  set lastPktTime(v: number) { this.f64[this.bf + 9] = v; }
  /** Silence on the 4-tuple (either direction, the previous connection included) before that last packet. */
  get lastPktGap(): number { return this.f64[this.bf + 10]!; }
  set lastPktGap(v: number) { this.f64[this.bf + 10] = v; }
  get lastPktIpId(): number { return this.i32[this.bi + 50]!; }
  set lastPktIpId(v: number) { this.i32[this.bi + 50] = v; }
  get lastPktTtl(): number { return this.i32[this.bi + 51]!; }
  set lastPktTtl(v: number) { this.i32[this.bi + 51] = v; }

  /** Its last RST (frame 0 when none), kept apart so a RST never stands as the segment a peer's RST answers. */
  get rstPktFrame(): number { return this.i32[this.bi + 61]! >>> 0; }
  set rstPktFrame(v: number) { this.i32[this.bi + 61] = v; }
  get rstPktSeq(): number { return this.i32[this.bi + 62]! >>> 0; }
  set rstPktSeq(v: number) { this.i32[this.bi + 62] = v; }
  get rstPktAck(): number { return this.i32[this.bi + 63]! >>> 0; }
  set rstPktAck(v: number) { this.i32[this.bi + 63] = v; }
  get rstPktFlags(): number { return this.i32[this.bi + 64]!; }
  set rstPktFlags(v: number) { this.i32[this.bi + 64] = v; }
  get rstPktIpId(): number { return this.i32[this.bi + 65]!; }
  set rstPktIpId(v: number) { this.i32[this.bi + 65] = v; }
  get rstPktTtl(): number { return this.i32[this.bi + 66]!; }
  set rstPktTtl(v: number) { this.i32[this.bi + 66] = v; }
  get rstPktTime(): number { return this.f64[this.bf + 11]!; }
  set rstPktTime(v: number) { this.f64[this.bf + 11] = v; }
  /** Frame of the last segment that carried payload (0 when none). */
  get lastDataFrame(): number { return this.i32[this.bi + 67]! >>> 0; }
  set lastDataFrame(v: number) { this.i32[this.bi + 67] = v; }

  /** The peer's segments since this side's last packet other than a RST, less the RSTs it sent since: what its stateless RSTs may still answer. */
  get owed(): number { return this.i32[this.bi + 68]!; }
  set owed(v: number) { this.i32[this.bi + 68] = v; }

  // ---- packed TTLs and IP IDs ----
  /** Distinct TTLs, three per word (8 bits each), and how many (at most 8 kept). */
  private get ttlA(): number { return this.i32[this.bi + 52]!; }
  private set ttlA(v: number) { this.i32[this.bi + 52] = v; }
  private get ttlB(): number { return this.i32[this.bi + 53]!; }
  private set ttlB(v: number) { this.i32[this.bi + 53] = v; }
  private get ttlC(): number { return this.i32[this.bi + 54]!; }
  private set ttlC(v: number) { this.i32[this.bi + 54] = v; }
  private get ttlCount(): number { return this.i32[this.bi + 55]!; }
  private set ttlCount(v: number) { this.i32[this.bi + 55] = v; }
  /** Last RECENT_IP_IDS IPv4 IDs, two per word (16 bits each), as a ring. */
  private get id01(): number { return this.i32[this.bi + 56]!; }
  private set id01(v: number) { this.i32[this.bi + 56] = v; }
  private get id23(): number { return this.i32[this.bi + 57]!; }
  private set id23(v: number) { this.i32[this.bi + 57] = v; }
  private get id45(): number { return this.i32[this.bi + 58]!; }
  private set id45(v: number) { this.i32[this.bi + 58] = v; }
  private get id67(): number { return this.i32[this.bi + 59]!; }
  private set id67(v: number) { this.i32[this.bi + 59] = v; }
  private get idCount(): number { return this.i32[this.bi + 60]!; }
  private set idCount(v: number) { this.i32[this.bi + 60] = v; }

  /** The last packet this side sent, as an object (frame 0 when none). */
  get last(): LastPacket {
    return {
      frame: this.lastPktFrame, flags: this.lastPktFlags, seq: this.lastPktSeq, ack: this.lastPktAck, len: this.lastPktLen,
      time: this.lastPktTime, ipId: this.lastPktIpId, ttl: this.lastPktTtl, gapBefore: this.lastPktGap,
    };
  }

  /** Distinct TTLs (IPv4) or hop limits (IPv6) seen, in order of appearance (at most 8). */
  get ttls(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.ttlCount; i++) out.push(this.ttlAt(i));
    return out;
  }

  /** Last few IPv4 IDs, newest last. */
  get ipIds(): number[] {
    const out: number[] = [];
    const n = this.idCount < RECENT_IP_IDS ? this.idCount : RECENT_IP_IDS;
    for (let k = this.idCount - n; k < this.idCount; k++) out.push(this.idAt(k & (RECENT_IP_IDS - 1)));
    return out;
  }

  setState(s: number): void {
    this.prevState = this.state;
    this.state = s;
  }

  noteTtl(ttl: number): void {
    const n = this.ttlCount;
    if (n >= 8) return;
    for (let i = 0; i < n; i++) if (this.ttlAt(i) === ttl) return;
    const v = ttl & 0xff;
    const shift = (n % 3) * 8;
    if (n < 3) this.ttlA |= v << shift;
    else if (n < 6) this.ttlB |= v << shift;
    else this.ttlC |= v << shift;
    this.ttlCount = n + 1;
  }

  noteIpId(id: number): void {
    if (id < 0) return;
    const k = this.idCount & (RECENT_IP_IDS - 1);
    const shift = (k & 1) * 16;
    const keep = ~(0xffff << shift);
    const v = (id & 0xffff) << shift;
    switch (k >> 1) {
      case 0: this.id01 = (this.id01 & keep) | v; break;
      case 1: this.id23 = (this.id23 & keep) | v; break;
      case 2: this.id45 = (this.id45 & keep) | v; break;
      default: this.id67 = (this.id67 & keep) | v; break;
    }
    this.idCount++;
  }

  private ttlAt(i: number): number {
    const word = i < 3 ? this.ttlA : i < 6 ? this.ttlB : this.ttlC;
    return (word >>> ((i % 3) * 8)) & 0xff;
  }

  private idAt(k: number): number {
    const word = k < 2 ? this.id01 : k < 4 ? this.id23 : k < 6 ? this.id45 : this.id67;
    return (word >>> ((k & 1) * 16)) & 0xffff;
  }
}

/** The last packet an endpoint sent: what a RST from the peer answers. */
export type LastPacket = AnsweredSegment;
