// Where analysis results go: every output format implements OutputSink over a plain text writer.
import type { CaptureInfo, ConnectionRecord, ResetRecord, Summary } from './contract.js';

/** Appends text to the output; the caller decides buffering and back-pressure. */
export type Write = (text: string) => void;

export interface OutputSink {
  connection(rec: ConnectionRecord): void;
  reset(rec: ResetRecord): void;
  /** Live mode: a RST's provisional record (`final: false`); its final record follows through reset(). */
  provisional?(rec: ResetRecord): void;
  finding(rec: Record<string, unknown>): void;
  capture(info: CaptureInfo): void;
  /** The last call; a sink that copies out spooled records returns a promise (await it before exiting). */
  end(summary: Summary): void | Promise<void>;
}

/** Counts what the summary needs while records stream past. */
export class SummaryCounter {
  readonly summary: Summary = {
    packets: 0, connections: 0, resets: 0, icmp_errors: 0, by_state: {}, resets_by_phase: {}, resets_by_sender: {}, resets_by_cause: {},
  };

  connection(rec: ConnectionRecord): void {
    this.summary.connections++;
    bump(this.summary.by_state, rec.state);
  }

  reset(rec: ResetRecord): void {
    if (rec.duplicate_of !== null) return; // a capture duplicate is not a second RST
    this.summary.resets++;
    bump(this.summary.resets_by_phase, rec.phase);
    bump(this.summary.resets_by_sender, rec.sender);
    bump(this.summary.resets_by_cause, rec.cause);
  }

  capture(info: CaptureInfo): void {
    this.summary.packets += info.packets;
    this.summary.icmp_errors += info.icmp_errors;
  }
}

function bump(m: Record<string, number>, k: string): void {
  m[k] = (m[k] ?? 0) + 1;
}
