import type { Effect } from './context.js';
import type { Phase } from '../flow/reset-event.js';
// The explanation attached to each RST: why it happened, who sent it, how sure we are, and what to do.

export type Origin = 'endpoint' | 'middlebox' | 'unknown';

export interface ResetVerdict {
  cause: string;
  /** The tracker's phase, or `none` where the cause says the sender had no state (no-connection). */
  phase: Phase;
  origin: Origin;
  /** 0..1, documented levels in docs/causes.md. */
  confidence: number;
  /** Frame of an earlier RST this one follows from, or null. */
  causedBy: number | null;
  /** Whether the receiver acted on it: stopped (accepted), went on (ignored), or nothing after it (unknown). */
  effect: Effect;
  /** Facts that support the verdict, each citing frames; the last one is a Wireshark display filter. */
  evidence: string[];
  advice: string;
  /** The sk_rst_reason a Linux sender logs for it (tcp:tcp_send_reset reason=...), the RST's diagnostic payload, MPTCP's reason. */
  linuxReason: string | null;
  rstPayload: { code: number; pen: number; text: string } | null;
  mptcpReason: string | null;
}
