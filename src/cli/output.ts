// Buffered stdout that respects back-pressure (a slow pager or pipe must not make memory grow).
import type { Writable } from 'node:stream';

const FLUSH_AT = 1 << 16;

export class Output {
  private parts: string[] = [];
  private size = 0;
  private broken = false;

  constructor(private readonly stream: Writable) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') this.broken = true; // the reader went away (e.g. `| head`): stop quietly
    });
  }

  readonly write = (s: string): void => {
    this.parts.push(s);
    this.size += s.length;
  };

  /** Writes what is buffered once it is large, waiting for the stream to drain. */
  async maybeFlush(): Promise<void> {
    if (this.size >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0 || this.broken) {
      this.parts = [];
      this.size = 0;
      return;
    }
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
      });
    }
  }
}
