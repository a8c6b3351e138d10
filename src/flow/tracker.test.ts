// The tracker through the real pipeline, on captures built in code: sequence wrap-around, the phase of a
// RST, and Wireshark's tcp.stream for reused ports (checked against tshark on the same bytes).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFile, Capture, type Host } from '../../test/build/tcp-conversation.js';
import { hasTshark } from '../../test/helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rstscope-tracker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const tsharkOk = hasTshark();
let n = 0;
const file = (name: string): string => join(dir, `${n++}-${name}.pcap`);

/** tshark's per-frame fields (one row per frame, tab separated). */
function tshark(path: string, fields: string[], filter?: string): string[][] {
  const args = ['-r', path, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])];
  if (filter) args.push('-Y', filter);
  const r = spawnSync('tshark', args);
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return r.stdout.toString().split('\n').filter(Boolean).map((l) => l.split('\t'));
}

/** frame number -> tcp.stream, for every frame. */
function tsharkStreams(path: string): Map<number, number> {
  return new Map(tshark(path, ['frame.number', 'tcp.stream']).map(([f, s]) => [Number(f), Number(s)]));
}

const C: Host = { ip: '10.0.0.1', port: 40000 };
const S: Host = { ip: '10.0.0.2', port: 8080 };

// ---------------------------------------------------------------------------------------- wrap-around

/** A full connection whose client ISN is 0xfffffff0 and server ISN 0xffffff00: both directions cross 2^32. */
function wrapCapture(retransmitWrapping: boolean): Capture {
  const cIsn = 0xfffffff0;
  const sIsn = 0xffffff00;
  const cap = new Capture();
  let c = cIsn;
  let s = sIsn;
  cap.tcp(C, S, 'S', { seq: c });
  cap.tcp(S, C, 'SA', { seq: s, ack: c + 1 });
  c += 1;
  s += 1;
  cap.tcp(C, S, 'A', { seq: c, ack: s });
  for (let k = 0; k < 5; k++) {
    cap.tcp(C, S, 'PA', { seq: c, ack: s, data: 100 });
    if (retransmitWrapping && k === 0) cap.tcp(C, S, 'PA', { seq: c, ack: s, data: 100, gap: 0.2 }); // straddles 2^32
    c += 100;
    cap.tcp(S, C, 'A', { seq: s, ack: c });
  }
  cap.tcp(S, C, 'PA', { seq: s, ack: c, data: 300 }); // 0xffffff01 + 300 crosses 2^32
  s += 300;
  cap.tcp(C, S, 'A', { seq: c, ack: s });
  cap.tcp(C, S, 'FA', { seq: c, ack: s });
  c += 1;
  cap.tcp(S, C, 'FA', { seq: s, ack: c });
  s += 1;
  cap.tcp(C, S, 'A', { seq: c, ack: s });
  return cap;
}

const RXMIT_FILTER = 'tcp.analysis.retransmission || tcp.analysis.fast_retransmission || tcp.analysis.spurious_retransmission';

describe('sequence numbers across 2^32', () => {
  it('a clean transfer across the wrap: no retransmission, gap or out-of-order, SF', async () => {
    const path = wrapCapture(false).write(file('wrap'));
    const a = await analyzeFile(path);
    expect(a.connections).toHaveLength(1);
    const conn = a.connections[0]!;
    expect(conn.state).toBe('SF');
    expect(conn.history).toBe('ShADadFf');
    expect(conn.history).not.toMatch(/[TtGg]/);
    expect(conn.client_stats.isn).toBe(0xfffffff0);
    expect(conn.client_stats.next_seq).toBe((0xfffffff0 + 1 + 500 + 1) >>> 0);
    expect(conn.server_stats.next_seq).toBe((0xffffff00 + 1 + 300 + 1) >>> 0);
    expect(conn.client_stats.bytes).toBe(500);
    expect(conn.server_stats.bytes).toBe(300);
    expect(conn.client_stats.highest_ack).toBe(conn.server_stats.next_seq);
    for (const st of [conn.client_stats, conn.server_stats]) {
      expect(st.retransmissions).toBe(0);
      expect(st.out_of_order).toBe(0);
    }
    if (tsharkOk) {
      expect(tshark(path, ['frame.number'], `${RXMIT_FILTER} || tcp.analysis.out_of_order || tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment`)).toEqual([]);
      expect(tshark(path, ['frame.number'])).toHaveLength(conn.packets);
    }
  });

  it('control: a retransmission of the segment that straddles 2^32 is counted (as tshark counts it)', async () => {
    const path = wrapCapture(true).write(file('wrap-rxmit'));
    const conn = (await analyzeFile(path)).connections[0]!;
    expect(conn.state).toBe('SF');
    expect(conn.history).toBe('ShADTadFf'); // the retransmission comes before the server's first ACK
    expect(conn.client_stats.retransmissions).toBe(1);
    expect(conn.client_stats.bytes).toBe(600);
    if (tsharkOk) {
      const theirs = tshark(path, ['frame.number', 'ip.src'], RXMIT_FILTER);
      expect(theirs.map(([, src]) => src)).toEqual([C.ip]);
      expect(conn.client_stats.retransmissions + conn.server_stats.retransmissions).toBe(theirs.length);
    }
  });
});

// ---------------------------------------------------------------------------------------- phases

describe('the phase of a RST', () => {
  /** One capture, one connection per scenario (server ports 8001...), frames of the RSTs to check. */
  async function phases(): Promise<{ path: string; byFrame: Map<number, { phase: string; sender: string; stream: number | null }>; expected: Array<[number, string, string]> }> {
    const cap = new Capture();
    const expected: Array<[frame: number, phase: string, sender: string]> = [];
    const frame = (): number => cap.packets.length;
    let port = 8001;
    const pair = (): [Host, Host] => [{ ip: '10.1.0.1', port: 50000 + port }, { ip: '10.1.0.2', port: port++ }];

    // handshake: the server answers a SYN with RST/ACK (port closed)
    {
      const [c, s] = pair();
      cap.tcp(c, s, 'S', { seq: 1000 });
      cap.tcp(s, c, 'RA', { seq: 0, ack: 1001 });
      expected.push([frame(), 'handshake', 'server']);
    }
    // handshake: the client resets after the SYN/ACK, before any data
    {
      const [c, s] = pair();
      cap.tcp(c, s, 'S', { seq: 2000 });
      cap.tcp(s, c, 'SA', { seq: 9000, ack: 2001 });
      cap.tcp(c, s, 'R', { seq: 2001 });
      expected.push([frame(), 'handshake', 'client']);
    }
    // data: after payload
    {
      const [c, s] = pair();
      cap.tcp(c, s, 'S', { seq: 3000 });
      cap.tcp(s, c, 'SA', { seq: 7000, ack: 3001 });
      cap.tcp(c, s, 'A', { seq: 3001, ack: 7001 });
      cap.tcp(c, s, 'PA', { seq: 3001, ack: 7001, data: 20 });
      cap.tcp(s, c, 'RA', { seq: 7001, ack: 3021 });
      expected.push([frame(), 'data', 'server']);
      // a second RST from the same sender: phase none
      cap.tcp(s, c, 'R', { seq: 7001, gap: 0.01 });
      expected.push([frame(), 'none', 'server']);
    }
    // teardown: after a FIN
    {
      const [c, s] = pair();
      cap.tcp(c, s, 'S', { seq: 4000 });
      cap.tcp(s, c, 'SA', { seq: 6000, ack: 4001 });
      cap.tcp(c, s, 'A', { seq: 4001, ack: 6001 });
      cap.tcp(c, s, 'PA', { seq: 4001, ack: 6001, data: 10 });
      cap.tcp(s, c, 'A', { seq: 6001, ack: 4011 });
      cap.tcp(c, s, 'FA', { seq: 4011, ack: 6001 });
      cap.tcp(s, c, 'RA', { seq: 6001, ack: 4012 });
      expected.push([frame(), 'teardown', 'server']);
    }
    // none: a RST is the first packet of its connection
    {
      const [c, s] = pair();
      cap.tcp(s, c, 'R', { seq: 123456 });
      expected.push([frame(), 'none', 'client']); // a lone packet's sender is the originator ("client")
    }
    const path = cap.write(file('phases'));
    const a = await analyzeFile(path);
    const byFrame = new Map(a.resets.map((r) => [r.frame, { phase: r.phase, sender: r.sender, stream: r.stream }]));
    return { path, byFrame, expected };
  }

  it('handshake, data, teardown, none (first packet), none (second RST of the same sender)', async () => {
    const { byFrame, expected } = await phases();
    expect([...byFrame.keys()].sort((x, y) => x - y)).toEqual(expected.map((e) => e[0]));
    for (const [frame, phase, sender] of expected) {
      expect(byFrame.get(frame)?.phase, `frame ${frame}`).toBe(phase);
      expect(byFrame.get(frame)?.sender, `frame ${frame}`).toBe(sender);
    }
  });

  it.skipIf(!tsharkOk)('RST frames and their tcp.stream equal tshark', async () => {
    const { path, byFrame } = await phases();
    const theirs = tshark(path, ['frame.number', 'tcp.stream'], 'tcp.flags.reset==1').map(([f, s]) => [Number(f), Number(s)]);
    expect([...byFrame.entries()].map(([f, r]) => [f, r.stream]).sort((x, y) => x[0]! - y[0]!)).toEqual(theirs);
  });
});

// ---------------------------------------------------------------------------------------- tcp.stream

/** One 4-tuple used again and again: close and reopen, SYN retransmission, reversed roles, RST-closed. */
function reuseCapture(): Capture {
  const cap = new Capture();
  // 1st connection, FIN-closed
  cap.tcp(C, S, 'S', { seq: 1000 });
  cap.tcp(C, S, 'S', { seq: 1000, gap: 1 }); // SYN retransmission: same stream
  cap.tcp(S, C, 'SA', { seq: 5000, ack: 1001 });
  cap.tcp(C, S, 'A', { seq: 1001, ack: 5001 });
  cap.tcp(C, S, 'FA', { seq: 1001, ack: 5001 });
  cap.tcp(S, C, 'FA', { seq: 5001, ack: 1002 });
  cap.tcp(C, S, 'A', { seq: 1002, ack: 5002 });
  // the same ISN again after the close: Wireshark keeps the stream (Zeek starts a new connection)
  cap.tcp(C, S, 'S', { seq: 1000, gap: 2 });
  cap.tcp(S, C, 'RA', { seq: 0, ack: 1001 });
  // a new ISN: a new stream, reset by the server during data
  cap.tcp(C, S, 'S', { seq: 20000, gap: 2 });
  cap.tcp(S, C, 'SA', { seq: 30000, ack: 20001 });
  cap.tcp(C, S, 'A', { seq: 20001, ack: 30001 });
  cap.tcp(C, S, 'PA', { seq: 20001, ack: 30001, data: 50 });
  cap.tcp(S, C, 'RA', { seq: 30001, ack: 20051 });
  // immediately another SYN with a new ISN, refused
  cap.tcp(C, S, 'S', { seq: 40000, gap: 0.5 });
  cap.tcp(S, C, 'RA', { seq: 0, ack: 40001 });
  // the roles reversed: the old server opens to the old client's port
  cap.tcp(S, C, 'S', { seq: 60000, gap: 2 });
  cap.tcp(C, S, 'SA', { seq: 70000, ack: 60001 });
  cap.tcp(S, C, 'A', { seq: 60001, ack: 70001 });
  cap.tcp(S, C, 'R', { seq: 60001 });
  return cap;
}

/** The stream rules tuple-index.test.ts states, on real packets (each on its own tuple). */
function synVariantsCapture(): Capture {
  const cap = new Capture();
  const t = (i: number): [Host, Host] => [{ ip: '10.3.0.1', port: 42000 + i }, { ip: '10.3.0.2', port: 7000 + i }];
  {
    const [c, s] = t(0); // a SYN/ACK with another seq: no new stream
    cap.tcp(c, s, 'S', { seq: 100 });
    cap.tcp(s, c, 'SA', { seq: 900, ack: 101 });
    cap.tcp(s, c, 'SA', { seq: 12345, ack: 101 });
    cap.tcp(c, s, 'R', { seq: 101 });
  }
  {
    const [c, s] = t(1); // simultaneous open: the peer's first SYN
    cap.tcp(c, s, 'S', { seq: 100 });
    cap.tcp(s, c, 'S', { seq: 555 });
    cap.tcp(s, c, 'SA', { seq: 555, ack: 101 });
    cap.tcp(c, s, 'RA', { seq: 101, ack: 556 });
  }
  {
    const [c, s] = t(2); // new ISN, its retransmission, then the old ISN again
    cap.tcp(c, s, 'S', { seq: 100 });
    cap.tcp(s, c, 'SA', { seq: 900, ack: 101 });
    cap.tcp(c, s, 'FA', { seq: 101, ack: 901 });
    cap.tcp(c, s, 'S', { seq: 5000, gap: 1 });
    cap.tcp(s, c, 'SA', { seq: 7000, ack: 5001 });
    cap.tcp(c, s, 'A', { seq: 5001, ack: 7001 });
    cap.tcp(c, s, 'S', { seq: 5000, gap: 1 });
    cap.tcp(c, s, 'S', { seq: 100, gap: 1 });
    cap.tcp(s, c, 'RA', { seq: 0, ack: 101 });
  }
  return cap;
}

/** A tuple whose first captured packets are mid-stream data, then SYNs (the capture started late). */
function lateStartCapture(synSeqDelta: number): Capture {
  const cap = new Capture();
  const c: Host = { ip: '10.2.0.1', port: 41000 };
  const s: Host = { ip: '10.2.0.2', port: 9090 };
  cap.tcp(c, s, 'PA', { seq: 7777, ack: 3333, data: 10 });
  cap.tcp(s, c, 'A', { seq: 3333, ack: 7787 });
  cap.tcp(c, s, 'R', { seq: 7787 });
  cap.tcp(c, s, 'S', { seq: 7777 + synSeqDelta, gap: 1 });
  cap.tcp(s, c, 'RA', { seq: 0, ack: 7778 + synSeqDelta });
  return cap;
}

describe.skipIf(!tsharkOk)('tcp.stream of reused ports equals tshark', () => {
  async function compare(cap: Capture, name: string): Promise<{ conns: number; streams: Set<number | null> }> {
    const path = cap.write(file(name));
    const a = await analyzeFile(path);
    const theirs = tsharkStreams(path);
    expect(theirs.size).toBe(cap.packets.length);
    for (const c of a.connections) expect(c.stream, `connection ${c.id} first frame ${c.first_frame}`).toBe(theirs.get(c.first_frame));
    for (const r of a.resets) expect(r.stream, `RST frame ${r.frame}`).toBe(theirs.get(r.frame));
    expect(a.resets.map((r) => r.frame).sort((x, y) => x - y)).toEqual(
      tshark(path, ['frame.number'], 'tcp.flags.reset==1').map(([f]) => Number(f)));
    return { conns: a.connections.length, streams: new Set(a.connections.map((c) => c.stream)) };
  }

  it('close and reopen, same-ISN SYN, new-ISN SYNs, reversed roles', async () => {
    const { conns, streams } = await compare(reuseCapture(), 'reuse');
    expect(conns).toBeGreaterThanOrEqual(4);
    expect(streams.size).toBeGreaterThanOrEqual(3);
  });

  it('SYN/ACK with another seq, simultaneous open, new ISN then old ISN', async () => {
    const { streams } = await compare(synVariantsCapture(), 'syn-variants');
    expect(streams.size).toBeGreaterThanOrEqual(4);
  });

  it('capture started mid-connection, then a SYN far from the first data seq', async () => {
    await compare(lateStartCapture(100_000), 'late-far');
  });

  // BUG src/flow/tuple-index.ts assignStream(): when a direction's first packet is not a SYN, Wireshark 4.0 sets
  // base_seq = seq - 1 (rstscope: seq), so a later SYN with seq = first seq - 1 stays in the stream for tshark
  // (rstscope: new stream 1), and a SYN with seq = first seq starts stream 1 for tshark (rstscope: stays in 0).
  it('capture started mid-connection, then a SYN one below the first data seq (tshark: same stream)', async () => {
    await compare(lateStartCapture(-1), 'late-minus-1');
  });
  it('capture started mid-connection, then a SYN with the first data seq (tshark: new stream)', async () => {
    await compare(lateStartCapture(0), 'late-0');
  });
});
