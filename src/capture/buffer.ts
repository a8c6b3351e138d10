// A compacting byte queue shared by the readers: one growable buffer, no per-chunk lists.

const MIN_CAPACITY = 64 * 1024; // small enough for tiny captures, large enough to avoid early regrowth

/**
 * Holds the unread tail of the stream. `buf[pos..end)` are unread bytes; `base` is the stream
 * offset of `buf[0]`. Appending may move bytes, so views into `buf` die at the next append().
 */
export class ByteQueue {
  buf: Uint8Array = new Uint8Array(0);
  view: DataView = new DataView(this.buf.buffer);
  pos = 0;
  end = 0;
  base = 0;

  /** Bytes available to read. */
  get available(): number {
    return this.end - this.pos;
  }

  /** Stream offset of the next unread byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  append(chunk: Uint8Array): void {
    const n = chunk.length;
    if (n === 0) return;
    if (this.end + n > this.buf.length || this.pos > this.buf.length >>> 1) this.makeRoom(n);
    this.buf.set(chunk, this.end);
    this.end += n;
  }

  /** Drops everything (used after a fatal error so the queue stops growing). */
  clear(): void {
    this.base += this.end;
    this.pos = 0;
    this.end = 0;
    this.buf = new Uint8Array(0);
    this.view = new DataView(this.buf.buffer);
  }

  private makeRoom(n: number): void {
    const live = this.end - this.pos;
    const need = live + n;
    if (need > this.buf.length) {
      // Grow geometrically so a byte-at-a-time writer stays linear.
      const grown = new Uint8Array(Math.max(need, this.buf.length * 2, MIN_CAPACITY));
      grown.set(this.buf.subarray(this.pos, this.end));
      this.buf = grown;
      this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
    } else {
      this.buf.copyWithin(0, this.pos, this.end);
    }
    this.base += this.pos;
    this.end = live;
    this.pos = 0;
  }
}
