import { describe, expect, it } from 'vitest';
import { ACK, PSH, RST, SYN } from '../../decode/packet.js';
import { Connection } from '../../flow/connection.js';
import { foldLabel, packetLabel, renderLadder } from './terminal.js';
import { diagramView, type FoldRow, type PacketRow } from './view.js';

/** A connection whose log holds a handshake, `data` data/ACK pairs of 1,000 bytes 1 ms apart, then a RST. */
function connection(data: number): Connection {
  const c = new Connection(7, 0, true);
  c.stream = 3;
  c.lowIp = '192.0.2.1';
  c.lowPort = 40000;
  c.highIp = '198.51.100.2';
  c.highPort = 443;
  c.firstTime = 100;
  c.orig.isn = 1000;
  c.resp.isn = 5000;
  let frame = 0;
  let t = 100;
  let cs = 1000;
  let ss = 5000;
  const add = (fromOrig: boolean, flags: number, len: number, dt: number, ttl = 64): void => {
    t += dt;
    c.log.add({ frame: ++frame, time: t, fromOrig, flags, seq: fromOrig ? cs : ss, ack: fromOrig ? ss : cs, len, window: 100, ttl, ipId: 0, df: true }, (flags & RST) !== 0);
    const adv = (flags & RST ? 0 : len) + (flags & SYN ? 1 : 0);
    if (fromOrig) cs += adv;
    else ss += adv;
  };
  add(true, SYN, 0, 0);
  add(false, SYN | ACK, 0, 0.001);
  add(true, ACK, 0, 0.001);
  for (let i = 0; i < data; i++) {
    add(true, PSH | ACK, 1000, 0.001);
    add(false, ACK, 0, 0.001, 63);
  }
  add(false, RST | ACK, 0, 0.5, 63);
  c.lastTime = t;
  return c;
}

describe('diagramView', () => {
  it('shows a short connection whole, with relative seq/ack from the ISNs', () => {
    const v = diagramView(connection(2), { focus: [8], notes: [{ frame: 8, cause: 'abortive-close', origin: 'endpoint' }] });
    expect(v.rows.every((r) => r.kind === 'packet')).toBe(true);
    const rows = v.rows as PacketRow[];
    expect(rows.map((r) => r.frame)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows[0]).toMatchObject({ flags: 'S', seq: 0, ack: null, fromClient: true, time: 0 });
    expect(rows[1]).toMatchObject({ flags: 'SA', seq: 0, ack: 1, fromClient: false });
    expect(rows[5]).toMatchObject({ flags: 'PA', seq: 1001, ack: 1, len: 1000 });
    expect(rows[7]).toMatchObject({ flags: 'RA', seq: 1, ack: 2001, rst: true, focus: true, note: { cause: 'abortive-close' } });
    expect(v).toMatchObject({ connection: 7, stream: 3, client: { ip: '192.0.2.1', port: 40000 }, packets: 8, bytes: 2000 });
  });

  it('folds what is outside the handshake and the window around the RST, counting packets, bytes and time', () => {
    const c = connection(1000); // 2,004 packets; the log keeps the head, 32 before the RST and the RST
    const v = diagramView(c, { focus: [2004], context: 4 });
    const folds = v.rows.filter((r): r is FoldRow => r.kind === 'fold');
    expect(folds).toHaveLength(1); // frames 5..1971 were not kept, 1972..1999 are outside the window: one run
    const shown = v.rows.filter((r): r is PacketRow => r.kind === 'packet').map((r) => r.frame);
    expect(shown).toEqual([1, 2, 3, 4, 2000, 2001, 2002, 2003, 2004]);
    // frames 5..1999 are folded away: first by the log (not kept), then by the view (kept, outside the window)
    const hidden = folds.reduce((n, f) => n + f.packets, 0);
    expect(hidden).toBe(1995);
    expect(folds[0]!.bytes).toBe(997 * 1000); // the client's data segments are the even frames 6..1998
    expect(folds[0]!.seconds).toBeCloseTo(1.996, 6);
    expect(shown.length + hidden).toBe(c.log.packets);
  });

  it('marks a folded focus frame and shows its neighbours', () => {
    const v = diagramView(connection(1000), { focus: [900], context: 2 });
    const fold = v.rows.find((r): r is FoldRow => r.kind === 'fold' && r.holds === 900);
    expect(fold).toBeDefined();
    expect(diagramView(connection(1000), { focus: [900] }).undrawn).toEqual([]);
  });

  it('lists focus frames it cannot draw (packets the log did not keep, like duplicates)', () => {
    const v = diagramView(connection(1), { focus: [6, 7] }); // frame 7 was never logged
    expect(v.undrawn).toEqual([7]);
    expect(renderLadder(v, { color: false })).toContain('(frame 7 is not drawn');
  });

  it('uses the first sequence number seen when there was no SYN', () => {
    const c = connection(1);
    c.orig.isn = null;
    c.resp.isn = null;
    const rows = diagramView(c, { focus: [] }).rows as PacketRow[];
    expect(rows[0]!.seq).toBe(0); // the SYN is the client's first packet: its seq is the base
    expect(rows[1]!.seq).toBe(0);
  });
});

describe('terminal ladder', () => {
  it('labels packets and folds', () => {
    expect(packetLabel({ kind: 'packet', frame: 1, time: 0, fromClient: true, flags: 'PA', seq: 1, ack: 5, len: 20, ttl: 64, rst: false, focus: false, note: null }))
      .toBe('PA seq=1 ack=5 len=20 ttl=64');
    expect(foldLabel({ kind: 'fold', packets: 1234, bytes: 1_600_000, seconds: 3.2, holds: null })).toBe('... 1,234 packets, 1.6 MB, 3.2 s ...');
    expect(foldLabel({ kind: 'fold', packets: 1, bytes: 0, seconds: null, holds: null })).toBe('... 1 packet, 0 B ...');
  });

  it('draws arrows between the lanes, RSTs with = and their cause, colour only when asked', () => {
    const c = connection(1);
    const v = diagramView(c, { focus: [6], notes: [{ frame: 6, cause: 'x\x1b[2Jy', origin: 'endpoint' }] });
    const plain = renderLadder(v, { color: false });
    const lines = plain.trimEnd().split('\n');
    expect(lines[0]).toBe('connection 7 (stream 3): 192.0.2.1:40000 -> 198.51.100.2:443, OTH, 6 packets, 1.0 kB, 504 ms');
    expect(lines[2]).toMatch(/^ +1 +0\.000000 +\|-+ S seq=0 len=0 ttl=64 -+>\|$/);
    expect(lines[3]).toMatch(/\|<-+ SA seq=0 ack=1 len=0 ttl=64 -+\|$/);
    expect(lines[7]).toMatch(/^> +6 +0\.504000 +\|<=+ RA seq=1 ack=1001 len=0 ttl=63 =+\|  << RST from the server: x\?\[2Jy \(origin endpoint\)$/);
    expect(new Set(lines.slice(2).map((l) => l.indexOf('|')))).toHaveProperty('size', 1);
    expect(plain).not.toContain('\x1b');
    expect(renderLadder(v, { color: true })).toContain('\x1b[31m');
  });
});
