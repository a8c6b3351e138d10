// idle-timeout: a RST after a silence in both directions that is long for this connection.
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';
import { HEURISTIC } from '../rule.js';

const C = { ip: '10.11.0.1', port: 40000 };
const S = { ip: '10.11.0.2', port: 5432 };

/** Handshake and a few exchanges 10 ms apart. */
function busy(sc: Scene): Conv {
  const k = new Conv(sc, C, S);
  k.handshake();
  for (let i = 0; i < 4; i++) k.exchange(100, 0.01);
  k.cli('A');
  return k;
}

describe('idle-timeout', () => {
  it('an endpoint\'s idle abort: 30 s of silence, then the client\'s RST+ACK at its next sequence', () => {
    const sc = new Scene();
    const k = busy(sc);
    const rst = k.cli('RA', { gap: 30 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'idle-timeout', origin: 'endpoint', phase: 'data', confidence: endpointConfidence(HEURISTIC) });
    expect(v.evidence[0]).toMatch(new RegExp(`^30\\.000 s of silence before the RST \\(frame ${rst}\\); the connection's usual gap is [\\d.]+ ms, its handshake round trip 1\\.000 ms$`));
    expect(v.advice).toMatch(/^The client's application \(or its stack's timer\) gave up after 30\.000 s of silence/);
  });

  it('a device answering the first segment after a long silence (its RST 2 hops off the server\'s): middlebox', () => {
    const sc = new Scene();
    const k = busy(sc);
    const late = k.cli('PA', { len: 100, gap: 61 });
    const rst = k.srv('R', { seq: k.s, ttl: 64, gap: 0.0005 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'idle-timeout', origin: 'middlebox', phase: 'data' });
    expect(v.sigs).toContain('hops');
    expect(v.evidence[0]).toMatch(new RegExp(`^frame ${late}, the first packet after 61\\.\\d+ s of silence on this 4-tuple, drew this RST`));
    expect(v.advice).toContain('AWS Application Load Balancer (60 s)');
    expect(citedFrames(v.evidence)).toEqual([late, rst]);
  });

  it('a RST opening a new connection on a known 4-tuple after a long silence (over the tracker\'s 300 s)', () => {
    const sc = new Scene();
    const k = busy(sc);
    const rst = k.cli('RA', { gap: 400 });
    const out = sc.run();
    const v = out.at(rst);
    expect(v.connection).toBe(1);
    expect(v).toMatchObject({ cause: 'idle-timeout', origin: 'endpoint' });
    expect(v.evidence[0]).toMatch(/^400\.\d+ s of silence on this 4-tuple before the RST: its previous connection \(0, \w+\) ended with frame \d+$/);
  });

  it('both sides reset at once after the silence: a load balancer\'s reset on idle, middlebox', () => {
    const sc = new Scene();
    const k = busy(sc);
    const a = k.cli('RA', { gap: 240 });
    const b = k.srv('RA', { gap: 0.0001 });
    const v = sc.run().at(a);
    expect(v).toMatchObject({ cause: 'idle-timeout', origin: 'middlebox' });
    expect(v.evidence).toContain(`a RST went to the other side too (frame ${b}, 0.100 ms apart): both sides reset at once, as a load balancer's "reset on idle" does`);
    expect(v.advice).toContain('Azure Load Balancer (4 min)');
  });

  it('keepalive probes (unanswered) do not break the silence; they are reported', () => {
    const sc = new Scene();
    const k = busy(sc);
    for (let i = 0; i < 3; i++) k.cli('A', { seq: k.c - 1, gap: 20 });
    const rst = k.cli('RA', { gap: 20 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'idle-timeout', origin: 'endpoint', phase: 'data' });
    expect(v.evidence[0]).toMatch(/^80\.\d+ s of silence before the RST/);
    expect(v.evidence[1]).toBe('only keepalive probes crossed the connection during the last 80.000 s');
  });

  it('not after a short silence (below --idle-min): abortive-close', () => {
    const sc = new Scene();
    const k = busy(sc);
    const rst = k.cli('RA', { gap: 2 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('idle-timeout');
    expect(v.cause).toBe('abortive-close');
  });

  it('not a silence that is usual for the connection (its gaps are as long)', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    for (let i = 0; i < 4; i++) k.exchange(100, 8);
    const rst = k.cli('RA', { gap: 10 });
    expect(sc.run().at(rst).cause).not.toBe('idle-timeout');
  });

  it('not a genuine endpoint answering the first segment after the silence (only a device does): no-connection', () => {
    const sc = new Scene();
    const k = busy(sc);
    k.cli('PA', { len: 100, gap: 61 });
    const rst = k.srv('R', { seq: k.s, ipId: 0, window: 0, gap: 0.0005 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('idle-timeout');
    expect(v).toMatchObject({ cause: 'no-connection', origin: 'endpoint' });
  });

  it('not a genuine server\'s socket aborting as the first segment after the silence arrives (RST+ACK at its next sequence, its IP ID counter): abortive-close', () => {
    const sc = new Scene();
    const k = busy(sc);
    k.cli('PA', { len: 100, gap: 61 });
    const rst = k.srv('RA', { ack: k.c - 100, gap: 0.001 });
    const v = sc.run().at(rst);
    expect(v.sigs).toEqual([]);
    expect(v.cause).not.toBe('idle-timeout');
    expect(v).toMatchObject({ cause: 'abortive-close', origin: 'endpoint' });
  });

  it('not an endpoint\'s late RST on a 4-tuple whose previous connection closed with FINs: no-connection', () => {
    const sc = new Scene();
    const k = busy(sc);
    k.cli('FA');
    k.srv('FA');
    k.cli('A');
    const rst = k.cli('RA', { gap: 400 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('idle-timeout');
    expect(v).toMatchObject({ cause: 'no-connection', phase: 'none' });
  });
});
