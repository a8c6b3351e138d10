// no-connection: a RST answering a segment of a connection its sender does not know (after its own first RST, or
// never seen; a Linux stateless reply in the middle of a connection; a RST with nothing before it).
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';
import { EXACT, HEURISTIC, WEAK } from '../rule.js';

const C = { ip: '10.15.0.1', port: 40000 };
const S = { ip: '10.15.0.2', port: 80 };

describe('no-connection', () => {
  it('follow-ons: after its abort the server answers each in-flight segment with a RST, caused_by the first', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    k.cli('PA', { len: 100 });
    const first = k.srv('RA');
    const d2 = k.cli('PA', { len: 100, gap: 0.0001 });
    const r2 = k.srv('R', { seq: k.s, ipId: 0, window: 0, gap: 0.001 }); // a round trip from the capture point
    k.cli('PA', { len: 100, gap: 0.0001 });
    const r3 = k.srv('R', { seq: k.s, ipId: 0, window: 0, gap: 0.001 });
    const out = sc.run();
    expect(out.at(first).cause).not.toBe('no-connection');
    for (const f of [r2, r3]) {
      const v = out.at(f);
      expect(v).toMatchObject({ cause: 'no-connection', origin: 'endpoint', phase: 'none', causedBy: first, confidence: endpointConfidence(EXACT) });
      expect(v.sigs).toEqual([]);
      expect(v.evidence[0]).toBe(`the server already reset this connection in frame ${first}; it keeps no state, so each segment still in flight gets a RST`);
    }
    expect(citedFrames(out.at(r2).evidence)).toEqual([first, d2, r2]);
  });

  it('a Linux stateless reply in the middle of a connection (no ACK, window 0, IP ID 0 with DF, seq = the segment\'s ack)', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    k.exchange();
    const data = k.cli('PA', { len: 100 });
    const rst = k.srv('R', { seq: k.s, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'no-connection', origin: 'endpoint', phase: 'none', confidence: endpointConfidence(HEURISTIC), causedBy: null });
    expect(v.evidence[1]).toMatch(/^RST without ACK, window 0, IP ID 0 with DF: the stateless reply a Linux stack sends/);
    expect(citedFrames(v.evidence)).toEqual([data, rst]);
  });

  it('half-open: data of a connection whose start was not captured, answered by a server that never spoke', () => {
    const sc = new Scene();
    const data = sc.pkt(C, S, 'PA', { seq: 777_000, ack: 888_000, data: 100 });
    const rst = sc.pkt(S, C, 'R', { seq: 888_000, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'no-connection', origin: 'endpoint', phase: 'none', confidence: endpointConfidence(HEURISTIC) });
    expect(v.evidence[0]).toMatch(new RegExp(`^it answers frame ${data} `));
  });

  it('half-open, answered statelessly without Linux\'s marks (RST+ACK, seq 0): the sender never spoke, exact', () => {
    const sc = new Scene();
    const data = sc.pkt(C, S, 'A', { seq: 777_000, ack: 888_000 });
    const rst = sc.pkt(S, C, 'R', { seq: 888_000, window: 0, ipId: 4321 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'no-connection', origin: 'endpoint', phase: 'none', confidence: endpointConfidence(EXACT) });
    expect(v.evidence[0]).toMatch(new RegExp(`^the server sent nothing on this connection before; it answers frame ${data} `));
  });

  it('the first packet with nothing before it: a lone RST, weak', () => {
    const sc = new Scene();
    const rst = sc.pkt(S, C, 'RA', { seq: 888_000, ack: 777_000 });
    const v = sc.run().at(rst);
    // One-sided too (only the server's direction was captured): confidence x 0.8.
    expect(v).toMatchObject({ cause: 'no-connection', phase: 'none', confidence: Math.round(endpointConfidence(WEAK) * 0.8 * 100) / 100 });
    expect(v.evidence.some((l) => l.startsWith('one-sided capture: only the server'))).toBe(true);
    expect(v.evidence[0]).toBe('no earlier packet of this 4-tuple was captured: the connection began before the capture, or its other packets were not captured');
    expect(citedFrames(v.evidence)).toEqual([rst]);
  });

  it('not a sender that has the connection: its RST at its next sequence is abortive-close', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    k.exchange();
    k.cli('A');
    const rst = k.srv('RA');
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('no-connection');
    expect(v).toMatchObject({ cause: 'abortive-close', phase: 'data' });
  });

  it('not a stateless-looking reply with the socket\'s window and IP ID counter (an aborting socket)', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    k.exchange();
    k.cli('PA', { len: 100 });
    const rst = k.srv('R', { seq: k.s });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('no-connection');
    expect(v).toMatchObject({ cause: 'abortive-close', phase: 'data' });
  });

  it('not a follow-on when it answers a segment sent before the peer\'s RST (both answered what was in flight)', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    k.srv('PA', { len: 100 });
    const serverRst = k.srv('RA', { gap: 0.0001 });
    const clientRst = k.cli('RA', { gap: 0.0001 });
    const v = sc.run().at(clientRst);
    expect(v.cause).not.toBe('no-connection');
    expect(v.causedBy).toBeNull();
    expect(v.phase).toBe('data');
    expect(serverRst).toBeLessThan(clientRst);
  });

  it('after a RST it accepted: the client answers the server\'s data still arriving, caused_by that RST', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.cli('PA', { len: 100 });
    const forged = k.srv('RA', { ttl: 57, gap: 0.0005 });
    k.srv('PA', { len: 300, gap: 0.02 });
    const rst = k.cli('R', { seq: k.c, ipId: 0, window: 0 });
    const out = sc.run();
    expect(out.at(forged)).toMatchObject({ cause: 'injected', origin: 'middlebox' });
    const v = out.at(rst);
    expect(v).toMatchObject({ cause: 'no-connection', origin: 'endpoint', phase: 'none', causedBy: forged });
    expect(v.evidence[0]).toBe(`the client accepted the RST of frame ${forged} and dropped the connection; it answers what still arrives with a RST`);
  });
});
