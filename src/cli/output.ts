// Buffered stdout that respects back-pressure (a slow pager or pipe must not make memory grow).
import type { Writable } from 'node:stream';

const FLUSH_AT = 1 << 16;

export class Output {
  private parts: Array<string | Uint8Array> = [];
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

  /** Bytes written as they are, in order with the text around them. */
  readonly writeBytes = (b: Uint8Array): void => {
    this.parts.push(b);
    this.size += b.length;
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
    const parts = this.parts;
    this.parts = [];
    this.size = 0;
    // Runs of text go out joined, bytes as they are; if any write asks for it, wait for 'drain'.
    let ok = true;
    for (let i = 0; i < parts.length; ) {
      const p = parts[i]!;
      if (typeof p !== 'string') {
        ok = this.stream.write(p) && ok;
        i++;
        continue;
      }
      let j = i + 1;
      while (j < parts.length && typeof parts[j] === 'string') j++;
      ok = this.stream.write(j === i + 1 ? p : parts.slice(i, j).join('')) && ok;
      i = j;
    }
    if (!ok) {
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
