// `locate` on crafted two-point captures: TSO on one side, NAT (addresses and ports), a 30 s clock offset,
// different link types and snaplens, a forged RST, a drop, and a connection opened from the far end.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pcap, type PcapPacket } from '../../test/build/capture-builders.js';
import { eth, ipv4 } from '../../test/build/packet-builders.js';
import { tcp } from '../../test/build/packet-transport.js';
import { locate } from './locate.js';

const BASE = 1_700_000_000;
const SHIFT = 30; // B's clock runs 30 s ahead
const HOP = 0.001; // transit between A and B

interface Ep {
  ip: string;
  port: number;
}
interface Seg {
  t: number; // time at the sender's side of the path
  fromA: boolean; // sent by the host on A's side
  flags: string;
  seq: number;
  ack: number;
  len?: number;
  id: number;
  at?: 'A' | 'B'; // seen only there
  ttl?: number; // TTL where first seen (forgeries)
  split?: number; // TSO: A sees one segment, B sees pieces of this size
}

// Hosts: a (10.0.0.2) on A's side, b (10.0.1.2) on B's side. B sees a as 192.0.2.99 (NAT, new ports).
const A_HOST = '10.0.0.2';
const B_HOST = '10.0.1.2';
const NAT_IP = '192.0.2.99';

function frames(conns: Array<{ a: Ep; b: Ep; natPort: number; segs: Seg[] }>): { A: PcapPacket[]; B: PcapPacket[] } {
  const out: { A: Array<[number, Uint8Array]>; B: Array<[number, Uint8Array]> } = { A: [], B: [] };
  for (const c of conns) {
    for (const s of c.segs) {
      for (const point of ['A', 'B'] as const) {
        if (s.at && s.at !== point) continue;
        const local = (point === 'A') === s.fromA; // the sender is on this point's side
        const t = s.t + (local ? 0 : HOP) + (point === 'B' ? SHIFT : 0);
        const ttl = s.ttl ?? (local ? 64 : 63);
        const aEp = point === 'A' ? c.a : { ip: NAT_IP, port: c.natPort };
        const [src, dst] = s.fromA ? [aEp, c.b] : [c.b, aEp];
        const pieces = point === 'B' && s.split ? chunks(s.len ?? 0, s.split) : [[0, s.len ?? 0] as const];
        pieces.forEach(([off, len], i) => {
          const payload = Array.from({ length: len }, (_, k) => (s.seq + off + k) & 0xff);
          const ip = ipv4({ src: src.ip, dst: dst.ip, ttl, id: s.id + i, df: true },
            tcp({ sport: src.port, dport: dst.port, seq: (s.seq + off) >>> 0, ack: s.ack, flags: s.flags, payload }));
          out[point].push([t + i * 1e-5, point === 'A' ? eth(ip) : ip]);
        });
      }
    }
  }
  const toPcap = (l: Array<[number, Uint8Array]>): PcapPacket[] =>
    l.sort((x, y) => x[0] - y[0]).map(([t, data]) => ({ sec: BASE + Math.floor(t), frac: Math.round((t % 1) * 1e6), data }));
  return { A: toPcap(out.A), B: toPcap(out.B) };
}

function chunks(len: number, size: number): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  for (let off = 0; off < len; off += size) out.push([off, Math.min(size, len - off)]);
  return out;
}

const CONNS = [
  { // 1: a -> b:80; a TSO send; b keeps sending after a RST forged toward a between the points
    a: { ip: A_HOST, port: 40000 }, b: { ip: B_HOST, port: 80 }, natPort: 5555,
    segs: [
      { t: 0, fromA: true, flags: 'S', seq: 1000, ack: 0, id: 1 },
      { t: 0.002, fromA: false, flags: 'SA', seq: 5000, ack: 1001, id: 0 },
      { t: 0.0035, fromA: true, flags: 'A', seq: 1001, ack: 5001, id: 2 },
      { t: 0.01, fromA: true, flags: 'PA', seq: 1001, ack: 5001, len: 2896, id: 3, split: 1448 },
      { t: 0.013, fromA: false, flags: 'A', seq: 5001, ack: 3897, id: 100 },
      { t: 0.02, fromA: false, flags: 'PA', seq: 5001, ack: 3897, len: 100, id: 101 },
      { t: 0.0215, fromA: true, flags: 'A', seq: 3897, ack: 5101, id: 5 },
      { t: 0.0205, fromA: false, flags: 'R', seq: 5101, ack: 0, id: 0, at: 'A', ttl: 60 },
      { t: 0.03, fromA: false, flags: 'PA', seq: 5101, ack: 3897, len: 50, id: 102 },
    ] as Seg[],
  },
  { // 2: opened from B's side (b:41000 -> a:22, port-forwarded as 2222); the opener resets
    a: { ip: A_HOST, port: 22 }, b: { ip: B_HOST, port: 41000 }, natPort: 2222,
    segs: [
      { t: 0.1, fromA: false, flags: 'S', seq: 7000, ack: 0, id: 200 },
      { t: 0.102, fromA: true, flags: 'SA', seq: 9000, ack: 7001, id: 300 },
      { t: 0.1035, fromA: false, flags: 'A', seq: 7001, ack: 9001, id: 201 },
      { t: 0.11, fromA: false, flags: 'RA', seq: 7001, ack: 9001, id: 202 },
    ] as Seg[],
  },
  { // 3: a -> b:80; a's data is dropped between the points, retransmitted, then a aborts
    a: { ip: A_HOST, port: 40001 }, b: { ip: B_HOST, port: 80 }, natPort: 5556,
    segs: [
      { t: 0.2, fromA: true, flags: 'S', seq: 20000, ack: 0, id: 400 },
      { t: 0.202, fromA: false, flags: 'SA', seq: 30000, ack: 20001, id: 500 },
      { t: 0.2035, fromA: true, flags: 'A', seq: 20001, ack: 30001, id: 401 },
      { t: 0.21, fromA: true, flags: 'PA', seq: 20001, ack: 30001, len: 1000, id: 402, at: 'A' },
      { t: 0.41, fromA: true, flags: 'PA', seq: 20001, ack: 30001, len: 1000, id: 403, at: 'A' },
      { t: 0.81, fromA: true, flags: 'PA', seq: 20001, ack: 30001, len: 1000, id: 404, at: 'A' },
      { t: 1.2, fromA: true, flags: 'RA', seq: 21001, ack: 30001, id: 405 },
    ] as Seg[],
  },
];

function files(): { A: string; B: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rstscope-synth-'));
  const f = frames(CONNS);
  const A = join(dir, 'a.pcap');
  const B = join(dir, 'b.pcap');
  writeFileSync(A, pcap({ linktype: 1, snaplen: 65535 }, f.A));
  writeFileSync(B, pcap({ linktype: 101, snaplen: 80 }, f.B));
  return { A, B };
}

describe('locate on crafted captures (TSO, NAT, clock offset, snaplen, link types)', () => {
  const { A, B } = files();

  it('locates each RST, listed A then B', async () => {
    const { doc } = await locate([A, B], { names: ['A', 'B'] });
    expect(doc.points.map((p) => p.linktypes)).toEqual([[1], [101]]);
    expect(doc.points[1]!.clock_offset_s).toBeCloseTo(SHIFT, 4);
    expect(doc.summary.matched_connections).toBe(3);
    const [forged, opener, abort] = doc.resets;
    expect(forged!.born_between).toEqual(['A', 'B']);
    expect(forged!.origin).toBe('middlebox');
    expect(forged!.confidence).toBe(1);
    expect(forged!.frames).toEqual({ A: expect.any(Number), B: null });
    expect(forged!.evidence.join('\n')).toMatch(/still sending/);
    expect(forged!.evidence.join('\n')).toMatch(/TTL 60 at A, but the server's other packets arrive there with TTL 63/);
    expect(forged!.evidence.join('\n')).toMatch(/NAT/);
    // TSO: A's 2896-byte segment is B's two 1448-byte segments: nothing lost.
    expect(forged!.lost).toEqual([]);
    expect(opener!.born_between).toEqual(['B', null]);
    expect(opener!.sender).toBe('client');
    expect(opener!.oriented_by).toBe('ttl');
    expect(abort!.born_between).toEqual([null, 'A']);
    expect(abort!.lost).toEqual([expect.objectContaining({ from: 'A', to: 'B', direction: 'client->server', bytes: 1000, packets: 3 })]);
  });

  it('gives the mirrored verdicts when the captures are listed B then A', async () => {
    const { doc } = await locate([B, A], { names: ['B', 'A'] });
    expect(doc.points[1]!.clock_offset_s).toBeCloseTo(-SHIFT, 4);
    expect(doc.resets.map((r) => r.born_between)).toEqual([['B', 'A'], [null, 'B'], ['A', null]]);
  });
});
