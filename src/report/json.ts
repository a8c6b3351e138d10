// The JSON document, written as a stream: connections as they are finalized; RSTs, findings and the
// capture list follow once the connection array is closed (RST records wait in memory, then in a Spool).
import type { CaptureInfo, ConnectionRecord, ResetRecord, Summary } from './contract.js';
import type { OutputSink, Write } from './sink.js';

/** RST records kept in memory before they go to the spool (the JSON document's RST array follows all connections). */
const SPOOL_IN_MEMORY = 8 << 20;
/** Spooled text is appended, and read back, this much at a time. */
const SPOOL_CHUNK = 1 << 20;

/** Somewhere to put text until the end (the CLI's is a temporary file: `src/cli/spool.ts`). */
export interface Spool {
  append(text: string): void;
  /** Everything appended, in order, as UTF-8 in pieces of about `size` bytes (a character may be split). */
  read(size: number): Iterable<Uint8Array>;
  dispose(): void;
}

export interface JsonSinkOptions {
  /** Writes bytes as they are (spooled RSTs go out without being decoded); without it they are decoded to text. */
  writeBytes?: (bytes: Uint8Array) => void;
  /** Lets the writer empty its buffer while the spooled RSTs are copied out (back-pressure). */
  drain?: () => Promise<void>;
  /** Makes the spool once the RST records in memory pass `spoolAt` bytes; without it they all stay in memory. */
  spool?: () => Spool;
  /** Bytes of RST records kept in memory before spooling (default 8 MiB). */
  spoolAt?: number;
  /** Bytes appended to and read from the spool at a time (default 1 MiB; tests use tiny sizes). */
  spoolChunk?: number;
}

export class JsonSink implements OutputSink {
  private connections = 0;
  private resets: string[] = [];
  private resetBytes = 0;
  private resetCount = 0;
  private spool: Spool | null = null;
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
    if (this.opts.spool && this.resetBytes >= (this.spool ? this.chunk : this.opts.spoolAt ?? SPOOL_IN_MEMORY)) this.spill();
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
      const spool = this.spool;
      this.spool = null;
      const decoder = this.opts.writeBytes ? null : new TextDecoder();
      try {
        for (const piece of spool.read(this.chunk)) {
          if (decoder) w(decoder.decode(piece, { stream: true })); // a character split between pieces waits
          else this.opts.writeBytes!(piece);
          if (this.opts.drain) await this.opts.drain();
        }
        if (decoder) w(decoder.decode());
      } finally {
        spool.dispose();
      }
    } else for (const r of this.resets) w(r);
    this.resets = [];
    w('\n],\n"findings":[' + this.findings.join(',\n') + '],\n"captures":[\n' + this.captures.join(',\n'));
    w('\n],\n"summary":' + JSON.stringify(summary) + '}\n');
  }

  /** Moves the RST records held in memory to the spool (made on first use). */
  private spill(): void {
    this.spool ??= this.opts.spool!();
    if (this.resets.length === 0) return;
    this.spool.append(this.resets.join(''));
    this.resets = [];
    this.resetBytes = 0;
  }
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
