// time-wait: a SYN reusing a recently closed 4-tuple answered by RST, or answered by an ACK that the client then resets.
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';
import { EXACT } from '../rule.js';

const C = { ip: '10.3.0.1', port: 40000 };
const S = { ip: '10.3.0.2', port: 8080 };

/** A connection on C-S closed with FINs (SF). */
function closedConnection(sc: Scene): Conv {
  const k = new Conv(sc, C, S);
  k.handshake();
  k.exchange();
  k.cli('FA');
  k.srv('FA');
  k.cli('A');
  return k;
}

describe('time-wait', () => {
  it('a SYN on a 4-tuple closed with FINs 2 s before, answered by RST+ACK: time-wait', () => {
    const sc = new Scene();
    closedConnection(sc);
    const k = new Conv(sc, C, S, { cIsn: 900000 });
    const syn = k.cli('S', { gap: 2 });
    const rst = k.srv('RA', { seq: 0, ack: 900001, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'time-wait', origin: 'endpoint', phase: 'handshake' });
    expect(v.confidence).toBe(endpointConfidence(EXACT - 0.1));
    expect(v.evidence[0]).toMatch(/^the previous connection on this 4-tuple \(connection 0, SF\) ended 2\.000 s before this SYN, at frame 8$/);
    expect(citedFrames(v.evidence)).toEqual([8, syn, rst]);
  });

  it('Linux\'s TIME_WAIT answer: a bare ACK for the old connection, and the client\'s RST at that ack', () => {
    const sc = new Scene();
    const old = closedConnection(sc);
    const k = new Conv(sc, C, S, { cIsn: 900000 });
    k.cli('S', { gap: 2 });
    const oldAck = k.srv('A', { seq: old.s, ack: old.c });
    const rst = k.cli('R', { seq: old.c, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'time-wait', origin: 'endpoint', phase: 'handshake' });
    expect(v.evidence[0]).toContain(`with a bare ACK in frame ${oldAck} (ack ${old.c}, not the SYN's seq + 1)`);
    expect(citedFrames(v.evidence)).toContain(oldAck);
  });

  it('not after a connection that ended with a RST (no TIME_WAIT): port-closed', () => {
    const sc = new Scene();
    const prev = new Conv(sc, C, S);
    prev.handshake();
    prev.exchange();
    prev.cli('RA');
    const k = new Conv(sc, C, S, { cIsn: 900000 });
    k.cli('S', { gap: 2 });
    const rst = k.srv('RA', { seq: 0, ack: 900001, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('time-wait');
    expect(v.cause).toBe('port-closed');
  });

  it('not when the previous connection closed long before (over 120 s)', () => {
    const sc = new Scene();
    closedConnection(sc);
    const k = new Conv(sc, C, S, { cIsn: 900000 });
    k.cli('S', { gap: 200 });
    const rst = k.srv('RA', { seq: 0, ack: 900001, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('time-wait');
    expect(v.cause).toBe('port-closed');
  });

  it('not on a fresh 4-tuple: the client resetting a server\'s bare ACK with no earlier connection is only a pattern', () => {
    // Without a previous connection the first branch never applies; the direct RST is port-closed.
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.cli('S');
    const rst = k.srv('RA', { seq: 0, ack: k.c, ipId: 0, window: 0 });
    expect(sc.run().at(rst).cause).toBe('port-closed');
  });
});
