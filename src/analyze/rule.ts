// One cause of a RST: its wire definition (mirrored in docs/causes.md), its advice, and a test over the context.
import type { ResetContext } from './context.js';

export type CauseId =
  | 'port-closed' | 'accept-queue-overflow' | 'time-wait' | 'malformed-syn' | 'firewall-reject' | 'syn-scan'
  | 'connect-scan' | 'client-abort' | 'retransmission-exhausted' | 'idle-timeout' | 'abortive-close'
  | 'data-after-close' | 'fin-then-reset' | 'injected' | 'no-connection' | 'unknown';

/** A rule's answer: how sure, and the facts (each citing frames) that make it so. */
export interface Match {
  confidence: number;
  evidence: string[];
  /** Overrides the origin decided by the signatures (e.g. a load balancer's idle reset). */
  origin?: 'endpoint' | 'middlebox';
  /** Frame of the RST this one follows from. */
  causedBy?: number;
  /** Replaces the rule's generic advice when the case calls for more precise words. */
  advice?: string;
}

export interface Rule {
  id: CauseId;
  /** The wire definition, one sentence. */
  definition: string;
  /** What to check next. */
  advice: string;
  /** Which origin verdicts the rule applies to: a forged RST is never an endpoint's port-closed. */
  origins: ReadonlyArray<'endpoint' | 'middlebox' | 'unknown'>;
  explain(ctx: ResetContext): Match | undefined;
}

/** Confidence levels (docs/causes.md). */
export const PROVEN = 1.0; // two capture points agree
export const EXACT = 0.95; // the packet is exactly what the genuine stack sends in this situation
export const PATTERN = 0.8; // the situation matches, a detail of the packet or context is looser
export const LIKELY = 0.7;
export const HEURISTIC = 0.6; // timing or population heuristics
export const WEAK = 0.4;
