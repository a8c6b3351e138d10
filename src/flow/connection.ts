// One TCP connection in Zeek's model: two endpoints, the state machine, history and conn_state.
// The transitions follow Zeek 9's TCP analyzer (TCPSessionAdapter::Process and UpdateStateMachine),
// re-expressed here; see docs/zeek-compat.md for what differs.
import { ACK, FIN, RST, SYN } from '../decode/packet.js';
import { seqDiff } from '../decode/seq.js';
import { connState, type ConnState } from './conn-state.js';
import {
  CLOSED, ESTABLISHED, Endpoint, EndpointTable, INACTIVE, PARTIAL, RESET, SYN_ACK_SENT, SYN_SENT,
} from './endpoint.js';
import type { IcmpEvidence } from './facts.js';
import type { ResetEvent } from './reset-event.js';
import { PacketLog, type PacketStore } from './packet-log.js';
import { HIST_ACK, HIST_DATA, HIST_FIN, HIST_FIN_RST, HIST_MULTI_FLAG, HIST_RST, HIST_SYN, History } from './history.js';

/** The shared empty ICMP list (frozen); the tracker gives a connection its own list on its first ICMP error. */
export const NO_ICMP = Object.freeze([]) as unknown as IcmpEvidence[];
/** The shared empty RST list (frozen): most connections have none. */
export const NO_RESETS = Object.freeze([]) as unknown as ResetEvent[];

/** Zeek's TOO_LARGE_SEQ_DELTA: SYN/RST sequence jumps beyond this are not trusted. */
const TOO_LARGE_SEQ_DELTA = 1048576;

/** Segment facts the state machine needs (a view of the decoded packet). */
export interface Segment {
  flags: number;
  seq: number;
  ack: number;
  len: number;
  window: number;
  wscale: number;
  time: number;
  checksumBad: boolean;
}

/** What is remembered of the last finished connection on a 4-tuple: the history a later RST is explained in. */
export interface PreviousConnection {
  id: number;
  /** Time and frame of its last packet. */
  endTime: number;
  lastFrame: number;
  state: string;
  /** It ended with FINs or a RST (else it went idle, or the table finalized it early). */
  closed: boolean;
  /** Payload, and a FIN, were seen on the 4-tuple up to its end (since the last close). */
  dataSeen: boolean;
  finSeen: boolean;
  /** The client of the previous connection is the client of this one. */
  sameClient: boolean;
  /** Next sequence number and last TTL of this connection's client and server there (null / 0 when unknown). */
  clientNextSeq: number | null;
  serverNextSeq: number | null;
  clientTtl: number;
  serverTtl: number;
}

export class Connection {
  /** 0-based per file, in order of first packet. */
  readonly id: number;
  /** Wireshark tcp.stream, or null when tshark would not decode the connection. */
  stream: number | null = null;
  /** Tuple-index entry and whether the originator is the entry's low endpoint. */
  readonly entry: number;
  origIsLow: boolean;
  orig: Endpoint;
  resp: Endpoint;
  readonly history = new History();
  flipped = false;
  /** Started with a SYN/ACK from the originator and not yet flipped (Zeek PR 2191). */
  private synAckStart = false;
  /** Exact timestamps of the first and last packet, and the file's precision for them. */
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;
  precision = 6;
  firstFrame = 0;
  lastFrame = 0;
  /** A FIN (not on a SYN) or payload was seen: RST phase facts. */
  finSeen = false;
  dataSeen = false;
  /** Tunnel chain of its packets ('' when none). */
  tunnel = '';
  /** Addresses and ports of the tuple's low and high endpoints; the client is the low one when origIsLow. */
  lowIp = '';
  lowPort = 0;
  highIp = '';
  highPort = 0;
  communityId = '';
  /** Gaps between packets at this capture point (their sum and maximum are in `times`). */
  gapCount = 0;
  /** The last finished connection on the same 4-tuple (however long ago), or null. */
  previous: PreviousConnection | null = null;
  /** The tuple history was cleared (stream index at its cap) after this capture began: an earlier connection may be forgotten. */
  historyForgotten = false;
  /** What the first payload of each side looks like (TLS ClientHello SNI, HTTP request line), '' when nothing. */
  clientApp = '';
  serverApp = '';
  /** Kept packets for diagrams and evidence (bounded). */
  readonly log: PacketLog;
  /** The client's first packets' kinds (analyze/tamper.ts), 3 bits each, how many, and whether it went quiet after them. */
  clientKinds = 0;
  clientKindCount = 0;
  clientQuiet = false;
  /** ICMP errors quoting this connection's segments (at most 16 kept). */
  icmp: IcmpEvidence[] = NO_ICMP;
  /** RSTs seen so far (the tracker's, while live). */
  resets: ResetEvent[] = NO_RESETS;
  /** Position in the tracker's list of live connections (-1 once finished). */
  at = -1;
  /** The capture second of the tracker's timer wheel this connection waits in (Infinity: none). */
  wheelAt = Infinity;

  /**
   * Every time-valued field in one array of doubles (V8 stores them unboxed there; as object fields each
   * would be a separate heap number): first/last time, Zeek's remove and attempt timers, the last packet and
   * last activity, gap sum and maximum, and the handshake times.
   */
  private readonly times: number[] = [0, 0, Infinity, Infinity, 0, 0, 0, 0, 0, 0, 0];

  get firstTime(): number { return this.times[0]!; }
  set firstTime(v: number) { this.times[0] = v; }
  get lastTime(): number { return this.times[1]!; }
  set lastTime(v: number) { this.times[1] = v; }
  get removeAt(): number { return this.times[2]!; }
  set removeAt(v: number) { this.times[2] = v; }
  get attemptAt(): number { return this.times[3]!; }
  set attemptAt(v: number) { this.times[3] = v; }
  get lastPacketTime(): number { return this.times[4]!; }
  set lastPacketTime(v: number) { this.times[4] = v; }
  get lastActivityTime(): number { return this.times[5]!; }
  set lastActivityTime(v: number) { this.times[5] = v; }
  get gapSum(): number { return this.times[6]!; }
  set gapSum(v: number) { this.times[6] = v; }
  get gapMax(): number { return this.times[7]!; }
  set gapMax(v: number) { this.times[7] = v; }
  get synTime(): number { return this.times[8]!; }
  set synTime(v: number) { this.times[8] = v; }
  get synAckTime(): number { return this.times[9]!; }
  set synAckTime(v: number) { this.times[9] = v; }
  get handshakeAckTime(): number { return this.times[10]!; }
  set handshakeAckTime(v: number) { this.times[10] = v; }

  get client(): { ip: string; port: number } {
    return this.origIsLow ? { ip: this.lowIp, port: this.lowPort } : { ip: this.highIp, port: this.highPort };
  }

  get server(): { ip: string; port: number } {
    return this.origIsLow ? { ip: this.highIp, port: this.highPort } : { ip: this.lowIp, port: this.lowPort };
  }

  constructor(id: number, entry: number, origIsLow: boolean, store?: PacketStore | null, endpoints?: EndpointTable) {
    this.orig = new Endpoint(endpoints);
    this.resp = new Endpoint(endpoints);
    this.log = new PacketLog(store);
    this.id = id;
    this.entry = entry;
    this.origIsLow = origIsLow;
  }

  get state(): ConnState {
    return connState(
      { state: this.orig.state, size: zeekSize(this.orig) },
      { state: this.resp.state, size: zeekSize(this.resp) },
      this.history.text,
    );
  }

  /** Would Zeek have removed this connection by network time `now` (timers only; idleness is the tracker's)? */
  expiredAt(now: number): boolean {
    if (now > this.removeAt) return true;
    return now > this.attemptAt && this.attemptPending();
  }

  /** Zeek's attempt timer applies: only a SYN (or SYN/ACK) from the originator so far, nothing back. */
  attemptPending(): boolean {
    const o = this.orig.state;
    return (o === SYN_SENT || o === SYN_ACK_SENT) && this.resp.state === INACTIVE;
  }

  /** Zeek's IsClosed(): one side's close (FIN or RST) has been processed. */
  get closed(): boolean {
    return this.orig.didClose || this.resp.didClose;
  }

  /** Swap originator and responder (Zeek's FlipRoles). */
  flip(): void {
    const o = this.orig;
    this.orig = this.resp;
    this.resp = o;
    this.origIsLow = !this.origIsLow;
    this.history.flip();
    this.flipped = true;
    this.clientKinds = 0; // they were the other side's
    this.clientKindCount = 0;
    this.synAckStart = false;
  }

  /** Zeek's IsReuse(): does this SYN (or SYN/ACK of a half connection) start a new connection? */
  isReuse(flags: number, seq: number): boolean {
    if (!(flags & SYN)) return false;
    let connOrig = this.orig;
    if (flags & ACK) {
      if (this.orig.state !== INACTIVE) return false;
      connOrig = this.resp;
    }
    if (!this.closed) {
      if (connOrig.seqInit && seq === connOrig.startSeq) return false;
      if (!(flags & ACK) && connOrig.state === SYN_ACK_SENT && this.resp.state === INACTIVE && seq === this.resp.startSeq) {
        return false;
      }
    }
    return true;
  }

  /** Processes one segment; `isOrig` says whether it comes from the originator. */
  process(isOrig: boolean, s: Segment): void {
    // Zeek PR 2191: a connection that began with a SYN/ACK flips once an ACK or data segment follows.
    if (this.synAckStart && !(s.flags & (SYN | FIN | RST)) && (s.flags & ACK || s.len > 0)) {
      this.flip();
      this.resp.setState(ESTABLISHED);
      isOrig = !isOrig;
    }
    const ep = isOrig ? this.orig : this.resp;
    const peer = isOrig ? this.resp : this.orig;
    const f = s.flags;
    const h = this.history;

    if (s.checksumBad) {
      ep.chkCount++;
      ep.chkThresh = h.scaled('C', isOrig, ep.chkCount, ep.chkThresh);
      return; // Zeek drops packets with bad checksums when it checks them
    }

    const segLen = s.len + (f & SYN ? 1 : 0) + (f & FIN ? 1 : 0) - (f & RST ? s.len : 0);
    const onePast = (s.seq + segLen) >>> 0;
    initEndpoint(ep, f, s.seq, onePast);
    const relSeq = seqDiff(s.seq, ep.startSeq);

    recordHistory(h, ep, isOrig, f, relSeq, s.len);
    const scaledWindow = s.window * 2 ** ep.windowScale;
    if (scaledWindow === 0 && !(f & RST) && peer.state !== CLOSED && ep.state !== RESET) {
      ep.win0Count++;
      ep.win0Thresh = h.scaled('W', isOrig, ep.win0Count, ep.win0Thresh);
    }
    if (!this.orig.didClose || !this.resp.didClose) this.lastTime = s.time;
    if (f & SYN) {
      if (s.wscale < 0) {
        ep.windowScale = 0;
        if (f & ACK) peer.windowScale = 0;
      } else ep.windowScale = Math.min(s.wscale, 14);
    }
    if (f & ACK) {
      if (peer.state === INACTIVE) {
        const base = (s.ack - 1) >>> 0;
        peer.startSeq = peer.ackSeq = peer.lastSeq = peer.maxSeqEnd = base;
        peer.seqInit = true;
      } else if (!(f & RST) && seqDiff(s.ack, peer.ackSeq) > 0 && !(s.ack === 0 && seqDiff(s.ack, peer.ackSeq) > TOO_LARGE_SEQ_DELTA)) {
        peer.ackSeq = s.ack;
      }
    }
    updateLastSeq(h, ep, isOrig, onePast, f, s.len);
    const close = this.updateStateMachine(ep, peer, isOrig, s);
    if (f & ACK && !(f & (FIN | RST))) this.ackReceived(peer, !isOrig, s.ack);
    if (s.len > 0 && !(f & RST) && seqDiff(onePast, ep.maxSeqEnd) > 0) ep.maxSeqEnd = onePast;
    if (close) this.connectionClosed(ep, peer);
  }

  /** Content gap (Zeek's 'G'): the peer acknowledges data of `ep` that was never seen. */
  private ackReceived(ep: Endpoint, epIsOrig: boolean, ack: number): void {
    if (ep.state !== ESTABLISHED || (epIsOrig ? this.resp : this.orig).state !== ESTABLISHED) return;
    if (seqDiff(ack, ep.maxSeqEnd) > 0 && ep.maxSeqEnd !== ep.startSeq) {
      ep.gapCount++;
      ep.gapThresh = this.history.scaled('G', epIsOrig, ep.gapCount, ep.gapThresh);
      ep.maxSeqEnd = ack;
    }
  }

  private connectionClosed(ep: Endpoint, peer: Endpoint): void {
    if (ep.didClose) return;
    ep.didClose = true;
    if (ep.state === RESET || peer.didClose || peer.state === INACTIVE) {
      this.removeAt = Math.min(this.removeAt, this.lastTime + ZEEK_CLOSE_DELAY);
    }
  }

  private updateStateMachine(ep: Endpoint, peer: Endpoint, isOrig: boolean, s: Segment): boolean {
    const f = s.flags;
    let close = false;
    switch (ep.state) {
      case INACTIVE: {
        if (f & SYN) {
          if (isOrig) {
            ep.setState(f & ACK ? SYN_ACK_SENT : SYN_SENT);
            if (f & ACK && peer.state === INACTIVE && !this.flipped && this.history.text.length <= 1) this.synAckStart = true;
            if (this.attemptAt === Infinity) this.attemptAt = s.time + ZEEK_ATTEMPT_DELAY;
          } else {
            if (!(f & ACK) && peer.state === SYN_ACK_SENT && s.seq === ep.startSeq) {
              this.flip(); // SYN and SYN/ACK captured in reverse order
              peer.setState(ESTABLISHED);
            }
            if (peer.state === SYN_SENT) peer.setState(ESTABLISHED);
            ep.setState(ESTABLISHED);
          }
        }
        if (f & FIN) {
          ep.setState(CLOSED);
          close = true;
        }
        if (f & RST) {
          ep.setState(RESET);
          close = true;
        }
        if (ep.state === INACTIVE) {
          if (!isOrig && s.len === 0 && this.orig.state === SYN_SENT) {
            // an early ACK of a SYN before the SYN/ACK does not make the connection partial
          } else if (f & ACK && peer.state === ESTABLISHED) ep.setState(ESTABLISHED);
          else ep.setState(PARTIAL);
        }
        break;
      }
      case SYN_SENT:
      case SYN_ACK_SENT:
        if (f & FIN) {
          ep.setState(CLOSED);
          close = true;
        }
        if (f & RST) {
          ep.setState(RESET);
          close = true;
        }
        break;
      case ESTABLISHED:
      case PARTIAL:
        if (f & SYN && ep.state === PARTIAL && peer.state === INACTIVE && !(f & ACK)) ep.setState(SYN_SENT);
        if (f & FIN && !(f & RST)) {
          ep.setState(CLOSED);
          if (peer.state === RESET && peer.prevState === CLOSED) peer.setState(CLOSED);
          close = true;
        }
        if (f & RST) {
          ep.setState(RESET);
          close = true;
        }
        break;
      case CLOSED:
        if (f & RST && peer.state !== CLOSED) {
          ep.setState(RESET);
          if (!ep.didClose) close = true;
          this.removeAt = Math.min(this.removeAt, s.time + ZEEK_RESET_DELAY);
        }
        break;
      default:
        break; // RESET: nothing changes
    }
    return close;
  }
}

/** Zeek's defaults (init-bare.zeek), in seconds. */
export const ZEEK_CLOSE_DELAY = 5;
export const ZEEK_RESET_DELAY = 5;
export const ZEEK_ATTEMPT_DELAY = 5;

function initEndpoint(ep: Endpoint, f: number, seq: number, onePast: number): void {
  const reinit = (): void => {
    ep.startSeq = ep.ackSeq = seq;
    ep.lastSeq = onePast;
    ep.maxSeqEnd = onePast;
    ep.seqInit = true;
  };
  switch (ep.state) {
    case INACTIVE:
      if (f & SYN) reinit();
      else {
        ep.startSeq = ep.ackSeq = (seq - 1) >>> 0;
        ep.lastSeq = seq;
        ep.maxSeqEnd = seq;
        ep.seqInit = true;
      }
      break;
    case SYN_SENT:
    case SYN_ACK_SENT:
    case ESTABLISHED:
    case PARTIAL:
      if (f & SYN && seq !== ep.startSeq) reinit();
      else if (f & SYN && (ep.state === ESTABLISHED || ep.state === PARTIAL)) reinit();
      break;
    case RESET:
      if (f & SYN && ep.prevState === INACTIVE) reinit();
      break;
    default:
      break;
  }
}

function recordHistory(h: History, ep: Endpoint, isOrig: boolean, f: number, relSeq: number, len: number): void {
  const bits = (f & SYN ? 1 : 0) + (f & FIN ? 1 : 0) + (f & RST ? 1 : 0);
  if (bits > 1) {
    if (f & FIN && f & RST) h.check(HIST_FIN_RST, 'I', isOrig);
    else h.check(HIST_MULTI_FLAG, 'Q', isOrig);
  } else if (bits === 1) {
    if (f & SYN) {
      const code = f & ACK ? 'H' : 'S';
      if (h.check(HIST_SYN, code, isOrig) && relSeq !== ep.histLastSyn) h.add(code, isOrig);
      ep.histLastSyn = relSeq;
    }
    if (f & FIN) {
      if (h.check(HIST_FIN, 'F', isOrig) && relSeq + len !== ep.histLastFin) h.add('F', isOrig);
      ep.histLastFin = relSeq + len;
    }
    if (f & RST) {
      if (h.check(HIST_RST, 'R', isOrig) && relSeq !== ep.histLastRst) h.add('R', isOrig);
      ep.histLastRst = relSeq;
    }
  } else if (len > 0) h.check(HIST_DATA, 'D', isOrig);
  else if (f & ACK) h.check(HIST_ACK, 'A', isOrig);
}

function updateLastSeq(h: History, ep: Endpoint, isOrig: boolean, lastSeq: number, f: number, len: number): void {
  const delta = seqDiff(lastSeq, ep.lastSeq);
  if (f & (SYN | RST) && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA)) {
    // outlandish SYN/RST sequence numbers are not trusted
  } else if (f & FIN && ep.lastSeq === ((ep.startSeq + 1) >>> 0)) ep.lastSeq = lastSeq;
  else if (ep.state === RESET) {
    // nothing after a RST is trusted
  } else if (delta > 0) ep.lastSeq = lastSeq;
  else if (len > 0) {
    ep.rxmitCount++;
    ep.rxmitThresh = h.scaled('T', isOrig, ep.rxmitCount, ep.rxmitThresh);
  }
}

/** Zeek's TCP_Endpoint::Size(): payload octets by sequence range, SYN and FIN excluded. */
function zeekSize(ep: Endpoint): number {
  if (!ep.seqInit) return 0;
  const a = seqDiff(ep.ackSeq, ep.startSeq);
  const l = seqDiff(ep.lastSeq, ep.startSeq);
  let size = Math.max(a, l, 0);
  if (size !== 0) size--;
  if (ep.finCount > 0 && size !== 0) size--;
  return size;
}
