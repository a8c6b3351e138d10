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

/** Updates `ep` (the sender's endpoint) with one of its packets. */
export function noteSegment(ep: Endpoint, p: Packet, frame: number, time: number): void {
  const f = p.flags;
  if (ep.packets === 0) ep.firstFrame = frame;
  ep.packets++;
  ep.lastFrame = frame;
  ep.bytes += f & RST ? 0 : p.payloadLen;
  ep.noteTtl(p.ttl);
  ep.noteIpId(p.ipId);
  ep.window = p.window;
  if (f & SYN) {
    ep.synCount++;
    if (ep.isn === null || ep.isn !== p.seq) ep.isn = p.seq;
    ep.mss = p.mss;
    ep.wscale = p.wscale;
    ep.sackPermitted = p.sackPermitted;
    ep.timestamps = p.tsVal >= 0;
  }
  if (f & FIN) ep.finCount++;
  if (f & RST) ep.rstCount++;
  if (f & ACK && (ep.highestAck === null || seqDiff(p.ack, ep.highestAck) > 0)) ep.highestAck = p.ack;
  if (p.window === 0 && !(f & (RST | SYN | FIN))) ep.zeroWindows++;
  if (!(f & RST)) {
    const end = (p.seq + p.payloadLen + (f & SYN ? 1 : 0) + (f & FIN ? 1 : 0)) >>> 0;
    if (ep.nextSeq === null || seqDiff(end, ep.nextSeq) > 0) {
      ep.nextSeq = end;
      ep.lastAdvanceTime = time;
    } else if (p.payloadLen > 0) {
      if (time - ep.lastAdvanceTime <= OUT_OF_ORDER_WINDOW) ep.outOfOrder++;
      else ep.retransmissions++;
    }
  }
  if (p.payloadLen > 0 || f & (SYN | FIN)) ep.lastSegFrame = frame;
  const last = ep.last;
  last.frame = frame;
  last.flags = f;
  last.seq = p.seq;
  last.ack = p.ack;
  last.len = p.payloadLen;
  last.time = time;
  ep.lastTime = time;
}
