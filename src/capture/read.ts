// One-call capture reading: source + format detection + reader, as an async generator.
import type { CaptureRecord, CaptureReader, CaptureWarning, TimePrecision } from './types.js';
import { CaptureFormatError, createCaptureReader, openCaptureSource } from './source.js';

/** What happened while reading; updated live before each yielded record and returned at the end. */
export interface CaptureSummary {
  /** Detected format (undefined until the first 4 bytes arrived). */
  format: 'pcap' | 'pcapng' | undefined;
  /** Records yielded so far. */
  frames: number;
  /** Precision of the last yielded record (use it to format that record's timestamp). */
  precision: TimePrecision;
  /** Decompressed bytes consumed. */
  bytes: number;
  /** Non-fatal problems: truncated last record, truncated gzip stream. */
  warnings: CaptureWarning[];
  /** Fatal problem that stopped reading (damaged capture or corrupt gzip); earlier frames are valid. */
  error: CaptureWarning | undefined;
}

export interface ReadCaptureOptions {
  /** Read size in bytes; default 1 MiB. */
  chunkSize?: number;
  /** Summary object to update in place (lets for-await callers see it; also the return value). */
  summary?: CaptureSummary;
}

/** A fresh, empty summary. */
export function newCaptureSummary(): CaptureSummary {
  return { format: undefined, frames: 0, precision: 6, bytes: 0, warnings: [], error: undefined };
}

/**
 * Yields every record of the capture at `path` ('-' = stdin). Each record is the reader's reused
 * object: it is valid only until the generator resumes. Throws CaptureFormatError only when the
 * input cannot be identified as a capture; damage and truncation land in the summary instead.
 */
export async function* readCapture(
  path: string,
  opts: ReadCaptureOptions = {},
): AsyncGenerator<CaptureRecord, CaptureSummary, undefined> {
  // One record at a time on top of the batch reader (one await per record: the slow, simple way).
  const summary = opts.summary ?? newCaptureSummary();
  for await (const batch of readCaptureBatches(path, { ...opts, summary })) {
    for (let r = batch.next(); r !== undefined; r = batch.next()) {
      summary.precision = r.precision;
      yield r;
    }
  }
  return summary;
}

/**
 * The records of one chunk of input, pulled synchronously: call next() until it returns undefined
 * before resuming the generator. Each record is the reader's reused object, valid until the next
 * next() call; its bytes are `buf[off, off + len)` (reading `data` allocates a view).
 */
export class RecordBatch {
  constructor(
    private readonly reader: CaptureReader,
    private readonly summary: CaptureSummary,
  ) {}

  next(): CaptureRecord | undefined {
    const r = this.reader.next();
    if (r !== undefined) this.summary.frames++;
    return r;
  }
}

/**
 * The fast way to read a capture: like readCapture(), but one await per chunk of input (default
 * 1 MiB) instead of one per record. Yields a RecordBatch per chunk; the consumer pulls its records
 * in a plain synchronous loop. The summary (`opts.summary`) counts frames as they are pulled; its
 * other fields (bytes, precision, warnings, error) are brought up to date before each batch and at
 * the end, so per-record code should use `rec.precision`.
 *
 *   for await (const batch of readCaptureBatches(path, { summary })) {
 *     for (let rec = batch.next(); rec !== undefined; rec = batch.next()) { ... }
 *   }
 */
export async function* readCaptureBatches(
  path: string,
  opts: ReadCaptureOptions = {},
): AsyncGenerator<RecordBatch, CaptureSummary, undefined> {
  const summary = opts.summary ?? newCaptureSummary();
  const sourceOpts = opts.chunkSize === undefined ? {} : { chunkSize: opts.chunkSize };
  const extra: CaptureWarning[] = [];
  let reader: CaptureReader | undefined;
  let batch: RecordBatch | undefined;
  let head: Uint8Array[] = [];
  let headLen = 0;
  try {
    for await (const chunk of openCaptureSource(path, sourceOpts)) {
      if (reader === undefined) {
        head.push(chunk);
        headLen += chunk.length;
        if (headLen < MAGIC_LEN) continue;
        const first = Buffer.concat(head, headLen);
        head = [];
        reader = createCaptureReader(first);
        batch = new RecordBatch(reader, summary);
        summary.format = reader.format;
        reader.append(first);
      } else {
        reader.append(chunk);
      }
      sync(summary, reader, extra);
      yield batch!;
      if (reader.error !== undefined) break;
    }
  } catch (e) {
    if (!(e instanceof CaptureFormatError) || reader === undefined) throw e;
    const problem = { offset: e.offset, frame: summary.frames, message: e.message };
    if (e.code !== 'gzip-truncated') {
      summary.error = problem;
      sync(summary, reader, extra);
      return summary;
    }
    extra.push(problem);
  }
  reader ??= createCaptureReader(Buffer.concat(head, headLen)); // throws: fewer than 4 bytes in all
  batch ??= new RecordBatch(reader, summary);
  reader.end();
  // end() never creates records, but a consumer may have left some queued: offer them once more.
  sync(summary, reader, extra);
  yield batch;
  sync(summary, reader, extra);
  return summary;
}

function sync(summary: CaptureSummary, reader: CaptureReader, extra: CaptureWarning[]): void {
  summary.precision = reader.precision;
  summary.bytes = reader.offset;
  summary.error ??= reader.error;
  if (summary.warnings.length !== reader.warnings.length + extra.length) {
    summary.warnings = [...extra, ...reader.warnings];
  }
}


const MAGIC_LEN = 4;
