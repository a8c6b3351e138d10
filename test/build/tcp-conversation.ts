// Test helper: script a TCP conversation packet by packet and write it as a pcap, to feed both rstscope's
// pipeline (in process) and tshark (as a file) with exactly the same bytes.
import { writeFileSync } from 'node:fs';
import { analyzeCapture } from '../../src/pipeline/analyze-capture.js';
import type { CaptureInfo, ConnectionRecord, ResetRecord } from '../../src/report/contract.js';
import { pcap, type PcapPacket } from './capture-builders.js';
import { eth, ipv4, ipv6 } from './packet-builders.js';
import { tcp } from './packet-transport.js';

export interface Host {
  ip: string;
  port: number;
}

export interface SegOpts {
  seq: number;
  ack?: number;
  /** Payload length (bytes are deterministic) or the bytes. */
  data?: number | Uint8Array;
  window?: number;
  ttl?: number;
  /** Seconds since the previous packet (default 0.001). */
  gap?: number;
  options?: number[];
}

/** Packets of one capture; each `tcp()` call appends one Ethernet frame. */
export class Capture {
  readonly packets: PcapPacket[] = [];
  private t = 1_700_000_000 * 1e6; // µs
  private ipId = 1;

  /** Appends a segment from `src` to `dst` with TCP flags like "S", "SA", "PA", "FA", "R", "RA". */
  tcp(src: Host, dst: Host, flags: string, o: SegOpts): this {
    this.t += Math.round((o.gap ?? 0.001) * 1e6);
    const payload = typeof o.data === 'number' ? fill(o.data, o.seq) : o.data ?? new Uint8Array(0);
    const seg = tcp({
      sport: src.port, dport: dst.port, seq: o.seq >>> 0, ack: (o.ack ?? 0) >>> 0, flags, window: o.window ?? 64240,
      payload, ...(o.options ? { options: o.options } : {}),
    });
    const v6 = src.ip.includes(':');
    const ip = v6
      ? ipv6({ src: src.ip, dst: dst.ip, hopLimit: o.ttl ?? 64 }, seg)
      : ipv4({ src: src.ip, dst: dst.ip, ttl: o.ttl ?? 64, id: this.ipId++, df: true }, seg);
    const frame = eth(ip, { type: v6 ? 0x86dd : 0x0800 });
    this.packets.push({ sec: Math.floor(this.t / 1e6), frac: this.t % 1e6, data: frame });
    return this;
  }

  bytes(): Uint8Array {
    return pcap({ linktype: 1 }, this.packets);
  }

  write(file: string): string {
    writeFileSync(file, this.bytes());
    return file;
  }
}

function fill(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = 0x41 + ((seed + i) % 26);
  return b;
}

export interface Analysis {
  connections: ConnectionRecord[];
  resets: ResetRecord[];
  captures: CaptureInfo[];
}

/** Runs the real pipeline (read -> decode -> track -> explain) over a capture file, in process. */
export async function analyzeFile(file: string, idleTimeout = 300): Promise<Analysis> {
  const out: Analysis = { connections: [], resets: [], captures: [] };
  await analyzeCapture(file, file, { verifyChecksums: false, idleTimeout }, {
    connection: (r) => void out.connections.push(r),
    reset: (r) => void out.resets.push(r),
    finding: () => undefined,
    capture: (i) => void out.captures.push(i),
    end: () => undefined,
  });
  return out;
}
