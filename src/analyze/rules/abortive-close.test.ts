// abortive-close: an endpoint aborts (SO_LINGER 0, application or process abort, close with unread data): RST or
// RST+ACK at its next sequence.
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';
import { EXACT, PATTERN } from '../rule.js';

const C = { ip: '10.10.0.1', port: 40000 };
const S = { ip: '10.10.0.2', port: 8080 };

describe('abortive-close', () => {
  it('the server aborts after answering: RST+ACK at its next sequence, data phase, exact', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    const [, resp] = k.exchange();
    const clientAck = k.cli('A');
    const rst = k.srv('RA', { gap: 0.05 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'abortive-close', origin: 'endpoint', phase: 'data', confidence: endpointConfidence(EXACT), effect: 'unknown' });
    expect(v.evidence[0]).toBe(`seq ${k.s} is the server's next sequence number (an active abort, <SEQ=SND.NXT><CTL=RST>)`);
    expect(v.evidence[1]).toMatch(new RegExp(`^the client's last packet before it: frame ${clientAck} \\(ACK`));
    expect(citedFrames(v.evidence)).toEqual([clientAck, rst]);
    expect(resp).toBeLessThan(clientAck);
  });

  it('a bare RST (no ACK) at the next sequence is an abort too, and the receiver going silent accepts it', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    const rst = k.cli('R', { gap: 0.05 });
    k.srv('R', { seq: k.s, gap: 0.001 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'abortive-close', phase: 'data', effect: 'accepted' });
  });

  it('accept-then-abort in the handshake: the server\'s RST+ACK right after the client\'s ACK', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    const rst = k.srv('RA');
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'abortive-close', origin: 'endpoint', phase: 'handshake', confidence: endpointConfidence(PATTERN) });
    expect(v.evidence[1]).toMatch(/^right after the handshake \(completed [\d.]+ ms before\), with no data: the server accepted the connection and aborted it$/);
  });

  it('not a bare RST at the client\'s ACK after the handshake (accept-queue-overflow)', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    const rst = k.srv('R', { ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('abortive-close');
    expect(v.cause).toBe('accept-queue-overflow');
  });

  it('not a forged RST at the next sequence whose sender goes on sending (race): injected', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.cli('PA', { len: 100 });
    const rst = k.srv('RA', { ttl: 62 });
    k.srv('PA', { len: 500, gap: 0.02 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('abortive-close');
    expect(v).toMatchObject({ cause: 'injected', origin: 'middlebox' });
    expect(v.sigs).toContain('race');
  });

  it('not a RST answering a SYN (no connection to abort): port-closed', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.cli('S');
    const rst = k.srv('RA', { seq: 0, ack: k.c });
    expect(sc.run().at(rst).cause).toBe('port-closed');
  });
});
