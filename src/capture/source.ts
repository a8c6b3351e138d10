// Byte sources: a file or stdin, transparently gunzipped when the bytes say gzip.
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { CaptureReader } from './types.js';
import { PcapReader } from './pcap.js';
import { PcapngReader } from './pcapng.js';
import { magicHex, sniffFormat } from './sniff.js';

/** Why a stream could not be read as a capture. */
export type CaptureFormatErrorCode = 'not-a-capture' | 'gzip-corrupt' | 'gzip-truncated';

/** The input is not a capture, or its gzip layer is broken. `offset` is in decompressed bytes. */
export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
  constructor(
    message: string,
    readonly offset: number,
    readonly code: CaptureFormatErrorCode = 'not-a-capture',
  ) {
    super(message);
  }
}

export interface CaptureSourceOptions {
  /** Read size in bytes (file highWaterMark and gunzip output chunk); default 1 MiB. */
  chunkSize?: number;
}

/**
 * Streams the decompressed bytes of `path` ('-' = stdin). Gzip is detected by its magic bytes.
 * A corrupt or truncated gzip layer makes the iteration throw a CaptureFormatError (code
 * 'gzip-corrupt' / 'gzip-truncated'); file-system errors are thrown unchanged.
 */
export async function* openCaptureSource(
  path: string,
  opts: CaptureSourceOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const chunkSize = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK);
  const input: Readable | undefined = path === '-' ? process.stdin : undefined;
  const it: AsyncIterator<Uint8Array> = input
    ? (input[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>)
    : fileChunks(path, chunkSize);
  try {
    // Collect enough bytes to recognise gzip even when the first chunk is tiny.
    const head: Uint8Array[] = [];
    let headLen = 0;
    let done = false;
    while (headLen < GZIP_MAGIC_LEN) {
      const r = await it.next();
      if (r.done === true) {
        done = true;
        break;
      }
      head.push(r.value);
      headLen += r.value.length;
    }
    const first = head.length === 1 ? head[0]! : Buffer.concat(head, headLen);
    if (sniffFormat(first) !== 'gzip') {
      if (first.length > 0) yield first;
      while (!done) {
        const r = await it.next();
        if (r.done === true) break;
        yield r.value;
      }
      return;
    }
    yield* gunzipStream(first, it, chunkSize);
  } finally {
    if (input === undefined) await it.return?.();
  }
}

/**
 * The chunks of a file, read one ahead: the next read runs on libuv's thread pool while the caller
 * works on the current chunk. With large chunks the two read buffers are reused in turn (no
 * allocation per chunk), so a chunk stays valid only until the iterator is resumed; every consumer
 * here copies it (ByteQueue.append) or fully inflates it first. Small chunks (tests) are fresh.
 */
async function* fileChunks(path: string, chunkSize: number): AsyncGenerator<Uint8Array, void, undefined> {
  const fh = await open(path, 'r');
  const reuse = chunkSize >= REUSE_MIN_CHUNK;
  const buffers = reuse ? [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)] : [];
  let turn = 0;
  const readNext = (): Promise<{ bytesRead: number; buffer: Buffer }> => {
    const b = reuse ? buffers[(turn ^= 1)]! : Buffer.allocUnsafe(chunkSize);
    return fh.read(b, 0, chunkSize, null);
  };
  let pending = readNext();
  try {
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) return;
      pending = readNext();
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await pending.catch(() => undefined); // never leave a read in flight on a closed handle
    await fh.close();
  }
}

/** A reader for the format announced by the first (decompressed) bytes; needs >= 4 bytes. */
export function createCaptureReader(firstBytes: Uint8Array): CaptureReader {
  const format = sniffFormat(firstBytes);
  if (format === 'pcap') return new PcapReader();
  if (format === 'pcapng') return new PcapngReader();
  if (firstBytes.length === 0) throw new CaptureFormatError('not a pcap or pcapng capture (empty input)', 0);
  const magic = magicHex(firstBytes);
  if (format === 'gzip') {
    throw new CaptureFormatError(`not a pcap or pcapng capture (gzip inside gzip, magic ${magic})`, 0);
  }
  const short = firstBytes.length < 4 ? `, only ${firstBytes.length} bytes` : '';
  throw new CaptureFormatError(`not a pcap or pcapng capture (magic ${magic}${short})`, 0);
}

/**
 * Gunzips the compressed bytes (already-read head, then the rest) one small piece at a time.
 * The inflater stays in flowing mode and is fed only after its output was consumed, so output
 * produced before a corruption is delivered (a destroyed stream would drop its buffered output).
 */
async function* gunzipStream(
  first: Uint8Array,
  rest: AsyncIterator<Uint8Array>,
  chunkSize: number,
): AsyncGenerator<Uint8Array, void, undefined> {
  const gunzip = createGunzip({ chunkSize: Math.min(Math.max(MIN_GUNZIP_CHUNK, chunkSize), MAX_GUNZIP_CHUNK) });
  const out: Uint8Array[] = [];
  let failure: unknown;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  gunzip.on('data', (c: Uint8Array) => out.push(c));
  gunzip.on('error', (e: unknown) => {
    failure ??= e;
    notify();
  });
  gunzip.on('end', () => {
    ended = true;
    notify();
  });
  // Resolves once the piece is fully inflated (write callback) or the inflater failed.
  const write = (piece: Uint8Array): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      gunzip.write(piece, () => notify());
    });
  let produced = 0;
  try {
    let chunk: Uint8Array | undefined = first;
    while (chunk !== undefined && failure === undefined) {
      for (let o = 0; o < chunk.length && failure === undefined; o += FEED_PIECE) {
        await write(chunk.subarray(o, o + FEED_PIECE));
        for (let c = out.shift(); c !== undefined; c = out.shift()) {
          produced += c.length;
          yield c;
        }
      }
      const r: IteratorResult<Uint8Array> = await rest.next();
      chunk = r.done === true ? undefined : r.value;
    }
    if (failure === undefined) {
      const done = new Promise<void>((resolve) => (wake = resolve));
      gunzip.end();
      if (!ended && failure === undefined) await done;
    }
    for (let c = out.shift(); c !== undefined; c = out.shift()) {
      produced += c.length;
      yield c;
    }
    if (failure !== undefined) throw gzipError(failure, produced);
  } finally {
    gunzip.destroy();
  }
}

/** Turns a zlib failure into a CaptureFormatError; other errors (e.g. EIO) pass through. */
function gzipError(e: unknown, produced: number): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('Z_')) return e;
  const detail = (e as Error).message;
  if (code === 'Z_BUF_ERROR') {
    return new CaptureFormatError(
      `gzip stream cut short (${detail}) after ${produced} decompressed bytes`,
      produced,
      'gzip-truncated',
    );
  }
  return new CaptureFormatError(
    `gzip stream is corrupt (${detail}) after ${produced} decompressed bytes`,
    produced,
    'gzip-corrupt',
  );
}


const DEFAULT_CHUNK = 1024 * 1024;
/** From this chunk size on, file reads reuse two buffers instead of allocating one per chunk. */
const REUSE_MIN_CHUNK = 64 * 1024;
const MIN_GUNZIP_CHUNK = 64; // zlib's smallest allowed output chunk
const MAX_GUNZIP_CHUNK = 64 * 1024; // output piece size; bounds what one corrupt piece can hide
const FEED_PIECE = 16 * 1024; // compressed bytes per write: bounds memory even for gzip bombs
const GZIP_MAGIC_LEN = 2;
