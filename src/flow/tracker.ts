// The live connection table: finds each packet's connection (splitting 4-tuples the way Zeek does),
// numbers streams as Wireshark does, records RSTs with their phase, and finalizes expired connections.
import { formatAddress } from '../decode/address.js';
import { seqDiff } from '../decode/seq.js';
import { ACK, FIN, KIND_ICMP_TCP, KIND_TCP, RST, SYN, type Packet } from '../decode/packet.js';
import { Connection, NO_ICMP, NO_RESETS, type PreviousConnection, type Segment } from './connection.js';
import { CONN_STATES } from './conn-state.js';
import { communityId } from './community-id.js';
import { noteAckFromPeer, noteSegment } from './facts.js';
import { describePayload } from '../decode/app.js';
import { decodeRstPayload } from '../decode/rst-payload.js';
import { TAMPER_PACKETS, TAMPER_QUIET, tamperKind } from './client-kinds.js';
import type { Phase, ResetEvent } from './reset-event.js';
import { LIKELY_SERVER_PORTS } from './server-ports.js';
import { EndpointTable } from './endpoint.js';
import { PacketStore } from './packet-log.js';
import { MAX_TUPLE_ENTRIES, TupleIndex } from './tuple-index.js';

export interface TrackerOptions {
  /** Idle connections are finalized after this many seconds without a packet (Zeek's tcp_inactivity_timeout). */
  idleTimeout: number;
  /** Live connections kept at most; beyond, the oldest are finalized early (counted in `evicted`). */
  maxConnections?: number;
  /** 4-tuples the stream index remembers at most; beyond, it starts afresh and `stream` becomes approximate. */
  maxTuples?: number;
  /**
   * Keep each connection's full packet log (handshake, last packets, packets before each RST) for diagrams
   * and reports. Without it the logs are lean: counters, and each RST with the packets after it (what the
   * rules read), with no per-packet row.
   */
  keepLogs?: boolean;
  /**
   * The sink's owner calls `release()` for every finished connection once done with it: endpoint rows stay
   * in the live table until then (no copy). Otherwise they are copied out at the finish (the connection may
   * be kept for as long as its owner likes, e.g. for diagrams).
   */
  callerReleases?: boolean;
}

export const DEFAULT_MAX_CONNECTIONS = 100_000;
export const DEFAULT_MAX_TUPLES = 8_000_000;

export interface FinishedConnection {
  conn: Connection;
  resets: ResetEvent[];
}

export type ConnectionSink = (done: FinishedConnection) => void;

/** Called as soon as a RST is seen (live mode writes a provisional verdict from it). */
export type ResetListener = (conn: Connection, resets: readonly ResetEvent[], r: ResetEvent) => void;

/** How often (in packets) the table is swept for expired connections. */
const SWEEP_EVERY = 4096;
const SWEEP_MAX = 1 << 20;
const MAX_ICMP_PER_CONNECTION = 16;

export class Tracker {
  readonly index = new TupleIndex();
  /** Packet rows for diagrams and reports; null (lean logs) when only the analysis reads them. */
  private readonly store: PacketStore | null;
  private readonly endpoints = new EndpointTable();
  /** Live connections, densely; each tuple entry's position here is the index's aux word (-1: none). */
  private readonly liveList: Connection[] = [];
  /** The same connections in order of opening (= id order): evictions and the final flush walk it without sorting. */
  private readonly opened = new Set<Connection>();
  /**
   * Timer wheel: live connections by the capture second in which they may first expire (Zeek's close/reset
   * and attempt timers, the idle timeout). A sweep visits only the seconds that are due, not every
   * connection (a per-second walk of every live connection is quadratic over long captures).
   */
  private readonly wheel = new Map<number, Set<Connection>>();
  /** The last finished connection of each tuple entry (TIME_WAIT reuse, later RSTs' history), in columns: 28 bytes a tuple. */
  private readonly history = new TupleHistory();
  /** RSTs of the connections that just ended on a tuple entry, until its next connection's first packet (bounded). */
  private readonly endedByReset = new Map<number, EndedByReset>();
  /** Times the stream index (and with it the tuple history) was cleared at its cap. */
  private historyClears = 0;
  private nextId = 0;
  private packetsSinceSweep = 0;
  private lastSweep = 0;
  private now = 0;
  /** Connections finalized early because the table was full. */
  evicted = 0;
  /** The stream index was reset at its cap: later `stream` numbers may differ from tshark's. */
  streamsApproximate = false;
  /** Peak number of live connections. */
  peakLive = 0;
  icmpErrors = 0;
  private readonly logged = { frame: 0, time: 0, fromOrig: false, flags: 0, seq: 0, ack: 0, len: 0, window: 0, ttl: 0, ipId: 0, df: false };
  private readonly addrLow = new Uint8Array(16);
  private readonly addrHigh = new Uint8Array(16);
  private readonly seg: Segment = { flags: 0, seq: 0, ack: 0, len: 0, window: 0, wscale: -1, time: 0, checksumBad: false };

  /** Set by live mode to hear about each RST as it arrives. */
  onReset: ResetListener | undefined;

  constructor(private readonly opts: TrackerOptions, private readonly sink: ConnectionSink) {
    this.store = opts.keepLogs === true ? new PacketStore() : null;
  }

  /** The capture clock moved to `now` without packets (live input, wall-clock timer): expire what is due. */
  tick(now: number): void {
    if (now > this.now) this.now = now;
    this.sweep();
  }

  /** Feeds one decoded packet (KIND_TCP or KIND_ICMP_TCP; other kinds are ignored). */
  packet(p: Packet, frame: number, tsSec: number, tsNsec: number, precision: number): void {
    const time = tsSec + tsNsec / 1e9;
    if (time > this.now) this.now = time;
    if (p.kind === KIND_ICMP_TCP) return this.icmp(p, frame, time);
    if (p.kind !== KIND_TCP) return;
    // NOTE: hot path
    if (this.index.size >= Math.min(this.opts.maxTuples ?? DEFAULT_MAX_TUPLES, MAX_TUPLE_ENTRIES)) this.resetIndex();
    const ref = this.index.lookup(p.buf, p.srcOff, p.dstOff, p.ipVersion, p.sport, p.dport)!;
    const entry = ref.entry;
    const srcIsLow = ref.srcIsLow;
    const f = p.flags;
    const stream = p.streamless ? null : this.index.assignStream(entry, srcIsLow, (f & SYN) !== 0, (f & ACK) !== 0, p.seq);

    let c = this.liveOf(entry);
    if (c && (c.expiredAt(time) || time - c.lastTime > this.opts.idleTimeout || c.isReuse(f, p.seq))) {
      this.finish(c);
      c = undefined;
    }
    if (!c) {
      c = this.open(p, entry, srcIsLow, frame, time);
      c.firstSec = tsSec;
      c.firstNsec = tsNsec;
      c.precision = precision;
    }
    if (c.stream === null && stream !== null) c.stream = stream;
    if (p.tunnel && !c.tunnel) c.tunnel = p.tunnel;

    const dupOf = this.duplicateOf(c, srcIsLow === c.origIsLow, p, time);
    if (f & RST) {
      const ev = this.resetEvent(c, p, frame, tsSec, tsNsec, time, precision, stream, srcIsLow);
      ev.duplicateOf = dupOf;
      if (c.resets === NO_RESETS) c.resets = [];
      c.resets.push(ev);
      this.onReset?.(c, c.resets, ev);
    }

    const s = this.seg;
    s.flags = f;
    s.seq = p.seq;
    s.ack = p.ack;
    s.len = p.payloadLen;
    s.window = p.window;
    s.wscale = p.wscale;
    s.time = time;
    s.checksumBad = p.checksumOk === false;
    c.process(srcIsLow === c.origIsLow, s);
    const fromOrig = srcIsLow === c.origIsLow; // roles may have flipped in process()
    const gapBefore = c.lastPacketTime > 0 ? time - c.lastPacketTime : c.previous !== null ? time - c.previous.endTime : 0;
    if (c.resets !== NO_RESETS && !(f & RST)) noteIgnoredResets(c, fromOrig, p, frame, time);
    this.noteTiming(c, fromOrig, p, time);
    if (dupOf !== null) return this.afterPacket(c, frame, tsSec, tsNsec); // a copy: the original was counted
    if (fromOrig && c.clientKindCount < TAMPER_PACKETS) c.clientKinds |= tamperKind(f, p.payloadLen, p.ack) << (3 * c.clientKindCount++);
    const sender = fromOrig ? c.orig : c.resp;
    if (f & RST) {
      if (sender.owed > 0) sender.owed--;
    } else {
      sender.owed = 0;
      (fromOrig ? c.resp : c.orig).owed++;
    }
    const keepalivesBefore = sender.keepalives;
    noteSegment(sender, p, frame, time);
    if (!(f & RST)) sender.lastPktGap = gapBefore;
    if (sender.keepalives === keepalivesBefore && !(f & RST)) c.lastActivityTime = time;
    if (f & ACK) noteAckFromPeer(fromOrig ? c.resp : c.orig, p.ack);
    if (p.payloadLen > 0 && p.capturedPayloadLen > 0 && !(f & RST)) {
      if (fromOrig && !c.clientApp) c.clientApp = describePayload(p.buf, p.payloadOff, p.capturedPayloadLen, p.payloadLen) || '-';
      if (!fromOrig && !c.serverApp) c.serverApp = describePayload(p.buf, p.payloadOff, p.capturedPayloadLen, p.payloadLen) || '-';
    }
    const lp = this.logged;
    lp.frame = frame;
    lp.time = time;
    lp.fromOrig = srcIsLow; // stored as "from the low endpoint" until the roles are final
    lp.flags = f;
    lp.seq = p.seq;
    lp.ack = p.ack;
    lp.len = f & RST ? 0 : p.payloadLen;
    lp.window = p.window;
    lp.ttl = p.ttl;
    lp.ipId = p.ipId;
    lp.df = p.df;
    c.log.add(lp, (f & RST) !== 0);
    if (f & FIN && !(f & SYN)) c.finSeen = true;
    if (p.payloadLen > 0 && !(f & RST)) c.dataSeen = true;
    this.afterPacket(c, frame, tsSec, tsNsec);
  }

  private afterPacket(c: Connection, frame: number, tsSec: number, tsNsec: number): void {
    c.lastFrame = frame;
    c.lastSec = tsSec;
    c.lastNsec = tsNsec;
    // The packet may have armed a timer (a close, a SYN) or moved time back: expiry moved earlier, wait less.
    const second = Math.floor(this.earliestExpiry(c));
    if (second < c.wheelAt) this.file(c, second);
    // Sweep at most once per second of capture time (or every SWEEP_MAX packets): a sweep visits the wheel's due seconds.
    if (++this.packetsSinceSweep >= SWEEP_EVERY && (this.now - this.lastSweep >= 1 || this.packetsSinceSweep >= SWEEP_MAX)) this.sweep();
  }

  /** Gaps between packets and the handshake times at this capture point. */
  private noteTiming(c: Connection, fromOrig: boolean, p: Packet, time: number): void {
    if (c.lastPacketTime > 0) {
      const gap = time - c.lastPacketTime;
      c.gapCount++;
      c.gapSum += gap;
      if (gap > c.gapMax) c.gapMax = gap;
    } else c.lastActivityTime = time;
    c.lastPacketTime = time;
    const f = p.flags;
    if (f & SYN) {
      if (!(f & ACK) && fromOrig) c.synTime = time;
      else if (f & ACK && !fromOrig && c.synAckTime === 0) c.synAckTime = time;
    } else if (fromOrig && f & ACK && c.synAckTime > 0 && c.handshakeAckTime === 0) c.handshakeAckTime = time;
  }

  /**
   * Frame of an identical packet from the same side within 1 ms (same IP ID, seq, ack, flags, length), or null. RSTs
   * with IP ID 0 (Linux's stateless replies, one per in-flight segment) are copies only when their TTLs differ or
   * no segment of the peer (when it was seen at all) is left for them to answer.
   */
  private duplicateOf(c: Connection, fromOrig: boolean, p: Packet, time: number): number | null {
    const d = fromOrig ? c.orig : c.resp;
    if (p.flags & RST) {
      const same = d.rstPktFrame > 0 && time - d.rstPktTime <= 0.001 && d.rstPktIpId === p.ipId && d.rstPktSeq === p.seq &&
        d.rstPktAck === p.ack && d.rstPktFlags === p.flags && (p.ipId > 0 || d.rstPktTtl !== p.ttl || (d.owed === 0 && (fromOrig ? c.resp : c.orig).packets > 0));
      return same ? d.rstPktFrame : null;
    }
    const same = d.lastPktFrame > 0 && time - d.lastPktTime <= 0.001 && d.lastPktIpId === p.ipId && d.lastPktSeq === p.seq &&
      d.lastPktAck === p.ack && d.lastPktFlags === p.flags && d.lastPktLen === p.payloadLen &&
      (p.ipId >= 0 || d.lastPktTtl !== p.ttl || p.payloadLen > 0);
    return same ? d.lastPktFrame : null;
  }

  /** Finalizes every connection still open (end of capture), in order of first packet. */
  flush(): void {
    for (const _ of this.flushInBatches()) {
      // each batch is finalized as the generator runs
    }
  }

  /** `flush()` a batch at a time: yields after every `batch` connections so the caller can write their output. */
  *flushInBatches(batch = 4096): Generator<void> {
    const all = [...this.opened];
    for (let i = 0; i < all.length; i++) {
      this.finish(all[i]!);
      if ((i + 1) % batch === 0) yield;
    }
  }

  /** With `callerReleases`: the owner is done with finished connection `c`; its endpoint rows are reused. */
  release(c: Connection): void {
    c.orig.release();
    c.resp.release();
  }

  get liveCount(): number {
    return this.liveList.length;
  }

  private liveOf(entry: number): Connection | undefined {
    const at = this.index.aux(entry);
    return at < 0 ? undefined : this.liveList[at];
  }

  private open(p: Packet, entry: number, srcIsLow: boolean, frame: number, time: number): Connection {
    // Zeek's WantConnection: without a SYN (or on a SYN/ACK), guess the server by well-known ports.
    const f = p.flags;
    let flip = false;
    if ((!(f & SYN) || f & ACK) && LIKELY_SERVER_PORTS.has(p.sport)) {
      flip = LIKELY_SERVER_PORTS.has(p.dport) ? !(f & SYN) && p.sport < p.dport : true;
    }
    const c = new Connection(this.nextId++, entry, srcIsLow, this.store, this.endpoints);
    if (flip) c.flip();
    c.firstTime = time;
    c.lastTime = time;
    c.firstFrame = frame;
    c.lowPort = srcIsLow ? p.sport : p.dport;
    c.highPort = srcIsLow ? p.dport : p.sport;
    c.previous = this.history.get(entry, c.origIsLow);
    this.noteReceiverGoesOn(entry, srcIsLow, p, frame, time);
    c.historyForgotten = c.previous === null && this.historyClears > 0;
    if (this.liveList.length >= (this.opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS)) this.evictOldest();
    c.at = this.liveList.length;
    this.index.setAux(entry, c.at);
    this.liveList.push(c);
    this.opened.add(c);
    this.schedule(c, -Infinity);
    if (this.liveList.length > this.peakLive) this.peakLive = this.liveList.length;
    return c;
  }

  /** Addresses as text and the Community ID, made when first needed (a RST, the end): not kept while live. */
  private name(c: Connection): void {
    if (c.lowIp !== '') return;
    const a = this.addrLow;
    const b = this.addrHigh;
    const v = this.index.addressBytes(c.entry, true, a);
    this.index.addressBytes(c.entry, false, b);
    c.lowIp = formatAddress(a, 0, v);
    c.highIp = formatAddress(b, 0, v);
    const n = v === 4 ? 4 : 16;
    c.communityId = communityId(a.subarray(0, n), b.subarray(0, n), c.lowPort, c.highPort);
  }

  private resetEvent(
    c: Connection, p: Packet, frame: number, tsSec: number, tsNsec: number, time: number, precision: number,
    stream: number | null, srcIsLow: boolean,
  ): ResetEvent {
    this.name(c);
    const fromOrig = srcIsLow === c.origIsLow;
    const sender = fromOrig ? c.orig : c.resp;
    const peer = fromOrig ? c.resp : c.orig;
    const srcIp = srcIsLow ? c.lowIp : c.highIp;
    const answers = peer.lastPktFrame > 0 ? peer.last : null;
    // After a RST it sent or accepted, an endpoint keeps no state: its later RSTs answer an unknown connection. A
    // peer's RST counts only when the segment this RST answers came after it (else both answer what was in flight).
    const ownReset = c.resets.find((r) => r.duplicateOf === null && r.ignoredBy === null &&
      (r.fromOrig === fromOrig || answers === null || answers.frame > r.frame));
    // A connection Zeek split off after an idle gap (no new SYN) goes on with its 4-tuple's history.
    const prev = c.previous;
    const goesOn = prev !== null && !prev.closed && c.orig.synCount === 0 && c.resp.synCount === 0;
    const senderBefore = sender.packets > 0 || (goesOn && (fromOrig ? prev.clientTtl : prev.serverTtl) > 0);
    const peerBefore = peer.packets > 0 || (goesOn && (fromOrig ? prev.serverTtl : prev.clientTtl) > 0);
    let phase: Phase;
    if (!senderBefore && !peerBefore) phase = 'none';
    else if (ownReset) phase = 'none';
    else if (!senderBefore && !(answers && answers.flags & SYN)) phase = 'none';
    else if (c.finSeen || (goesOn && prev.finSeen)) phase = 'teardown';
    else if (c.dataSeen || (goesOn && prev.dataSeen)) phase = 'data';
    else phase = 'handshake';
    return {
      frame, tsSec, tsNsec, time, precision, stream, fromOrig,
      src: srcIp, dst: srcIsLow ? c.highIp : c.lowIp, sport: p.sport, dport: p.dport,
      flags: p.flags, seq: p.seq, ack: p.ack, ttl: p.ttl, ipId: p.ipId, df: p.df, window: p.window,
      payloadLen: p.payloadLen, text: printable(p.buf, p.payloadOff, p.capturedPayloadLen),
      diagnostic: decodeRstPayload(p.buf, p.payloadOff, p.capturedPayloadLen, p.payloadLen), mptcpReason: p.mptcpRstReason,
      phase, afterReset: ownReset ? ownReset.frame : null, answers,
      senderNextSeq: sender.nextSeq, senderLastTime: sender.lastPktTime, peerDataFrame: peer.lastDataFrame, receiverAck: peer.highestAck, receiverWindow: peer.window, ignoredBy: null, tunnel: p.tunnel,
      silence: c.lastPacketTime > 0 ? time - c.lastPacketTime : 0,
      activitySilence: c.lastActivityTime > 0 ? time - c.lastActivityTime : 0,
      senderRtxRun: sender.rtxRun, senderRtxRepeat: sender.rtxRepeat, duplicateOf: null,
    };
  }

  private icmp(p: Packet, frame: number, time: number): void {
    this.icmpErrors++;
    const ref = this.index.lookup(p.buf, p.srcOff, p.dstOff, p.ipVersion, p.sport, p.dport, false);
    const live = ref ? this.liveOf(ref.entry) : undefined;
    if (!ref || !live || live.icmp.length >= MAX_ICMP_PER_CONNECTION) return;
    if (live.icmp === NO_ICMP) live.icmp = [];
    live.icmp.push({
      frame, time, type: p.icmpType, code: p.icmpCode, version: p.ipVersion,
      from: formatAddress(p.buf, p.icmpFromOff, p.ipVersion), mtu: p.icmpMtu,
      fromOrig: ref.srcIsLow === live.origIsLow, seq: p.seq,
    });
  }

  /** The table is full (a flood): finalize the connections opened first. */
  private evictOldest(): void {
    const n = Math.max(1, this.liveList.length >> 6);
    const victims: Connection[] = [];
    for (const l of this.opened) {
      victims.push(l);
      if (victims.length >= n) break;
    }
    this.evicted += victims.length;
    for (const l of victims) this.finish(l);
  }

  /** The stream index is full: finalize everything live and start a fresh index (streams keep counting up). */
  private resetIndex(): void {
    this.flush();
    this.history.clear();
    this.endedByReset.clear();
    this.historyClears++;
    this.index.clear();
    this.streamsApproximate = true;
  }

  private sweep(): void {
    this.packetsSinceSweep = 0;
    const now = this.now;
    this.lastSweep = now;
    const nowKey = Math.floor(now);
    const due: Connection[] = [];
    for (const [second, set] of this.wheel) {
      if (second > nowKey) continue;
      for (const l of set) due.push(l);
      this.wheel.delete(second);
    }
    const done: Connection[] = [];
    for (const l of due) {
      l.wheelAt = Infinity;
      if (l.expiredAt(now) || now - l.lastTime > this.opts.idleTimeout) done.push(l);
      else this.schedule(l, nowKey + 1); // its expiry moved on since it was filed (more packets came): file it again
    }
    done.sort((a, b) => a.id - b.id); // in order of first packet
    for (const l of done) this.finish(l);
  }

  /** The earliest network time at which `c` can expire (its timers, or idleness); the clock must pass it. */
  private earliestExpiry(c: Connection): number {
    let e = c.lastTime + this.opts.idleTimeout;
    if (c.removeAt < e) e = c.removeAt;
    if (c.attemptAt < e && c.attemptPending()) e = c.attemptAt;
    return e;
  }

  /** Files `c` in the wheel at the second it may expire in, but not before second `notBefore`. */
  private schedule(c: Connection, notBefore: number): void {
    this.file(c, Math.max(Math.floor(this.earliestExpiry(c)), notBefore));
  }

  /** Files `c` under `second` (Infinity: nowhere). */
  private file(c: Connection, second: number): void {
    this.unschedule(c);
    c.wheelAt = second;
    if (second === Infinity) return;
    let set = this.wheel.get(second);
    if (!set) this.wheel.set(second, (set = new Set()));
    set.add(c);
  }

  private unschedule(c: Connection): void {
    if (c.wheelAt === Infinity) return;
    const set = this.wheel.get(c.wheelAt);
    if (set) {
      set.delete(c);
      if (set.size === 0) this.wheel.delete(c.wheelAt);
    }
    c.wheelAt = Infinity;
  }

  private finish(l: Connection): void {
    this.name(l);
    this.index.setAux(l.entry, -1);
    this.opened.delete(l);
    this.unschedule(l);
    const list = this.liveList;
    const moved = list.pop()!;
    if (moved !== l) {
      list[l.at] = moved;
      moved.at = l.at;
      this.index.setAux(moved.entry, l.at);
    }
    l.at = -1;
    this.history.set(l.entry, l);
    l.clientQuiet = this.now - l.orig.lastTime >= TAMPER_QUIET;
    const client = l.client;
    // The roles may have flipped after a RST arrived: re-derive each RST's side from its source.
    for (const r of l.resets) r.fromOrig = r.src === client.ip && r.sport === client.port;
    // Analysis reads only the RST windows; the head and last packets are for diagrams and reports (keepLogs).
    l.log.seal(l.origIsLow, this.opts.keepLogs === true);
    if (this.opts.callerReleases !== true) {
      l.orig.detach();
      l.resp.detach();
    }
    // Its RSTs wait a moment for the tuple's next connection: a receiver that goes on there ignored them.
    this.endedByReset.delete(l.entry);
    if (l.resets.length > 0) {
      if (this.endedByReset.size >= MAX_ENDED_BY_RESET) this.endedByReset.delete(this.endedByReset.keys().next().value!);
      const low = l.origIsLow ? l.orig : l.resp;
      const high = l.origIsLow ? l.resp : l.orig;
      this.endedByReset.set(l.entry, { resets: l.resets, origIsLow: l.origIsLow, isnLow: low.isn, isnHigh: high.isn });
    }
    this.sink({ conn: l, resets: l.resets });
  }

  /**
   * The first packet of a new connection on a 4-tuple whose last connection had RSTs: when it comes from a RST's
   * receiver as a retransmission of its own SYN (same initial sequence number), that receiver ignored the RST
   * (a stack discards a RST whose ack is unacceptable in SYN-SENT).
   */
  private noteReceiverGoesOn(entry: number, srcIsLow: boolean, p: Packet, frame: number, time: number): void {
    const ended = this.endedByReset.get(entry);
    if (!ended) return;
    this.endedByReset.delete(entry);
    if ((p.flags & (SYN | ACK)) !== SYN || p.seq !== (srcIsLow ? ended.isnLow : ended.isnHigh)) return;
    for (const r of ended.resets) {
      const senderIsLow = r.fromOrig === ended.origIsLow;
      if (r.ignoredBy === null && r.duplicateOf === null && senderIsLow !== srcIsLow && time - r.time <= RETRY_WITHIN) r.ignoredBy = frame;
    }
  }
}


/**
 * A packet from the receiver of an earlier RST shows it kept the connection (it ignored the RST) when it acknowledges
 * more than it had when the RST arrived, sent after the RST could have reached it (1.5 round trips from this capture
 * point, measured in the handshake; 200 ms when unknown): queued data still draining proves nothing. The challenge
 * ACK RFC 5961 answers a RST with an unacceptable sequence number counts at once.
 */
function noteIgnoredResets(c: Connection, fromOrig: boolean, p: Packet, frame: number, time: number): void {
  if (!(p.flags & ACK)) return;
  // The most recent RSTs only: a RST storm on one connection stays linear.
  const resets = c.resets;
  for (let i = Math.max(0, resets.length - IGNORE_SCAN); i < resets.length; i++) {
    const r = resets[i]!;
    if (r.ignoredBy !== null || r.duplicateOf !== null || r.fromOrig === fromOrig) continue;
    const rtt = fromOrig ? c.handshakeAckTime - c.synAckTime : c.synAckTime - c.synTime;
    const allowance = c.synAckTime > 0 && rtt > 0 ? 1.5 * rtt + 0.001 : IGNORE_ALLOWANCE_UNKNOWN;
    const advanced = r.receiverAck === null || seqDiff(p.ack, r.receiverAck) > 0;
    const challengeAck = p.payloadLen === 0 && (p.flags & (SYN | FIN)) === 0 && r.receiverAck !== null &&
      p.ack === r.receiverAck && r.seq !== r.receiverAck && !(r.flags & ACK && r.seq === 0);
    if ((advanced && time - r.time > allowance) || challengeAck) r.ignoredBy = frame;
  }
}

interface EndedByReset {
  resets: ResetEvent[];
  origIsLow: boolean;
  /** Initial sequence numbers of the tuple's low and high endpoints in that connection. */
  isnLow: number | null;
  isnHigh: number | null;
}

/** Connections ended with RSTs remembered for their tuple's next connection, and how soon a SYN retry must come. */
const MAX_ENDED_BY_RESET = 4096;
const RETRY_WITHIN = 10;

/** RSTs of a connection (the most recent) a packet from their receiver is checked against. */
const IGNORE_SCAN = 16;

/** Seconds a RST's receiver may still send in-flight packets when its round trip is unknown. */
const IGNORE_ALLOWANCE_UNKNOWN = 0.2;

/** Text carried by a RST (RFC 1122 4.2.2.12 allows diagnostic text), when mostly printable; capped at 200 chars. */
function printable(buf: Uint8Array, off: number, len: number): string {
  if (len <= 0) return '';
  const n = Math.min(len, 200);
  let s = '';
  let good = 0;
  for (let i = off; i < off + n; i++) {
    const b = buf[i]!;
    if (b >= 0x20 && b < 0x7f) {
      s += String.fromCharCode(b);
      good++;
    } else s += '.';
  }
  return good * 2 >= n ? s : '';
}

/**
 * Per tuple entry, the last finished connection: id, end time, last frame, conn_state and roles (17 bytes),
 * and what a later RST on the tuple is explained with: each side's next sequence number and last TTL (11 bytes).
 */
class TupleHistory {
  private readonly pages: HistoryPage[] = [];

  set(entry: number, c: Connection): void {
    // Pages of 64k entries, added as entries grow: nothing is copied, no slack beyond one page.
    while (entry >>> HISTORY_SHIFT >= this.pages.length) this.pages.push(newHistoryPage());
    const p = this.pages[entry >>> HISTORY_SHIFT]!;
    const i = entry & HISTORY_MASK;
    const low = c.origIsLow ? c.orig : c.resp;
    const high = c.origIsLow ? c.resp : c.orig;
    // A side that sent nothing but RSTs here keeps what the tuple's earlier connections showed of it.
    const known = p.id[i]! >= 0;
    const old = known ? p.flags[i]! : 0;
    p.id[i] = c.id;
    p.end[i] = c.lastPacketTime;
    p.frame[i] = c.lastFrame;
    p.meta[i] = CONN_STATES.indexOf(c.state) | (c.origIsLow ? 0x80 : 0);
    let flags = (c.closed ? HIST_CLOSED : 0) | (c.dataSeen ? HIST_DATA : 0) | (c.finSeen ? HIST_FIN : 0);
    // An idle split goes on with the tuple's facts: data and FINs seen before stay seen.
    if (known && !(old & HIST_CLOSED)) flags |= old & (HIST_DATA | HIST_FIN);
    if (low.packets > low.rstCount) {
      p.ttlLow[i] = low.lastPktTtl;
      p.seqLow[i] = low.nextSeq ?? 0;
      if (low.nextSeq !== null) flags |= HIST_SEQ_LOW;
    } else if (known) flags |= old & HIST_SEQ_LOW;
    else p.ttlLow[i] = 0;
    if (high.packets > high.rstCount) {
      p.ttlHigh[i] = high.lastPktTtl;
      p.seqHigh[i] = high.nextSeq ?? 0;
      if (high.nextSeq !== null) flags |= HIST_SEQ_HIGH;
    } else if (known) flags |= old & HIST_SEQ_HIGH;
    else p.ttlHigh[i] = 0;
    p.flags[i] = flags;
  }

  /** The previous connection of `entry` as seen by a new one whose originator is the low endpoint when `origIsLow`. */
  get(entry: number, origIsLow: boolean): PreviousConnection | null {
    const p = this.pages[entry >>> HISTORY_SHIFT];
    const i = entry & HISTORY_MASK;
    if (p === undefined || p.id[i]! < 0) return null;
    const meta = p.meta[i]!;
    const f = p.flags[i]!;
    const seqLow = f & HIST_SEQ_LOW ? p.seqLow[i]! : null;
    const seqHigh = f & HIST_SEQ_HIGH ? p.seqHigh[i]! : null;
    return {
      id: p.id[i]!, endTime: p.end[i]!, state: CONN_STATES[meta & 0x7f]!, closed: (f & HIST_CLOSED) !== 0,
      dataSeen: (f & HIST_DATA) !== 0, finSeen: (f & HIST_FIN) !== 0,
      sameClient: ((meta & 0x80) !== 0) === origIsLow, lastFrame: p.frame[i]!,
      clientNextSeq: origIsLow ? seqLow : seqHigh, serverNextSeq: origIsLow ? seqHigh : seqLow,
      clientTtl: origIsLow ? p.ttlLow[i]! : p.ttlHigh[i]!, serverTtl: origIsLow ? p.ttlHigh[i]! : p.ttlLow[i]!,
    };
  }

  clear(): void {
    for (const p of this.pages) p.id.fill(-1);
  }
}

const HISTORY_SHIFT = 16;
const HISTORY_MASK = (1 << HISTORY_SHIFT) - 1;
const HIST_CLOSED = 1;
const HIST_SEQ_LOW = 2;
const HIST_SEQ_HIGH = 4;
const HIST_DATA = 8;
const HIST_FIN = 16;

interface HistoryPage {
  id: Int32Array;
  end: Float64Array;
  frame: Uint32Array;
  /** conn_state index | 0x80 when the originator was the low endpoint. */
  meta: Uint8Array;
  seqLow: Uint32Array;
  seqHigh: Uint32Array;
  ttlLow: Uint8Array;
  ttlHigh: Uint8Array;
  flags: Uint8Array;
}

function newHistoryPage(): HistoryPage {
  const n = 1 << HISTORY_SHIFT;
  return {
    id: new Int32Array(n).fill(-1), end: new Float64Array(n), frame: new Uint32Array(n), meta: new Uint8Array(n),
    seqLow: new Uint32Array(n), seqHigh: new Uint32Array(n), ttlLow: new Uint8Array(n), ttlHigh: new Uint8Array(n), flags: new Uint8Array(n),
  };
}
