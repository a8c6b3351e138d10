// The reset reason Linux logs for a RST (enum sk_rst_reason, include/net/rstreason.h), as the tcp:tcp_send_reset
// tracepoint prints it ("... state=TCP_ESTABLISHED reason=TCP_STATE"), predicted from what rstscope diagnosed.
// The mapping follows the kernel's call sites (docs/linux-reasons.md has the table); cause and reason are not one-to-one.
import { ACK, RST, SYN } from '../decode/packet.js';
import type { Phase } from '../flow/reset-event.js';
import type { CauseId } from './rule.js';

/** Kernel whose call sites the mapping follows. */
export const LINUX_REASON_KERNEL = '6.18';

/** Every reason tcp:tcp_send_reset prints: the enum names without the SK_RST_REASON_ prefix, in enum order. */
export const LINUX_RESET_REASONS = [
  'NOT_SPECIFIED', 'NO_SOCKET', 'TCP_INVALID_ACK_SEQUENCE', 'TCP_RFC7323_PAWS', 'TCP_TOO_OLD_ACK', 'TCP_ACK_UNSENT_DATA',
  'TCP_FLAGS', 'TCP_OLD_ACK', 'TCP_ABORT_ON_DATA', 'TCP_TIMEWAIT_SOCKET', 'INVALID_SYN', 'TCP_ABORT_ON_CLOSE',
  'TCP_ABORT_ON_LINGER', 'TCP_ABORT_ON_MEMORY', 'TCP_STATE', 'TCP_KEEPALIVE_TIMEOUT', 'TCP_DISCONNECT_WITH_DATA',
  'MPTCP_RST_EUNSPEC', 'MPTCP_RST_EMPTCP', 'MPTCP_RST_ERESOURCE', 'MPTCP_RST_EPROHIBIT', 'MPTCP_RST_EWQ2BIG',
  'MPTCP_RST_EBADPERF', 'MPTCP_RST_EMIDDLEBOX', 'ERROR',
] as const;

export type LinuxResetReason = (typeof LINUX_RESET_REASONS)[number];

/** What rstscope knows about one RST, as far as the Linux reason depends on it. Optional flags default to false. */
export interface LinuxResetSituation {
  /** The cause rstscope diagnosed. */
  cause: CauseId;
  /** Where in the connection the RST came (ResetEvent.phase). */
  phase: Phase;
  /** TCP flags of the segment the RST answers (ResetEvent.answers.flags), null when it answers nothing seen. */
  answersFlags: number | null;
  /** Payload bytes of that segment (ResetEvent.answers.len); 0 when none or unknown. */
  answersLen?: number;
  /** The RST carries ACK. Linux's active resets always do; its replies carry ACK exactly when the segment answered did not. */
  rstHasAck: boolean;
  /**
   * The sender's stack held a socket for this 4-tuple when the answered segment arrived: a connection, a request
   * socket (SYN_RECV) or a TIME_WAIT socket. A listener alone does not count (see senderListening).
   */
  senderHadConnection: boolean;
  /** A listener was bound to the sender's port: a segment with ACK that finds no connection then gets TCP_FLAGS, not NO_SOCKET. */
  senderListening?: boolean;
  /** The sender sent a FIN before the RST. */
  finBeforeFromSender: boolean;
  /** The peer acknowledged that FIN before the segment the RST answers (the closer was in FIN_WAIT2). */
  senderFinAcked?: boolean;
  /** The peer sent a FIN before the RST. */
  peerFinBefore?: boolean;
  /** The sender closed with received data its application had not read (on the wire: the peer's data acknowledged, never answered). */
  dataUnreadAtClose?: boolean;
  /** The sender aborted after shutdown(SHUT_WR) with data and its FIN still unsent, the peer having closed too. Not visible on the wire. */
  unsentDataAtClose?: boolean;
  /** The sender's unanswered keepalive probes came just before the RST. */
  keepaliveProbes?: boolean;
  /** The sender's socket had TCP_LINGER2 set negative. Not visible on the wire. */
  linger2Negative?: boolean;
  /** The RST was sent by a device in the path, not by the endpoint (origin middlebox, a forged RST). */
  fromMiddlebox?: boolean;
  /** Reason code of the MP_TCPRST option the RST carries (Packet.mptcpRstReason); -1 or absent when none. */
  mptcpRstReason?: number;
}

/**
 * The reason Linux would log for this RST, or null when a Linux endpoint would not have sent it (forged RSTs,
 * firewall REJECTs, retransmission timeouts, a RST whose ACK flag Linux would not set).
 */
export function linuxResetReason(s: LinuxResetSituation): LinuxResetReason | null {
  // A device in the path, an iptables/nftables REJECT (nf_send_reset builds its own RST): no tcp_send_reset at all.
  if (s.fromMiddlebox || s.cause === 'injected' || s.cause === 'firewall-reject' || s.cause === 'unknown') return null;
  // MPTCP subflow resets, active or passive, log the MP_TCPRST code they carry (sk_rst_convert_mptcp_reason).
  const mptcp = s.mptcpRstReason ?? -1;
  if (mptcp >= 0) return MPTCP_REASONS[mptcp] ?? 'ERROR';
  switch (s.cause) {
    case 'port-closed':
    case 'syn-scan':
    case 'no-connection':
      return reply(s, noSocketReason(s));
    case 'malformed-syn':
    case 'accept-queue-overflow':
      // tcp_check_req: a SYN in a request socket's window, or the listen overflow with tcp_abort_on_overflow=1.
      return reply(s, s.senderHadConnection ? 'INVALID_SYN' : noSocketReason(s));
    case 'time-wait':
      return timeWaitReason(s);
    case 'client-abort':
      return clientAbortReason(s);
    case 'connect-scan':
      return active(s, applicationAbortReason(s));
    case 'abortive-close':
      if (s.rstHasAck) return active(s, applicationAbortReason(s));
      return s.senderHadConnection ? null : reply(s, noSocketReason(s));
    case 'idle-timeout':
      return active(s, s.keepaliveProbes ? 'TCP_KEEPALIVE_TIMEOUT' : applicationAbortReason(s));
    case 'data-after-close':
      return dataAfterCloseReason(s);
    case 'fin-then-reset':
      return s.rstHasAck ? active(s, applicationAbortReason(s)) : finThenResetReplyReason(s);
    case 'retransmission-exhausted':
      return null; // tcp_write_timeout -> tcp_write_err: the socket dies without a RST
  }
}

/** MP_TCPRST reason codes 0..6 (RFC 8684 3.6) in order; other codes log ERROR. */
const MPTCP_REASONS: readonly LinuxResetReason[] = [
  'MPTCP_RST_EUNSPEC', 'MPTCP_RST_EMPTCP', 'MPTCP_RST_ERESOURCE', 'MPTCP_RST_EPROHIBIT', 'MPTCP_RST_EWQ2BIG',
  'MPTCP_RST_EBADPERF', 'MPTCP_RST_EMIDDLEBOX',
];

/** A reply to a segment (tcp_v4/v6_send_reset): RST alone at SEG.ACK when it carried ACK, else RST+ACK; never to a RST. */
function reply(s: LinuxResetSituation, reason: LinuxResetReason | null): LinuxResetReason | null {
  const a = s.answersFlags;
  if (reason === null || a === null) return reason;
  if (a & RST) return null;
  return s.rstHasAck === ((a & ACK) === 0) ? reason : null;
}

/** An abort from a socket (tcp_send_active_reset): always RST+ACK. */
function active(s: LinuxResetSituation, reason: LinuxResetReason | null): LinuxResetReason | null {
  return s.rstHasAck ? reason : null;
}

/** No connection matched (tcp_v4_rcv no_tcp_socket), unless a listener took the segment (tcp_rcv_state_process, TCP_LISTEN). */
function noSocketReason(s: LinuxResetSituation): LinuxResetReason | null {
  const a = s.answersFlags;
  if (!s.senderListening || a === null) return 'NO_SOCKET';
  return a & ACK ? 'TCP_FLAGS' : null; // a listener answers a SYN with a SYN/ACK and drops the rest
}

/** The application aborts: close() with unread data, else SO_LINGER {1,0} or SOCK_DESTROY (tcp_disconnect, tcp_abort). */
function applicationAbortReason(s: LinuxResetSituation): LinuxResetReason | null {
  if (s.dataUnreadAtClose) return 'TCP_ABORT_ON_CLOSE'; // __tcp_close checks unread data before SO_LINGER
  const peerFin = s.peerFinBefore === true;
  if (peerFin && s.unsentDataAtClose) return 'TCP_DISCONNECT_WITH_DATA'; // tcp_disconnect in CLOSING/LAST_ACK
  if (s.finBeforeFromSender && peerFin) return null; // CLOSING/LAST_ACK with all sent, or TIME_WAIT: nothing to reset
  if (s.finBeforeFromSender && s.senderFinAcked && s.linger2Negative) return 'TCP_ABORT_ON_LINGER'; // close() in FIN_WAIT2
  return 'TCP_STATE'; // tcp_need_reset: ESTABLISHED, SYN_RECV, CLOSE_WAIT, FIN_WAIT1, FIN_WAIT2
}

/** Either the TIME_WAIT side answers the new SYN, or the client (SYN_SENT) answers that side's ACK for the old connection. */
function timeWaitReason(s: LinuxResetSituation): LinuxResetReason | null {
  const a = s.answersFlags;
  const answersSyn = a !== null ? (a & (SYN | ACK)) === SYN : s.rstHasAck;
  if (answersSyn) return reply(s, s.senderHadConnection ? 'TCP_TIMEWAIT_SOCKET' : noSocketReason(s));
  return reply(s, s.senderHadConnection ? 'TCP_INVALID_ACK_SEQUENCE' : noSocketReason(s));
}

/** A SYN/ACK that finds the client's socket gone, a SYN/ACK it rejects from SYN_SENT, or the client's abort. */
function clientAbortReason(s: LinuxResetSituation): LinuxResetReason | null {
  if (!s.senderHadConnection) return reply(s, noSocketReason(s));
  if (s.rstHasAck) return active(s, applicationAbortReason(s));
  const a = s.answersFlags;
  return s.phase === 'handshake' && a !== null && a & ACK ? reply(s, 'TCP_INVALID_ACK_SEQUENCE') : null;
}

/**
 * Data the sender will not read: unread in its buffer at close() (its abort), or arriving after close() at the full
 * socket (FIN_WAIT1, or FIN_WAIT2 on the FIN's ACK), at its TIME_WAIT mini-socket, or at no socket.
 */
function dataAfterCloseReason(s: LinuxResetSituation): LinuxResetReason | null {
  if (!s.senderHadConnection) return reply(s, noSocketReason(s));
  if (s.rstHasAck) return active(s, 'TCP_ABORT_ON_CLOSE'); // only an abort carries ACK here: __tcp_close found unread data
  return reply(s, s.senderFinAcked ? 'TCP_TIMEWAIT_SOCKET' : 'TCP_ABORT_ON_DATA');
}

/** A RST alone right after the sender's FIN: the FIN's ACK with TCP_LINGER2 < 0, data after close, or no socket left. */
function finThenResetReplyReason(s: LinuxResetSituation): LinuxResetReason | null {
  if (!s.senderHadConnection) return reply(s, noSocketReason(s));
  if (s.linger2Negative) return reply(s, 'TCP_ABORT_ON_DATA');
  return (s.answersLen ?? 0) > 0 ? dataAfterCloseReason(s) : null;
}
