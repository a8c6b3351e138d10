// State and bookkeeping shared by the pcap and pcapng readers.
import type { CaptureRecord, CaptureReader, CaptureWarning, TimePrecision } from './types.js';
import { ByteQueue } from './buffer.js';

/**
 * Common half of a push-then-pull reader. The record returned by next() (and its `data` view)
 * stays valid only until the next call to next() or append().
 */
export abstract class BaseReader implements CaptureReader {
  abstract readonly format: 'pcap' | 'pcapng';
  /** Unread bytes of the (decompressed) stream. */
  protected readonly q = new ByteQueue();
  /** The one record object handed out for every frame. */
  protected readonly rec: CaptureRecord = new FrameRecord();
  /** Frames returned so far (the last good frame number). */
  protected frames = 0;
  /** True after a fatal error or a cut-short tail: next() returns undefined forever. */
  protected stopped = false;
  /** True once end() was called: a shortage of bytes now means the capture was cut short. */
  protected ended = false;
  protected prec: TimePrecision = 6;
  private err: CaptureWarning | undefined;
  private readonly warns: CaptureWarning[] = [];

  get error(): CaptureWarning | undefined {
    return this.err;
  }
  get warnings(): readonly CaptureWarning[] {
    return this.warns;
  }
  get precision(): TimePrecision {
    return this.prec;
  }
  get offset(): number {
    return this.q.offset;
  }
  /** Number of frames returned so far. */
  get frameCount(): number {
    return this.frames;
  }

  append(chunk: Uint8Array): void {
    // After a fatal error or end() further bytes are meaningless; do not buffer them.
    if (this.stopped || this.ended) return;
    this.q.append(chunk);
  }

  abstract next(): CaptureRecord | undefined;

  end(): void {
    if (this.ended) return;
    this.ended = true;
    // A tail that is incomplete gets its warning now; complete records still queued are
    // returned by next(), which records the warning when it reaches the partial tail.
    if (!this.stopped && !this.hasCompleteItem()) this.cutShort();
  }

  /** Adds a non-fatal warning (e.g. a gzip stream that ended early). */
  addWarning(offset: number, message: string): void {
    this.warns.push({ offset, frame: this.frames, message });
  }

  /** Whether the queued bytes start with a complete header+record/block. */
  protected abstract hasCompleteItem(): boolean;

  /** Describes the incomplete tail: what it is and how long it should have been. */
  protected abstract describeTail(): { what: string; want: number };

  /** Called by next() when bytes run short: undefined now, plus the cut-short warning after end(). */
  protected starve(): undefined {
    if (this.ended && !this.stopped) this.cutShort();
    return undefined;
  }

  /** Stops reading with a fatal "damaged capture" error at the given stream offset. */
  protected fail(offset: number, what: string): undefined {
    this.err = {
      offset,
      frame: this.frames,
      message: `damaged capture at byte offset ${offset} (last good frame ${this.frames}): ${what}`,
    };
    this.stopped = true;
    this.q.clear();
    return undefined;
  }

  private cutShort(): void {
    this.stopped = true;
    const have = this.q.available;
    if (have === 0 && this.hasHeader()) return;
    const { what, want } = this.describeTail();
    this.warns.push({
      offset: this.q.offset,
      frame: this.frames,
      message: `capture cut short inside ${what} (byte offset ${this.q.offset}): ${have} of ${want} bytes`,
    });
    this.q.clear();
  }

  /** Whether the file header was read (a zero-byte tail after it is a clean end). */
  protected abstract hasHeader(): boolean;
}

const NO_BYTES = new Uint8Array(0);

/**
 * The reused record: readers set buf/off/len (no per-frame allocation); `data` makes its view
 * only for callers that ask for it.
 */
export class FrameRecord implements CaptureRecord {
  frame = 0;
  linktype = 0;
  interfaceId = 0;
  tsSec = 0;
  tsNsec = 0;
  buf: Uint8Array = NO_BYTES;
  off = 0;
  len = 0;
  origLen = 0;
  precision: TimePrecision = 6;

  get data(): Uint8Array {
    return this.buf.subarray(this.off, this.off + this.len);
  }
}
