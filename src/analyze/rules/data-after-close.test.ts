// data-after-close: the RST is sent because data arrived that its sender will not read: payload after its FIN, or
// unread data in its receive buffer when it closed.
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';
import { EXACT, WEAK } from '../rule.js';

const C = { ip: '10.12.0.1', port: 40000 };
const S = { ip: '10.12.0.2', port: 8080 };

describe('data-after-close', () => {
  it('payload after the sender\'s FIN: the server closed, the client kept sending, the server resets', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    const fin = k.srv('FA');
    k.cli('A');
    const data = k.cli('PA', { len: 100 });
    const rst = k.srv('R', { seq: k.s, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'data-after-close', origin: 'endpoint', phase: 'teardown', confidence: endpointConfidence(EXACT) });
    expect(v.evidence[0]).toBe(`the server closed with a FIN in frame ${fin}`);
    expect(v.evidence[1]).toMatch(new RegExp(`^then payload arrived from the client in frame ${data}; it answers frame ${data} `));
    expect(citedFrames(v.evidence)).toEqual([fin, data, rst]);
  });

  it('close with unread data: the server\'s RST+ACK at its next sequence covers the client\'s last request, never answered', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    const req = k.cli('PA', { len: 300 });
    const rst = k.srv('RA', { gap: 0.02 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'data-after-close', origin: 'endpoint', phase: 'data', confidence: endpointConfidence(WEAK) });
    expect(v.evidence[0]).toBe(`the client sent 300 bytes in frame ${req} and the server sent no data after them`);
    expect(citedFrames(v.evidence)).toEqual([req, rst]);
  });

  it('not when the server answered the request before resetting: abortive-close', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    k.cli('PA', { len: 300 });
    k.srv('PA', { len: 50 });
    const rst = k.srv('RA', { gap: 0.02 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('data-after-close');
    expect(v.cause).toBe('abortive-close');
  });

  it('not a client resetting after the server\'s data (a response it read): abortive-close', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    const rst = k.cli('RA', { gap: 0.02 });
    expect(sc.run().at(rst).cause).toBe('abortive-close');
  });

  it('not when the RST\'s ack does not cover the data (it never reached the receive buffer)', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    k.cli('PA', { len: 300 });
    const rst = k.srv('RA', { gap: 0.02, ack: k.c - 300 });
    expect(sc.run().at(rst).cause).not.toBe('data-after-close');
  });

  it('not payload before the FIN: a RST right after the sender\'s own FIN is fin-then-reset', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    k.cli('PA', { len: 100 });
    k.srv('FA');
    const rst = k.srv('RA', { gap: 0.01 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('data-after-close');
    expect(v.cause).toBe('fin-then-reset');
  });
});
