// What a RST says, or its sender would log, about why it was sent: the reason a Linux sender logs
// (tcp:tcp_send_reset), the RST diagnostic payload and MPTCP's MP_TCPRST reason.
import { ACK } from '../decode/packet.js';
import type { RstDiagnostic } from '../decode/rst-payload.js';
import { mptcpResetReasonName } from '../decode/tcp-options.js';
import type { ResetContext } from './context.js';
import { initialTtl } from './hops.js';
import { linuxResetReason, type LinuxResetReason } from './linux-reason.js';
import type { CauseId } from './rule.js';

export interface ResetReasons {
  linuxReason: LinuxResetReason | null;
  rstPayload: { code: number; pen: number; text: string } | null;
  mptcpReason: string | null;
}

/** The reasons of one RST once its cause and origin are known. */
export function resetReasons(ctx: ResetContext, cause: CauseId, origin: string): ResetReasons {
  return {
    linuxReason: origin === 'endpoint' && linuxLike(ctx) ? linuxResetReason(situation(ctx, cause)) : null,
    rstPayload: ctx.r.diagnostic ? payload(ctx.r.diagnostic) : null,
    mptcpReason: ctx.r.mptcpReason >= 0 ? mptcpResetReasonName(ctx.r.mptcpReason) : null,
  };
}

/** The sender looks like Linux here: initial TTL 64, and TCP timestamps or Linux's IP ID 0 on its RST or SYN/ACK. */
function linuxLike(ctx: ResetContext): boolean {
  const { sender, r } = ctx;
  const ttls = sender.ttls.length > 0 ? sender.ttls : [r.ttl];
  if (!ttls.every((t) => initialTtl(t) === 64)) return false;
  return sender.timestamps || (r.ipId === 0 && r.df) || r.ipId < 0;
}

function situation(ctx: ResetContext, cause: CauseId): Parameters<typeof linuxResetReason>[0] {
  const { r, sender, peer, conn } = ctx;
  const finBefore = sender.finFrame > 0 && sender.finFrame < r.frame;
  const noSocket = cause === 'port-closed' || cause === 'syn-scan' || cause === 'no-connection';
  return {
    cause, phase: r.phase, answersFlags: r.answers?.flags ?? null, answersLen: r.answers?.len ?? 0,
    rstHasAck: (r.flags & ACK) !== 0,
    senderHadConnection: !noSocket,
    // A server port that answered a SYN on this 4-tuple has a listener behind it.
    senderListening: ctx.role === 'server' && conn.resp.synCount > 0,
    finBeforeFromSender: finBefore,
    senderFinAcked: finBefore && r.receiverAck !== null && r.receiverAck === sender.nextSeq,
    peerFinBefore: peer.finFrame > 0 && peer.finFrame < r.frame,
    dataUnreadAtClose: cause === 'data-after-close' && !finBefore,
    fromMiddlebox: ctx.forged,
    mptcpRstReason: r.mptcpReason,
  };
}

/** The draft's payload, its registry name standing as text: draft -02 carries a code and a PEN, no wire text. */
function payload(d: RstDiagnostic): { code: number; pen: number; text: string } {
  return { code: d.code, pen: d.pen, text: d.description };
}
