// Text from a capture may carry terminal escapes: strip control characters before it reaches a terminal.
import type { OutputSink } from '../sink.js';

// C0 controls (tab and newline included: every caller prints one line), DEL, C1 controls and bidi overrides.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `s` with every control character replaced by '?', safe to print on a terminal. */
export function terminalSafe(s: string): string {
  return s.replace(CONTROL, '?');
}

/** Wraps a terminal sink so every string of every record is terminal-safe first. */
export function terminalSafeSink(inner: OutputSink): OutputSink {
  return {
    connection: (r) => inner.connection(safeRecord(r)),
    reset: (r) => inner.reset(safeRecord(r)),
    provisional: (r) => inner.provisional?.(safeRecord(r)),
    finding: (r) => inner.finding(safeRecord(r)),
    capture: (i) => inner.capture(safeRecord(i)),
    end: (s) => inner.end(s),
  };
}

/** A deep copy of `v` with every string made terminal-safe. */
export function safeRecord<T>(v: T): T {
  if (typeof v === 'string') return terminalSafe(v) as T;
  if (Array.isArray(v)) return v.map((x: unknown) => safeRecord(x)) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[terminalSafe(k)] = safeRecord(x);
    return out as T;
  }
  return v;
}
