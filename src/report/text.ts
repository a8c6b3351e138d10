// The human format: one line per RST as it is decided, then a summary per capture and overall.
import type { CaptureInfo, ConnectionRecord, ResetRecord, Summary } from './contract.js';
import type { OutputSink, Write } from './sink.js';

export interface TextOptions {
  color: boolean;
  /** Also print evidence and advice under each RST line. */
  verbose: boolean;
}

const HEADER = 'frame     time                            stream  sender  flags  phase      client <-> server                                  cause                    origin    confidence';

export class TextSink implements OutputSink {
  private headerDone = false;
  private readonly captures: CaptureInfo[] = [];
  private readonly verdicts: string[] = [];

  constructor(private readonly write: Write, private readonly opts: TextOptions) {}

  connection(rec: ConnectionRecord): void {
    if (rec.verdict && this.verdicts.length < 50) this.verdicts.push(`  connection ${rec.id} (stream ${rec.stream ?? '-'}): ${rec.verdict}`);
  }

  reset(r: ResetRecord): void {
    if (!this.headerDone) {
      this.write(this.bold(HEADER) + '\n');
      this.headerDone = true;
    }
    const client = r.sender === 'client' ? `${hostPort(r.src, r.sport)}` : `${hostPort(r.dst, r.dport)}`;
    const server = r.sender === 'client' ? `${hostPort(r.dst, r.dport)}` : `${hostPort(r.src, r.sport)}`;
    const arrow = r.sender === 'client' ? '->' : '<-';
    const line =
      `${pad(String(r.frame), 9)} ${pad(r.time, 31)} ${pad(r.stream === null ? '-' : String(r.stream), 7)} ` +
      `${pad(r.sender, 7)} ${pad(r.flags, 6)} ${pad(r.phase, 10)} ${pad(`${client} ${arrow} ${server}`, 50)} ${this.red(pad(r.cause, 24))} ${pad(r.origin, 9)} ${r.confidence.toFixed(2)}`;
    this.write(line + '\n');
    if (this.opts.verbose) {
      for (const e of r.evidence) this.write(`          - ${e}\n`);
      if (r.advice) this.write(`          advice: ${r.advice}\n`);
    }
  }

  finding(rec: Record<string, unknown>): void {
    this.write(`finding: ${JSON.stringify(rec)}\n`);
  }

  capture(info: CaptureInfo): void {
    this.captures.push(info);
  }

  end(s: Summary): void {
    const w = this.write;
    if (!this.headerDone) w('no RST packets found\n');
    w('\n');
    for (const c of this.captures) {
      w(this.bold(`capture ${c.file}`) + `: ${c.packets} packets (${c.format ?? 'unknown format'}, link types ${c.linktypes.join(', ') || '-'}), ${c.first ?? '-'} .. ${c.last ?? '-'}\n`);
      for (const warn of c.warnings) w(`  warning: ${warn}\n`);
      if (c.error) w(this.red(`  damaged: ${c.error}`) + '\n');
    }
    w(`connections: ${s.connections} (${counts(s.by_state)})\n`);
    w(`RSTs: ${s.resets}`);
    if (s.resets > 0) {
      w(`; by phase: ${counts(s.resets_by_phase)}; by sender: ${counts(s.resets_by_sender)}; by cause: ${counts(s.resets_by_cause)}`);
    }
    w('\n');
    if (s.icmp_errors > 0) w(`ICMP errors quoting TCP segments (rejects next to the RSTs): ${s.icmp_errors}\n`);
    if (this.verdicts.length) w('verdicts:\n' + this.verdicts.join('\n') + '\n');
  }

  private bold(s: string): string {
    return this.opts.color ? `\x1b[1m${s}\x1b[0m` : s;
  }

  private red(s: string): string {
    return this.opts.color ? `\x1b[31m${s}\x1b[0m` : s;
  }
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function counts(m: Record<string, number>): string {
  const e = Object.entries(m).sort((a, b) => b[1] - a[1]);
  return e.length ? e.map(([k, v]) => `${k} ${v}`).join(', ') : 'none';
}
