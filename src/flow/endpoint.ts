// One direction of a connection: Zeek's TCP endpoint state plus the per-direction facts rstscope reports.

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

/** Four zeros with V8's double elements kind (a copy keeps the kind: no transition on the first time stored). */
const DOUBLE_ZEROS: number[] = [0.5, 0.5, 0.5, 0.5].fill(0);

/**
 * Sequence numbers are unsigned 32-bit but stored as signed int32 (V8 keeps those inline as small
 * integers; an unsigned value above 2^31 in an object field would be a separate heap number, an extra
 * allocation and cache miss per field). The accessors give the unsigned value back.
 */
export class Endpoint {
  // ---- Zeek model ----
  state = INACTIVE;
  prevState = INACTIVE;
  private _startSeq = 0;
  private _lastSeq = 0;
  private _ackSeq = 0;
  private _maxSeqEnd = 0;
  seqInit = false;
  didClose = false;
  histLastSyn = -1;
  histLastFin = -1;
  histLastRst = -1;
  windowScale = 0;
  // Scaled history counters (Zeek's ScaledHistoryEntry): count and next threshold per letter.
  rxmitCount = 0;
  rxmitThresh = 1;
  win0Count = 0;
  win0Thresh = 1;
  gapCount = 0;
  gapThresh = 1;
  chkCount = 0;
  chkThresh = 1;

  // ---- facts reported per direction ----
  private _isn = 0;
  private _hasIsn = false;
  private _nextSeq = 0;
  private _hasNextSeq = false;
  private _highestAck = 0;
  private _hasHighestAck = false;
  packets = 0;
  /** Payload bytes (sum of TCP payload lengths, retransmissions included). */
  bytes = 0;
  retransmissions = 0;
  outOfOrder = 0;
  zeroWindows = 0;
  synCount = 0;
  finCount = 0;
  rstCount = 0;
  /** Distinct TTLs, three per field (8 bits each), and how many (at most 8 kept). */
  private ttlA = 0;
  private ttlB = 0;
  private ttlC = 0;
  private ttlCount = 0;
  /** Last RECENT_IP_IDS IPv4 IDs, two per field (16 bits each), as a ring. */
  private id01 = 0;
  private id23 = 0;
  private id45 = 0;
  private id67 = 0;
  private idCount = 0;
  /** Last raw window value and, from the SYN, the options. */
  window = -1;
  mss = -1;
  wscale = -1;
  sackPermitted = false;
  timestamps = false;
  firstFrame = 0;
  lastFrame = 0;
  /** Frame of the last segment carrying payload, SYN or FIN. */
  lastSegFrame = 0;
  /** Retransmissions of the same segment in a row, unanswered by a peer ACK covering it. */
  rtxSeq = -1;
  rtxRun = 0;
  /** Retransmissions of the same segment in a row, even when this capture point saw ACKs covering it. */
  rtxRepeat = 0;
  /** Packets with the IPv4 DF bit (Linux sets it on everything, its RSTs included). */
  dfPackets = 0;
  /** TCP keepalive probes sent (no data, seq one below the next sequence number). */
  keepalives = 0;
  /** Frame of this side's first FIN (0 when none); its time is `finTime`. */
  finFrame = 0;
  /** This side's first SYN: flags (-1 when none), window, option kinds and DF (fingerprints). */
  synFlags = -1;
  synWindow = -1;
  synOptions = '';
  synDf = false;
  /** The last packet this side sent (lastPktFrame 0 when none): what a RST from the peer answers. */
  lastPktFrame = 0;
  lastPktFlags = 0;
  private _lastPktSeq = 0;
  private _lastPktAck = 0;
  lastPktLen = 0;
  lastPktIpId = 0;
  lastPktTtl = 0;

  /**
   * The time-valued fields in one array of doubles (unboxed, unlike double object fields): last packet,
   * last advance of the next sequence number (tells out-of-order from retransmission), first FIN, and the
   * time of `lastPkt*`.
   */
  private readonly times: number[] = DOUBLE_ZEROS.slice();

  get lastTime(): number { return this.times[0]!; }
  set lastTime(v: number) { this.times[0] = v; }
  get lastAdvanceTime(): number { return this.times[1]!; }
  set lastAdvanceTime(v: number) { this.times[1] = v; }
  get finTime(): number { return this.times[2]!; }
  set finTime(v: number) { this.times[2] = v; }
  get lastPktTime(): number { return this.times[3]!; }
  set lastPktTime(v: number) { this.times[3] = v; }

  /** Zeek's start_seq / last_seq / ack_seq (absolute, unsigned 32-bit); valid once `seqInit`. */
  get startSeq(): number { return this._startSeq >>> 0; }
  set startSeq(v: number) { this._startSeq = v | 0; }
  get lastSeq(): number { return this._lastSeq >>> 0; }
  set lastSeq(v: number) { this._lastSeq = v | 0; }
  get ackSeq(): number { return this._ackSeq >>> 0; }
  set ackSeq(v: number) { this._ackSeq = v | 0; }
  /** Highest sequence number + length sent (for gap detection), valid once `seqInit`. */
  get maxSeqEnd(): number { return this._maxSeqEnd >>> 0; }
  set maxSeqEnd(v: number) { this._maxSeqEnd = v | 0; }

  /** Initial sequence number (the SYN's), or null when no SYN was captured. */
  get isn(): number | null { return this._hasIsn ? this._isn >>> 0 : null; }
  set isn(v: number | null) { this._hasIsn = v !== null; this._isn = (v ?? 0) | 0; }
  /** Next sequence number expected from this side (highest seq + len + SYN/FIN), null before any packet. */
  get nextSeq(): number | null { return this._hasNextSeq ? this._nextSeq >>> 0 : null; }
  set nextSeq(v: number | null) { this._hasNextSeq = v !== null; this._nextSeq = (v ?? 0) | 0; }
  /** Highest acknowledgement number sent by this side, null before any ACK. */
  get highestAck(): number | null { return this._hasHighestAck ? this._highestAck >>> 0 : null; }
  set highestAck(v: number | null) { this._hasHighestAck = v !== null; this._highestAck = (v ?? 0) | 0; }
  get lastPktSeq(): number { return this._lastPktSeq >>> 0; }
  set lastPktSeq(v: number) { this._lastPktSeq = v | 0; }
  get lastPktAck(): number { return this._lastPktAck >>> 0; }
  set lastPktAck(v: number) { this._lastPktAck = v | 0; }

  /** The last packet this side sent, as an object (frame 0 when none). */
  get last(): LastPacket {
    return {
      frame: this.lastPktFrame, flags: this.lastPktFlags, seq: this.lastPktSeq, ack: this.lastPktAck, len: this.lastPktLen,
      time: this.lastPktTime, ipId: this.lastPktIpId, ttl: this.lastPktTtl,
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

/** The last packet an endpoint sent. */
export interface LastPacket {
  frame: number;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  time: number;
  ipId: number;
  ttl: number;
}
