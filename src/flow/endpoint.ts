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

export class Endpoint {
  // ---- Zeek model ----
  state = INACTIVE;
  prevState = INACTIVE;
  /** Zeek's start_seq / last_seq / ack_seq (absolute, unsigned 32-bit); valid once `seqInit`. */
  startSeq = 0;
  lastSeq = 0;
  ackSeq = 0;
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
  /** Highest sequence number + length sent (for gap detection), valid once `seqInit`. */
  maxSeqEnd = 0;

  // ---- facts reported per direction ----
  /** Initial sequence number (the SYN's), or null when no SYN was captured. */
  isn: number | null = null;
  /** Next sequence number expected from this side (highest seq + len + SYN/FIN), null before any packet. */
  nextSeq: number | null = null;
  /** Highest acknowledgement number sent by this side, null before any ACK. */
  highestAck: number | null = null;
  packets = 0;
  /** Payload bytes (sum of TCP payload lengths, retransmissions included). */
  bytes = 0;
  retransmissions = 0;
  outOfOrder = 0;
  zeroWindows = 0;
  synCount = 0;
  finCount = 0;
  rstCount = 0;
  /** Distinct TTLs (IPv4) or hop limits (IPv6) seen, in order of appearance (at most 8 kept). */
  ttls: number[] = [];
  /** Last few IPv4 IDs, newest last. */
  ipIds: number[] = [];
  /** Last raw window value and, from the SYN, the options. */
  window = -1;
  mss = -1;
  wscale = -1;
  sackPermitted = false;
  timestamps = false;
  firstFrame = 0;
  lastFrame = 0;
  lastTime = 0;
  /** Frame of the last segment carrying payload, SYN or FIN. */
  lastSegFrame = 0;
  /** Time the next sequence number last advanced (tells out-of-order from retransmission). */
  lastAdvanceTime = 0;
  /** Retransmissions of the same segment in a row, unanswered by a peer ACK covering it. */
  rtxSeq = -1;
  rtxRun = 0;
  /** Retransmissions of the same segment in a row, even when this capture point saw ACKs covering it. */
  rtxRepeat = 0;
  /** Packets with the IPv4 DF bit (Linux sets it on everything, its RSTs included). */
  dfPackets = 0;
  /** TCP keepalive probes sent (no data, seq one below the next sequence number). */
  keepalives = 0;
  /** Frame and time of this side's first FIN (0 when none). */
  finFrame = 0;
  finTime = 0;
  /** This side's first SYN: flags (-1 when none), window, option kinds and DF (fingerprints). */
  synFlags = -1;
  synWindow = -1;
  synOptions = '';
  synDf = false;
  /** The last packet this side sent (frame 0 when none): what a RST from the peer answers. */
  readonly last = { frame: 0, flags: 0, seq: 0, ack: 0, len: 0, time: 0, ipId: 0, ttl: 0 };

  setState(s: number): void {
    this.prevState = this.state;
    this.state = s;
  }

  noteTtl(ttl: number): void {
    const t = this.ttls;
    if (t.length < 8 && !t.includes(ttl)) t.push(ttl);
  }

  noteIpId(id: number): void {
    if (id < 0) return;
    const ids = this.ipIds;
    if (ids.length === RECENT_IP_IDS) ids.shift();
    ids.push(id);
  }
}
