// Live monitor: RSTs read from stdin are reported within 1 s (provisional), then final on the wall clock
// even when no more packets come; Ctrl-C prints the summary. Proven with a paced replay of a lab capture.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from './helpers/cli.js';

interface Line {
  at: number;
  rec: Record<string, unknown>;
}

/** pcap records of a little-endian microsecond pcap: header bytes and [timestamp, bytes] pairs. */
function records(file: string): { header: Buffer; packets: Array<{ frame: number; bytes: Buffer; rst: boolean }> } {
  const d = readFileSync(file);
  const packets: Array<{ frame: number; bytes: Buffer; rst: boolean }> = [];
  let off = 24;
  while (off + 16 <= d.length) {
    const cl = d.readUInt32LE(off + 8);
    const bytes = d.subarray(off, off + 16 + cl);
    const flags = bytes[16 + 14 + 20 + 13] ?? 0; // Ethernet + IPv4 (no options) + TCP flags byte
    packets.push({ frame: packets.length + 1, bytes, rst: (flags & 0x04) !== 0 });
    off += 16 + cl;
  }
  return { header: d.subarray(0, 24), packets };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

describe('live monitor (stdin, NDJSON)', () => {
  it('writes each RST within 1 s of its bytes, then its final verdict without new packets; Ctrl-C prints the summary', async () => {
    const { header, packets } = records(join(ROOT, 'test/fixtures/sample.pcap'));
    expect(packets.some((p) => p.rst)).toBe(true);
    const child = spawn(process.execPath, [CLI, 'analyze', '-', '--format', 'ndjson'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines: Line[] = [];
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        lines.push({ at: Date.now(), rec: JSON.parse(buf.slice(0, i)) as Record<string, unknown> });
        buf = buf.slice(i + 1);
      }
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const sentAt = new Map<number, number>();
    child.stdin.write(header);
    for (const p of packets) {
      child.stdin.write(p.bytes);
      if (p.rst) sentAt.set(p.frame, Date.now());
      await sleep(40);
    }
    const rstFrames = [...sentAt.keys()];
    // Provisional records: each within 1 s of its bytes.
    await sleep(1200);
    for (const f of rstFrames) {
      const prov = lines.find((l) => l.rec.type === 'reset' && l.rec.frame === f && l.rec.final === false);
      expect(prov, `provisional record for frame ${f}`).toBeDefined();
      expect(prov!.at - sentAt.get(f)!).toBeLessThan(1000);
    }
    // Final records come on the wall clock (Zeek's 5 s reset delay), with stdin still open and idle.
    const deadline = Date.now() + 12_000;
    while (Date.now() < deadline && rstFrames.some((f) => !lines.some((l) => l.rec.frame === f && l.rec.final === true))) await sleep(100);
    for (const f of rstFrames) expect(lines.some((l) => l.rec.type === 'reset' && l.rec.frame === f && l.rec.final === true), `final ${f}`).toBe(true);
    expect(lines.some((l) => l.rec.type === 'summary')).toBe(false);
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(0);
    const summary = lines.find((l) => l.rec.type === 'summary');
    expect(summary?.rec.resets).toBe(rstFrames.length);
  }, 30_000);
});
