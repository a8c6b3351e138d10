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

  /** The text back in pieces of about `size` bytes (a UTF-8 character is never split between two). */
  *read(size: number): Generator<string> {
    const buf = Buffer.allocUnsafe(Math.max(4, size));
    let pos = 0;
    for (;;) {
      const n = readSync(this.fd, buf, 0, buf.length, pos);
      if (n === 0) return;
      const cut = trailingPartial(buf, n); // read again with the next piece
      pos += n - cut;
      yield buf.toString('utf8', 0, n - cut);
    }
  }

  dispose(): void {
    closeSync(this.fd);
    this.removeAtExit();
    process.off('exit', this.removeAtExit);
  }
}

/** Bytes at the end of `buf[0..n)` that start a UTF-8 character cut by the end of the piece. */
function trailingPartial(buf: Buffer, n: number): number {
  for (let k = 1; k <= 3 && k <= n; k++) {
    const b = buf[n - k]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return len > k ? k : 0;
  }
  return 0;
}
