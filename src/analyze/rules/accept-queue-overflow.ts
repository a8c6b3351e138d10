// accept-queue-overflow: the listener's accept queue is full and tcp_abort_on_overflow=1: the server
// answers the client's third handshake packet (or first data) with a bare RST, seq = the client's ACK,
// having sent no data; often several at once from one server.
import { ACK } from '../../decode/packet.js';
import { seqDiff } from '../../decode/seq.js';
import type { Rule } from '../rule.js';
import { EXACT, PATTERN } from '../rule.js';
import { answersLine, handshakeCompleted, predictionLine, serverAnsweredSyn } from './basic.js';

/** Seconds after the handshake within which an overflow RST comes (it answers the ACK or the first data). */
const RIGHT_AFTER_HANDSHAKE = 3;

export const acceptQueueOverflow: Rule = {
  id: 'accept-queue-overflow',
  definition: "RST alone (seq = the client's ACK) right after the third handshake packet or the first data, no server data; often several at once from one server",
  advice: 'The listen backlog overflows: raise the backlog passed to listen() and net.core.somaxconn, make the accept loop faster (more workers), and check net.ipv4.tcp_abort_on_overflow (1 resets, 0 drops and lets the client retry); nstat -az TcpExtListenOverflows counts them.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    const { r, conn } = ctx;
    if (ctx.role !== 'server' || r.flags & ACK || !serverAnsweredSyn(ctx) || !handshakeCompleted(ctx)) return undefined;
    if (conn.resp.bytes > 0 || !ctx.isExactReply || conn.finSeen) return undefined;
    // A server that ACKed the client's data had accepted the connection: a later stateless RST is a half-open connection.
    const isn = conn.orig.isn;
    if (isn !== null && conn.resp.highestAck !== null && seqDiff(conn.resp.highestAck, (isn + 1) >>> 0) > 0) return undefined;
    // The listener refuses the connection when the handshake's last ACK (or the first data) reaches it.
    if (r.time - conn.handshakeAckTime > RIGHT_AFTER_HANDSHAKE) return undefined;
    const burst = ctx.env.bareResetsNear(`${r.src}:${r.sport}`, r.time, 1);
    const evidence = [answersLine(ctx), predictionLine(ctx)!, `the server sent a SYN/ACK and no data; the client had completed the handshake (${conn.orig.bytes} bytes sent)`];
    if (burst > 1) evidence.push(`${burst} bare RSTs from ${r.src}:${r.sport} after completed handshakes within 1 s`);
    return { confidence: burst > 1 ? EXACT : PATTERN, evidence };
  },
};
