// Turns tracker objects and verdicts into contract records (the only place that shapes output fields).
import { formatIsoTime } from '../capture/timestamp.js';
import type { ResetVerdict } from '../analyze/verdict.js';
import type { Connection } from '../flow/connection.js';
import type { Endpoint as FlowEndpoint } from '../flow/endpoint.js';
import type { ResetEvent } from '../flow/reset-event.js';
import type { ConnectionRecord, DirectionStats, ResetRecord } from './contract.js';
import { flagLetters } from './flags.js';

/** Timestamps of a connection's first and last packet, formatted by the caller's clock. */
export interface TimeSpan {
  first: string;
  last: string;
}

export function connectionRecord(file: string, c: Connection, span: TimeSpan, resets: number, verdict: string | null, tamperSignature: string | null): ConnectionRecord {
  return {
    file, id: c.id, stream: c.stream, community_id: c.communityId, proto: 'tcp',
    client: c.client, server: c.server, state: c.state, history: c.history.text,
    first_frame: c.firstFrame, last_frame: c.lastFrame, first: span.first, last: span.last,
    duration: round6(c.lastTime - c.firstTime),
    packets: c.orig.packets + c.resp.packets, bytes: c.orig.bytes + c.resp.bytes,
    tunnel: c.tunnel || null,
    one_sided: c.orig.packets === 0 || c.resp.packets === 0,
    client_app: c.clientApp && c.clientApp !== '-' ? c.clientApp : null,
    server_app: c.serverApp && c.serverApp !== '-' ? c.serverApp : null,
    client_stats: directionStats(c.orig), server_stats: directionStats(c.resp),
    resets, verdict, tamper_signature: tamperSignature,
  };
}

export function resetRecord(file: string, r: ResetEvent, connId: number, v: ResetVerdict): ResetRecord {
  return {
    file, frame: r.frame, time: formatIsoTime(r.tsSec, r.tsNsec, r.precision), connection: connId,
    stream: r.stream, caused_by: v.causedBy, sender: r.fromOrig ? 'client' : 'server',
    src: r.src, dst: r.dst, sport: r.sport, dport: r.dport, flags: flagLetters(r.flags),
    seq: r.seq, ack: r.ack, ttl: r.ttl, ip_id: r.ipId >= 0 ? r.ipId : null, window: r.window,
    phase: v.phase, cause: v.cause, origin: v.origin, confidence: v.confidence,
    effect: v.effect, linux_reason: v.linuxReason, rst_payload: v.rstPayload, mptcp_reason: v.mptcpReason, evidence: v.evidence, advice: v.advice, duplicate_of: r.duplicateOf,
  };
}

function directionStats(e: FlowEndpoint): DirectionStats {
  return {
    packets: e.packets, bytes: e.bytes, isn: e.isn, next_seq: e.nextSeq, highest_ack: e.highestAck,
    ttls: [...e.ttls], ip_ids: [...e.ipIds], retransmissions: e.retransmissions, out_of_order: e.outOfOrder,
    zero_windows: e.zeroWindows, window: e.window >= 0 ? e.window : null, mss: e.mss >= 0 ? e.mss : null,
    wscale: e.wscale >= 0 ? e.wscale : null, sack_permitted: e.sackPermitted, timestamps: e.timestamps,
    syn: e.synCount, fin: e.finCount, rst: e.rstCount,
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
