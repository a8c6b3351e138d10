// The JSON document, written as a stream: connections as they are finalized; RSTs, findings and the
// capture list follow once the connection array is closed (RST records are spooled until then).
import type { CaptureInfo, ConnectionRecord, ResetRecord, Summary } from './contract.js';
import type { OutputSink, Write } from './sink.js';

export class JsonSink implements OutputSink {
  private connections = 0;
  private readonly resets: string[] = [];
  private readonly findings: string[] = [];
  private readonly captures: string[] = [];

  constructor(private readonly write: Write) {
    write('{"connections":[');
  }

  connection(rec: ConnectionRecord): void {
    this.write((this.connections++ === 0 ? '\n' : ',\n') + JSON.stringify(rec));
  }

  reset(rec: ResetRecord): void {
    this.resets.push(JSON.stringify(rec));
  }

  finding(rec: Record<string, unknown>): void {
    this.findings.push(JSON.stringify(rec));
  }

  capture(info: CaptureInfo): void {
    this.captures.push(JSON.stringify(info));
  }

  end(summary: Summary): void {
    const w = this.write;
    w('\n],\n"resets":[');
    this.resets.forEach((r, i) => w((i === 0 ? '\n' : ',\n') + r));
    this.resets.length = 0;
    w('\n],\n"findings":[' + this.findings.join(',\n') + '],\n"captures":[\n' + this.captures.join(',\n'));
    w('\n],\n"summary":' + JSON.stringify(summary) + '}\n');
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
