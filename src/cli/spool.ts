// A temporary file that buffers text too large to keep in memory (the JSON document's RST array waits for
// the connection array to close). Made on first use, removed at the end, or at exit if the end never comes.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Spool } from '../report/json.js';

export class TempFileSpool implements Spool {
  private readonly dir: string;
  private readonly fd: number;
  private readonly removeAtExit = (): void => rmSync(this.dir, { recursive: true, force: true });

  constructor(parent = tmpdir()) {
    this.dir = mkdtempSync(join(parent, 'rstscope-'));
    this.fd = openSync(join(this.dir, 'resets.json'), 'w+', 0o600);
    process.once('exit', this.removeAtExit);
  }

  append(text: string): void {
    writeSync(this.fd, text);
  }

  /** The bytes back in fresh pieces of up to `size` bytes (each may be held by a stream until written). */
  *read(size: number): Generator<Uint8Array> {
    let pos = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.max(1, size));
      const n = readSync(this.fd, buf, 0, buf.length, pos);
      if (n === 0) return;
      pos += n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  }

  dispose(): void {
    closeSync(this.fd);
    this.removeAtExit();
    process.off('exit', this.removeAtExit);
  }
}
