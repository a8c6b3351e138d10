// Single-point origin by consistency: how far a RST departs from what its claimed sender's own packets and
// stack would send here. Each signature carries a weight (log-likelihood ratio, forged vs genuine); the sum with
// a low prior gives P(forged), so one strong deviation can decide, two weak ones need not, and a RST a genuine
// stack sends in that state is never called forged: checks stay silent, or weigh little, where real stacks vary.
import { ACK, FIN, SYN } from '../decode/packet.js';
import { seqDiff } from '../decode/seq.js';
import type { ResetEvent } from '../flow/reset-event.js';
import type { ResetContext } from './context.js';
import { hops, initialTtl } from './hops.js';

export type SignatureId = 'race' | 'burst' | 'sequence' | 'hops' | 'ip-id' | 'fingerprint' | 'timing' | 'syn-ack';

export interface Signature {
  id: SignatureId;
  /** The letter used in docs/causes.md: (a) .. (h). */
  letter: string;
  detail: string;
  /** Log-likelihood ratio it adds to the forged hypothesis. */
  weight: number;
}

/** Prior log-odds that a RST is forged: forged RSTs are rare at most capture points. */
export const PRIOR_LOG_ODDS = -4;
/** P(forged) at or above which the origin is `middlebox`. */
export const FORGED_AT = 0.5;

/** All signatures that fire for this RST. */
export function forgedSignatures(ctx: ResetContext): Signature[] {
  const out: Signature[] = [];
  for (const check of CHECKS) {
    const s = check(ctx);
    if (s) out.push(s);
  }
  return out;
}

/** P(forged) from the signatures that fired. */
export function forgedProbability(signatures: readonly Signature[]): number {
  let z = PRIOR_LOG_ODDS;
  for (const s of signatures) z += s.weight;
  return 1 / (1 + Math.exp(-z));
}

/** (a) the claimed sender goes on after its RST: new data at or beyond its sequence number, or a SYN/ACK. */
function race(ctx: ResetContext): Signature | undefined {
  const { r, conn } = ctx;
  // Before its handshake completes, a stack answers an unacceptable segment with <SEQ=SEG.ACK><CTL=RST> and keeps
  // its connection (RFC 9293 3.10.7.3; Linux's reset_and_undo in SYN-SENT): going on after it is genuine.
  const synchronized = r.fromOrig ? conn.synAckTime > 0 && conn.synAckTime < r.time : conn.handshakeAckTime > 0 && conn.handshakeAckTime < r.time;
  if (!synchronized && ctx.isExactReply && !(r.flags & ACK)) return undefined;
  const p = ctx.after.find((x) => x.fromOrig === r.fromOrig && ((x.len > 0 && !(x.flags & SYN) && seqDiff(x.seq, r.seq) >= 0) ||
    (x.flags & (SYN | ACK)) === (SYN | ACK)));
  if (!p) return undefined;
  const what = p.flags & SYN ? 'a SYN/ACK' : `${p.len} bytes of new data (seq ${p.seq})`;
  return { id: 'race', letter: 'a', weight: 6, detail: `the ${ctx.role} sent ${what} in frame ${p.frame}, ${ms(p.time - r.time)} after its RST: a stack that reset the connection sends nothing more` };
}

/** (b) several RSTs within 2 s whose sequence numbers jump beyond what the sender ever sent. */
function burst(ctx: ResetContext): Signature | undefined {
  const { r } = ctx;
  const near = nearbyResets(ctx.resets, ctx.index).filter((x) => x.fromOrig === r.fromOrig && x.duplicateOf === null && Math.abs(x.time - r.time) <= 2);
  if (near.length < 2) return undefined;
  // What the sender sent reaches at least what the receiver acknowledged (its data may not have been captured).
  const sent = (x: ResetEvent): number | null => x.senderNextSeq === null ? x.receiverAck : x.receiverAck !== null && seqDiff(x.receiverAck, x.senderNextSeq) > 0 ? x.receiverAck : x.senderNextSeq;
  const jumps = near.filter((x) => sent(x) !== null && seqDiff(x.seq, sent(x)!) > 2);
  if (jumps.length === 0) return undefined;
  const list = jumps.slice(0, 4).map((x) => `frame ${x.frame} seq ${x.seq} (+${seqDiff(x.seq, sent(x)!)})`).join(', ');
  return { id: 'burst', letter: 'b', weight: 2.5, detail: `${near.length} RSTs within 2 s, sequence numbers beyond the ${ctx.role}'s highest: ${list}` };
}

/**
 * (c) a sequence number no genuine stack would use: outside the receiver's window as it stood when the RST
 * arrived, and below it by more than the receiver's window (a RST answering an older in-flight segment sits a little below).
 */
function sequence(ctx: ResetContext): Signature | undefined {
  const { r } = ctx;
  if (ctx.isExactReply || ctx.atNextSeq || r.receiverAck === null || r.receiverWindow < 0 || (r.flags & ACK && r.seq === 0 && ctx.answers && ctx.answers.flags & SYN)) return undefined;
  const scale = ctx.peer.wscale >= 0 && ctx.sender.wscale >= 0 ? ctx.peer.wscale : 0;
  const wnd = Math.max(r.receiverWindow * 2 ** scale, 1);
  const off = seqDiff(r.seq, r.receiverAck);
  if (off < wnd && off > -Math.max(wnd, 65535)) return undefined;
  return { id: 'sequence', letter: 'c', weight: 2.5, detail: `RST seq ${r.seq} is ${off} from what the receiver expected when it arrived (${r.receiverAck}), outside its window of ${wnd}; neither a reply to the ${ctx.role === 'client' ? 'server' : 'client'}'s segments nor the sender's next sequence number` };
}

/** (d) a hop count unlike the claimed sender's own packets (on this connection, on the 4-tuple before, or elsewhere here). */
function hopCount(ctx: ResetContext): Signature | undefined {
  const { r, sender } = ctx;
  // TTL 1 (eBGP) and 255 (GTSM) set on a socket are not hop counts: a stateless reply carries the stack's default.
  const own = sender.ttls.filter((t) => t !== 1);
  if (r.ttl === 1 || (own.length > 0 && own.every((t) => t === 255) && r.ttl !== 255)) return undefined;
  const h = hops(r.ttl);
  const socketReset = ctx.atNextSeq && !ctx.isExactReply;
  // A scanner crafts its SYNs (nmap randomizes their TTL) while its kernel resets the SYN/ACK: nothing to compare.
  const onlySyns = sender.packets - sender.rstCount === sender.synCount;
  if (onlySyns && ctx.isExactReply && ctx.answers !== null && (ctx.answers.flags & (SYN | ACK)) === (SYN | ACK)) return undefined;
  if (own.length > 0) {
    const ownHops = own.map(hops);
    if (ownHops.includes(h) && own.some((t) => initialTtl(t) === initialTtl(r.ttl))) return undefined;
    // Another initial TTL (64, 128, 255) is another stack, however close the hop counts.
    const sameStack = own.some((t) => initialTtl(t) === initialTtl(r.ttl));
    const diff = Math.min(...ownHops.map((x) => Math.abs(x - h)));
    // Another initial TTL at the very same distance may be the host's other stack path (a no-socket reply): weaker.
    const weight = !sameStack ? (diff === 0 ? 3.5 : 5.5) : diff >= 2 ? 5.5 : socketReset ? 4.5 : 4.2;
    return {
      id: 'hops', letter: 'd', weight,
      detail: `RST TTL ${r.ttl} (${h} hops from an initial ${initialTtl(r.ttl)}) while the ${ctx.role}'s own packets on this connection came ${[...new Set(ownHops)].join('/')} hops (TTL ${own.join('/')})`,
    };
  }
  const prevTtl = ctx.role === 'client' ? ctx.conn.previous?.clientTtl : ctx.conn.previous?.serverTtl;
  if (prevTtl && prevTtl !== 1 && (hops(prevTtl) !== h || initialTtl(prevTtl) !== initialTtl(r.ttl))) {
    // The same TCP connection when Zeek split it off after an idle gap: as strong as its own packets.
    const goesOn = !ctx.conn.previous!.closed;
    const far = Math.abs(hops(prevTtl) - h) >= 2 || initialTtl(prevTtl) !== initialTtl(r.ttl);
    return { id: 'hops', letter: 'd', weight: far ? 5.5 : goesOn ? 4.2 : 3.5, detail: `RST TTL ${r.ttl} (${h} hops) while the ${ctx.role}'s own packets earlier on this 4-tuple (up to connection ${ctx.conn.previous!.id}) came ${hops(prevTtl)} hops (TTL ${prevTtl})` };
  }
  // The same address on its other connections here: strong when they all came one hop count, weak when they vary.
  const host = ctx.env.host(r.src);
  const sameStack = host !== undefined && host.initials.has(initialTtl(r.ttl));
  if (!host || host.hops.size === 0 || (host.hops.has(h) && sameStack)) return undefined;
  const seen = [...host.hops.keys()];
  const closest = Math.min(...seen.map((x) => Math.abs(x - h)));
  const nearest = sameStack || closest === 0 ? closest : Infinity;
  const consistent = seen.length === 1;
  if (!consistent && nearest < 2) return undefined;
  return {
    id: 'hops', letter: 'd', weight: consistent ? (nearest >= 2 ? 4.5 : 4.2) : 2.5,
    detail: `RST TTL ${r.ttl} (${h} hops from an initial ${initialTtl(r.ttl)}) while ${r.src}'s own packets on ${host.connections} other connection${host.connections === 1 ? '' : 's'} here came ${seen.join('/')} hops from an initial ${[...host.initials].join('/')}`,
  };
}

/**
 * (e) IP ID: copied from the packet it answers, or jumping far from the sender's counter. A stack's no-socket
 * reply (macOS, Windows, network OSes) draws from another counter, so a jump weighs little there; Linux's
 * stateless RST (IP ID 0 with DF) is exempt.
 */
function ipId(ctx: ResetContext): Signature | undefined {
  const { r, sender, answers } = ctx;
  if (r.ipId < 0 || (r.ipId === 0 && r.df)) return undefined;
  const ids = sender.ipIds;
  // A small IP ID (crafted captures often use 1) proves no copy; a random-looking one equal to the segment's does.
  if (answers && answers.ipId >= 256 && r.ipId === answers.ipId && !ids.includes(r.ipId)) {
    return { id: 'ip-id', letter: 'e', weight: 3.5, detail: `RST IP ID ${r.ipId} is the IP ID of frame ${answers.frame}, the ${ctx.role === 'client' ? 'server' : 'client'}'s packet it answers: copied, not drawn from the ${ctx.role}'s own counter` };
  }
  // IP ID 0 marks Linux's SYN/ACK and stateless packets, drawn from no counter: the counter is the rest.
  const counter = ids.filter((v) => v !== 0);
  if (counter.length < 2) return undefined;
  const steps = counter.slice(1).map((v, i) => (v - counter[i]! + 65536) % 65536);
  if (!steps.every((s) => s > 0 && s < 256)) return undefined; // the sender's IDs are not a counter: nothing to compare
  const last = counter.at(-1)!;
  const d = (r.ipId - last + 65536) % 65536;
  if (d <= 2048 || 65536 - d <= 64) return undefined;
  const socketReset = ctx.atNextSeq && !ctx.isExactReply;
  // A socket's abort draws from its own counter: a jump faster than 20,000 packets a second since its last packet is no stack's.
  const elapsed = r.senderLastTime > 0 ? r.time - r.senderLastTime : Infinity;
  const tooFast = socketReset && d > 20_000 * Math.max(elapsed, 0.001);
  return { id: 'ip-id', letter: 'e', weight: tooFast ? 4.2 : socketReset ? 2.5 : 0.7, detail: `RST IP ID ${r.ipId} jumps ${d} from the ${ctx.role}'s recent IDs (${counter.slice(-4).join(', ')})${socketReset ? '' : '; a no-socket reply may use another counter'}` };
}

/** (f) DF / window unlike the sender's stack (a Linux stateless RST has window 0 and DF). */
function fingerprint(ctx: ResetContext): Signature | undefined {
  const { r, sender } = ctx;
  const allDf = sender.packets - sender.rstCount > 0 && sender.dfPackets === sender.packets - sender.rstCount;
  const socketReset = ctx.atNextSeq && !ctx.isExactReply;
  if (r.ipId >= 0 && allDf && !r.df) {
    return { id: 'fingerprint', letter: 'f', weight: socketReset ? 1.5 : 0.5, detail: `RST without DF while every other IPv4 packet of the ${ctx.role} had DF set${socketReset ? '' : ' (no-socket replies of some stacks carry no DF)'}` };
  }
  const linux = sender.timestamps && sender.ttls.some((t) => initialTtl(t) === 64);
  if (linux && ctx.isExactReply && !(r.flags & ACK) && r.window !== 0) {
    return { id: 'fingerprint', letter: 'f', weight: 1.5, detail: `a Linux-like ${ctx.role} (TTL 64, timestamps) answers with window 0 on a stateless RST; this one has window ${r.window}` };
  }
  return undefined;
}

/**
 * (g) the RST came back sooner after its trigger than the path's round trip allows, measured at this point.
 * Silent when the capture was taken on the claimed sender's own host (its packets travelled no hop).
 */
function timing(ctx: ResetContext): Signature | undefined {
  const { r, conn, answers } = ctx;
  if (!answers || !ctx.isExactReply) return undefined;
  if (ctx.sender.ttls.some((t) => hops(t) === 0)) return undefined;
  const rtt = r.fromOrig ? conn.handshakeAckTime - conn.synAckTime : conn.synAckTime - conn.synTime;
  if (!(conn.synAckTime > 0 && rtt > MIN_RTT)) return undefined;
  // The handshake's round trip is one sample and includes the listener's work: only far faster counts.
  const delay = r.time - answers.time;
  if (delay >= rtt / 3) return undefined;
  return { id: 'timing', letter: 'g', weight: 2.5, detail: `RST ${ms(delay)} after frame ${answers.frame}, while the ${ctx.role}'s round trip measured here in the handshake is ${ms(rtt)}` };
}

/** (h) a RST+ACK answering a SYN whose ack is not the SYN's sequence number + 1: no stack sends it, and the client's stack discards it. */
function synAck(ctx: ResetContext): Signature | undefined {
  const { r, answers } = ctx;
  if (!answers || (answers.flags & (SYN | ACK)) !== SYN || !(r.flags & ACK)) return undefined;
  const want = (answers.seq + answers.len + 1 + (answers.flags & FIN ? 1 : 0)) >>> 0;
  if (r.ack === want) return undefined;
  return { id: 'syn-ack', letter: 'h', weight: 5, detail: `RST ack ${r.ack} answers the SYN of frame ${answers.frame} (seq ${answers.seq}) with ${seqDiff(r.ack, answers.seq)} instead of seq + 1: not a stack's reply, and unacceptable to the client (RFC 9293 3.10.7.3)` };
}

/** RSTs around `r` in the connection's list (at most BURST_SCAN each side): a RST storm stays linear. */
function nearbyResets(resets: readonly ResetEvent[], i: number): readonly ResetEvent[] {
  return resets.slice(Math.max(0, i - BURST_SCAN), i + BURST_SCAN + 1);
}

const BURST_SCAN = 16;

/** Round trips shorter than this (50 µs) are too close to capture jitter to judge by. */
const MIN_RTT = 0.00005;

const CHECKS = [race, burst, sequence, hopCount, ipId, fingerprint, timing, synAck];

function ms(s: number): string {
  return `${(s * 1000).toFixed(3)} ms`;
}
