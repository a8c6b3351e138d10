// `analyze --diagrams`: the text format with each RST's ladder printed under its line. RST lines are held
// back until the connection is finalized, because the ladder needs the connection's packet log.
import type { FinishedConnection } from '../../flow/tracker.js';
import type { CaptureInfo, ConnectionRecord, ResetRecord, Summary } from '../contract.js';
import type { OutputSink, Write } from '../sink.js';
import { renderLadder } from './terminal.js';
import { diagramView } from './view.js';

export interface DiagramTextOptions {
  color: boolean;
  /** Packets shown each side of the RST (default: the view's). */
  context?: number;
}

export class DiagramTextSink implements OutputSink {
  constructor(private readonly inner: OutputSink, private readonly write: Write, private readonly opts: DiagramTextOptions) {}

  connection(rec: ConnectionRecord): void {
    this.inner.connection(rec);
  }

  /** Printed by onConnection, with the ladder. */
  reset(): void {}

  finding(rec: Record<string, unknown>): void {
    this.inner.finding(rec);
  }

  capture(info: CaptureInfo): void {
    this.inner.capture(info);
  }

  end(summary: Summary): void {
    this.inner.end(summary);
  }

  /** The analyzeCapture hook: each RST line, then its ladder centred on it. */
  readonly onConnection = (done: FinishedConnection, _rec: ConnectionRecord, resets: readonly ResetRecord[]): void => {
    const notes = resets.map((r) => ({ frame: r.frame, cause: r.cause, origin: r.origin }));
    for (const r of resets) {
      this.inner.reset(r);
      const view = diagramView(done.conn, { focus: [r.frame], notes, ...(this.opts.context === undefined ? {} : { context: this.opts.context }) });
      this.write('\n' + renderLadder(view, { color: this.opts.color, indent: '          ' }) + '\n');
    }
  };
}
