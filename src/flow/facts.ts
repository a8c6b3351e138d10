// Per-direction facts rstscope reports (beyond Zeek's model): counts, TTLs, IP IDs, options, sequence state.
import { ACK, FIN, RST, SYN, type Packet } from '../decode/packet.js';
import { seqDiff } from '../decode/seq.js';
import type { Endpoint } from './endpoint.js';

/** Segments below the highest sequence arriving within this many seconds count as out of order, not retransmitted. */
const OUT_OF_ORDER_WINDOW = 0.003;

/** An ICMP error that quotes a segment of the connection. */
export interface IcmpEvidence {
  frame: number;
  time: number;
  type: number;
  code: number;
  version: 4 | 6;
  /** Address of the host that sent the ICMP error. */
  from: string;
  mtu: number;
  /** The quoted segment was sent by the originator. */
  fromOrig: boolean;
  seq: number;
}

/** The peer acknowledged `ack`: a retransmission run it covers is answered. */
export function noteAckFromPeer(ep: Endpoint, ack: number): void {
  if (ep.rtxRun > 0 && seqDiff(ack, ep.rtxSeq) > 0) ep.rtxRun = 0;
}

/** Updates `ep` (the sender's endpoint) with one of its packets. */
export function noteSegment(ep: Endpoint, p: Packet, frame: number, time: number): void {
  const f = p.flags;
  if (ep.packets === 0) ep.firstFrame = frame;
  ep.packets++;
  ep.lastFrame = frame;
  ep.bytes += f & RST ? 0 : p.payloadLen;
  if (f & RST) {
    // A RST's TTL, IP ID and window are judged against the sender's other packets: keep them apart.
    ep.rstCount++;
    ep.rstPktFrame = frame;
    ep.rstPktSeq = p.seq;
    ep.rstPktAck = p.ack;
    ep.rstPktFlags = p.flags;
    ep.rstPktIpId = p.ipId;
    ep.rstPktTtl = p.ttl;
    ep.rstPktTime = time;
    ep.lastTime = time;
    return;
  }
  ep.noteTtl(p.ttl);
  ep.noteIpId(p.ipId);
  ep.window = p.window;
  if (p.df) ep.dfPackets++;
  if (f & SYN) {
    if (ep.synFlags < 0) {
      ep.synFlags = f;
      ep.synWindow = p.window;
      ep.synOptions = p.optionKinds;
      ep.synDf = p.df;
    }
    ep.synCount++;
    if (ep.isn === null || ep.isn !== p.seq) ep.isn = p.seq;
    ep.mss = p.mss;
    ep.wscale = p.wscale;
    ep.sackPermitted = p.sackPermitted;
    ep.timestamps = p.tsVal >= 0;
  }
  if (f & FIN) {
    if (ep.finCount === 0) {
      ep.finFrame = frame;
      ep.finTime = time;
    }
    ep.finCount++;
  }
  if (f & ACK && (ep.highestAck === null || seqDiff(p.ack, ep.highestAck) > 0)) ep.highestAck = p.ack;
  if (p.window === 0 && !(f & (RST | SYN | FIN))) ep.zeroWindows++;
  if (!(f & RST)) {
    const end = (p.seq + p.payloadLen + (f & SYN ? 1 : 0) + (f & FIN ? 1 : 0)) >>> 0;
    if (ep.nextSeq === null || seqDiff(end, ep.nextSeq) > 0) {
      ep.nextSeq = end;
      ep.lastAdvanceTime = time;
      if (p.payloadLen > 0) ep.rtxRepeat = 0; // new data: earlier retransmissions are no longer in a row
    } else if (p.payloadLen <= 1 && !(f & (SYN | FIN)) && ((p.seq + 1) >>> 0) === ep.nextSeq) {
      ep.keepalives++; // a keepalive probe: one byte (or none) below the next sequence number
    } else if (p.payloadLen > 0) {
      if (time - ep.lastAdvanceTime <= OUT_OF_ORDER_WINDOW) ep.outOfOrder++;
      else {
        ep.retransmissions++;
        if (ep.rtxSeq === p.seq) {
          ep.rtxRun++;
          ep.rtxRepeat++;
        } else {
          ep.rtxSeq = p.seq;
          ep.rtxRun = 1;
          ep.rtxRepeat = 1;
        }
      }
    }
  }
  if (p.payloadLen > 0 || f & (SYN | FIN)) ep.lastSegFrame = frame;
  if (p.payloadLen > 0) ep.lastDataFrame = frame;
  noteLast(ep, p, frame, time, p.payloadLen);
}

function noteLast(ep: Endpoint, p: Packet, frame: number, time: number, len: number): void {
  ep.lastPktFrame = frame;
  ep.lastPktFlags = p.flags;
  ep.lastPktSeq = p.seq;
  ep.lastPktAck = p.ack;
  ep.lastPktLen = len;
  ep.lastPktTime = time;
  ep.lastPktIpId = p.ipId;
  ep.lastPktTtl = p.ttl;
  ep.lastTime = time;
}
