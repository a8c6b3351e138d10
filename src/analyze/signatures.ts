// Signatures of a RST forged by a device in the path (bypass blocking, reset injection). Each one names
// its evidence. `origin: middlebox` needs the strong race signature (a) or two others; a genuine endpoint
// RST must never be called forged, so every check stays silent when its facts are missing.
import { SYN } from '../decode/packet.js';
import { seqDiff } from '../decode/seq.js';
import type { ResetEvent } from '../flow/reset-event.js';
import type { ResetContext } from './context.js';
import { hops, initialTtl } from './hops.js';

export type SignatureId = 'race' | 'burst' | 'sequence' | 'hops' | 'ip-id' | 'fingerprint' | 'timing';

export interface Signature {
  id: SignatureId;
  /** The letter used in issue #3 and docs/causes.md: (a) .. (g). */
  letter: string;
  detail: string;
}

/** All signatures that fire for this RST. */
export function forgedSignatures(ctx: ResetContext): Signature[] {
  const out: Signature[] = [];
  for (const check of CHECKS) {
    const s = check(ctx);
    if (s) out.push(s);
  }
  return out;
}

/** (a) new data from the purported sender after its RST, at or beyond the RST's sequence number. */
function race(ctx: ResetContext): Signature | undefined {
  const { r } = ctx;
  const p = ctx.after.find((x) => x.fromOrig === r.fromOrig && x.len > 0 && !(x.flags & SYN) && seqDiff(x.seq, r.seq) >= 0);
  if (!p) return undefined;
  return { id: 'race', letter: 'a', detail: `the ${ctx.role} sent ${p.len} bytes of new data (seq ${p.seq}) in frame ${p.frame}, ${ms(p.time - r.time)} after its RST: a stack that reset the connection sends nothing more` };
}

/** (b) several RSTs within 2 s whose sequence (or acknowledgement) jumps beyond what the sender ever sent. */
function burst(ctx: ResetContext): Signature | undefined {
  const { r } = ctx;
  const near = nearbyResets(ctx.resets, ctx.index).filter((x) => x.fromOrig === r.fromOrig && x.duplicateOf === null && Math.abs(x.time - r.time) <= 2);
  if (near.length < 2) return undefined;
  const jumps = near.filter((x) => x.senderNextSeq !== null && seqDiff(x.seq, x.senderNextSeq) > 2);
  if (jumps.length === 0) return undefined;
  const list = jumps.slice(0, 4).map((x) => `frame ${x.frame} seq ${x.seq} (+${seqDiff(x.seq, x.senderNextSeq!)})`).join(', ');
  return { id: 'burst', letter: 'b', detail: `${near.length} RSTs within 2 s, sequence numbers beyond the ${ctx.role}'s highest: ${list}` };
}

/** (c) a sequence number no genuine stack would use here, outside the receiver's window. */
function sequence(ctx: ResetContext): Signature | undefined {
  const { r, peer } = ctx;
  if (ctx.isExactReply || ctx.atNextSeq || peer.highestAck === null || peer.window < 0) return undefined;
  const scale = peer.wscale >= 0 && ctx.sender.wscale >= 0 ? peer.wscale : 0;
  const wnd = Math.max(peer.window * 2 ** scale, 1);
  const off = seqDiff(r.seq, peer.highestAck);
  if (off >= 0 && off < wnd) return undefined;
  return { id: 'sequence', letter: 'c', detail: `RST seq ${r.seq} is ${off} from what the receiver expects (${peer.highestAck}), outside its window of ${wnd}; not the reply to frame ${ctx.answers?.frame ?? '-'} nor the sender's next sequence number` };
}

/** (d) a hop count unlike the sender's other packets at this capture point. */
function hopCount(ctx: ResetContext): Signature | undefined {
  const { r, sender } = ctx;
  const h = hops(r.ttl);
  if (sender.ttls.length > 0) {
    const own = sender.ttls.map(hops);
    if (!own.includes(h)) {
      return { id: 'hops', letter: 'd', detail: `RST TTL ${r.ttl} (${h} hops from an initial ${initialTtl(r.ttl)}) while the ${ctx.role}'s other packets on this connection came ${[...new Set(own)].join('/')} hops (TTL ${sender.ttls.join('/')})` };
    }
    return undefined;
  }
  const usual = ctx.env.usualHops(r.src);
  if (usual !== null && Math.abs(usual - h) >= 2) {
    return { id: 'hops', letter: 'd', detail: `RST TTL ${r.ttl} (${h} hops) while ${r.src}'s packets on its other connections come ${usual} hops away` };
  }
  return undefined;
}

/** (e) an IP ID far from the sender's recent ones (Linux stateless RSTs, IP ID 0 with DF, are exempt). */
function ipId(ctx: ResetContext): Signature | undefined {
  const { r, sender } = ctx;
  if (r.ipId < 0 || (r.ipId === 0 && r.df) || sender.ipIds.length < 2) return undefined;
  const ids = sender.ipIds;
  const steps = ids.slice(1).map((v, i) => (v - ids[i]! + 65536) % 65536);
  if (!steps.every((s) => s > 0 && s < 256)) return undefined; // the sender's IDs are not a counter: nothing to compare
  const last = ids.at(-1)!;
  const d = (r.ipId - last + 65536) % 65536;
  if (d <= 2048 || 65536 - d <= 64) return undefined;
  return { id: 'ip-id', letter: 'e', detail: `RST IP ID ${r.ipId} jumps ${d} from the ${ctx.role}'s recent IDs (${ids.slice(-4).join(', ')})` };
}

/** (f) window / DF unlike the sender's stack (a Linux stateless RST has window 0 and DF). */
function fingerprint(ctx: ResetContext): Signature | undefined {
  const { r, sender } = ctx;
  const allDf = sender.packets - sender.rstCount > 0 && sender.dfPackets === sender.packets - sender.rstCount;
  if (r.ipId >= 0 && allDf && !r.df) {
    return { id: 'fingerprint', letter: 'f', detail: `RST without DF while every other IPv4 packet of the ${ctx.role} had DF set` };
  }
  const linux = sender.timestamps && sender.ttls.some((t) => initialTtl(t) === 64);
  if (linux && ctx.isExactReply && r.window !== 0) {
    return { id: 'fingerprint', letter: 'f', detail: `a Linux-like ${ctx.role} (TTL 64, timestamps) answers with window 0 on a stateless RST; this one has window ${r.window}` };
  }
  return undefined;
}

/** (g) the RST came back sooner after its trigger than the path's round trip, measured at this point, allows. */
function timing(ctx: ResetContext): Signature | undefined {
  const { r, conn, answers } = ctx;
  if (!answers || !ctx.isExactReply) return undefined;
  const rtt = r.fromOrig ? conn.handshakeAckTime - conn.synAckTime : conn.synAckTime - conn.synTime;
  if (!(conn.synAckTime > 0 && rtt > MIN_RTT)) return undefined;
  const delay = r.time - answers.time;
  if (delay >= rtt / 2) return undefined;
  return { id: 'timing', letter: 'g', detail: `RST ${ms(delay)} after frame ${answers.frame}, while the ${ctx.role}'s round trip measured here in the handshake is ${ms(rtt)}` };
}

/** RSTs around `r` in the connection's list (at most BURST_SCAN each side): a RST storm stays linear. */
function nearbyResets(resets: readonly ResetEvent[], i: number): readonly ResetEvent[] {
  return resets.slice(Math.max(0, i - BURST_SCAN), i + BURST_SCAN + 1);
}

const BURST_SCAN = 16;

/** Round trips shorter than this (50 µs) are too close to capture jitter to judge by. */
const MIN_RTT = 0.00005;

const CHECKS = [race, burst, sequence, hopCount, ipId, fingerprint, timing];

function ms(s: number): string {
  return `${(s * 1000).toFixed(3)} ms`;
}
