// The JSON document, written as a stream: connections as they are finalized; RSTs, findings and the
// capture list follow once the connection array is closed (RST records are spooled until then).
import type { CaptureInfo, ConnectionRecord, ResetRecord, Summary } from './contract.js';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutputSink, Write } from './sink.js';

/** RST records kept in memory before they go to a temporary file (the JSON document's RST array follows all connections). */
const SPOOL_IN_MEMORY = 8 << 20;
/** Spooled text is written to the file, and read back, this much at a time. */
const SPOOL_CHUNK = 1 << 20;

export interface JsonSinkOptions {
  /** Lets the writer empty its buffer while the spooled RSTs are copied out (back-pressure). */
  drain?: () => Promise<void>;
  /** Bytes of RST records kept in memory before spooling to a temporary file (default 8 MiB). */
  spoolAt?: number;
  /** Bytes written to and read from the spool at a time (default 1 MiB; tests use tiny sizes). */
  spoolChunk?: number;
  /** Where the spool's directory is made (default the system's temporary directory). */
  tmpDir?: string;
}

export class JsonSink implements OutputSink {
  private connections = 0;
  private resets: string[] = [];
  private resetBytes = 0;
  private resetCount = 0;
  private spool: { dir: string; path: string; fd: number } | null = null;
  private readonly findings: string[] = [];
  private readonly captures: string[] = [];

  constructor(private readonly write: Write, private readonly opts: JsonSinkOptions = {}) {
    write('{"connections":[');
  }

  private get chunk(): number {
    return this.opts.spoolChunk ?? SPOOL_CHUNK;
  }

  connection(rec: ConnectionRecord): void {
    this.write((this.connections++ === 0 ? '\n' : ',\n') + JSON.stringify(rec));
  }

  reset(rec: ResetRecord): void {
    const text = (this.resetCount++ === 0 ? '\n' : ',\n') + JSON.stringify(rec);
    this.resets.push(text);
    this.resetBytes += text.length;
    if (this.resetBytes >= (this.spool ? this.chunk : this.opts.spoolAt ?? SPOOL_IN_MEMORY)) this.spill();
  }

  finding(rec: Record<string, unknown>): void {
    this.findings.push(JSON.stringify(rec));
  }

  capture(info: CaptureInfo): void {
    this.captures.push(JSON.stringify(info));
  }

  async end(summary: Summary): Promise<void> {
    const w = this.write;
    w('\n],\n"resets":[');
    if (this.spool) {
      this.spill();
      const { fd, dir } = this.spool;
      this.spool = null;
      try {
        const buf = Buffer.allocUnsafe(Math.max(4, this.chunk));
        let pos = 0;
        for (;;) {
          const n = readSync(fd, buf, 0, buf.length, pos);
          if (n === 0) break;
          const cut = trailingPartial(buf, n); // a character split by the chunk is read again with the next one
          w(buf.toString('utf8', 0, n - cut));
          pos += n - cut;
          if (this.opts.drain) await this.opts.drain();
        }
      } finally {
        closeSync(fd);
        rmSync(dir, { recursive: true, force: true });
      }
    } else for (const r of this.resets) w(r);
    this.resets = [];
    w('\n],\n"findings":[' + this.findings.join(',\n') + '],\n"captures":[\n' + this.captures.join(',\n'));
    w('\n],\n"summary":' + JSON.stringify(summary) + '}\n');
  }

  /** Moves the RST records held in memory to the spool file (made on first use, removed at the end). */
  private spill(): void {
    if (this.spool === null) {
      const dir = mkdtempSync(join(this.opts.tmpDir ?? tmpdir(), 'rstscope-'));
      const path = join(dir, 'resets.json');
      this.spool = { dir, path, fd: openSync(path, 'w+', 0o600) };
      // The file is only a buffer: remove it even if the process is killed before end().
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    }
    if (this.resets.length === 0) return;
    writeSync(this.spool.fd, this.resets.join(''));
    this.resets = [];
    this.resetBytes = 0;
  }
}

/** Bytes at the end of `buf[0..n)` that start a UTF-8 character cut by the chunk boundary. */
function trailingPartial(buf: Buffer, n: number): number {
  for (let k = 1; k <= 3 && k <= n; k++) {
    const b = buf[n - k]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return len > k ? k : 0;
  }
  return 0;
}

/** One JSON record per line, each written as soon as it is known; the summary comes last. */
export class NdjsonSink implements OutputSink {
  constructor(private readonly write: Write) {}

  connection(rec: ConnectionRecord): void {
    this.write(JSON.stringify({ type: 'connection', ...rec }) + '\n');
  }

  reset(rec: ResetRecord): void {
    this.write(JSON.stringify({ type: 'reset', ...rec }) + '\n');
  }

  provisional(rec: ResetRecord): void {
    this.write(JSON.stringify({ type: 'reset', ...rec }) + '\n');
  }

  finding(rec: Record<string, unknown>): void {
    this.write(JSON.stringify({ type: 'finding', ...rec }) + '\n');
  }

  capture(info: CaptureInfo): void {
    this.write(JSON.stringify({ type: 'capture', ...info }) + '\n');
  }

  end(summary: Summary): void {
    this.write(JSON.stringify({ type: 'summary', ...summary }) + '\n');
  }
}
