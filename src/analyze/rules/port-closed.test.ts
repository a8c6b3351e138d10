// port-closed: RST+ACK answering a SYN (seq 0, ack = SYN seq + 1), no SYN/ACK.
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';

const C = { ip: '10.1.0.1', port: 40000 };
const S = { ip: '10.1.0.2', port: 8080 };

describe('port-closed', () => {
  it('RST+ACK <SEQ=0><ACK=SYN.SEQ+1> answering a SYN, no SYN/ACK: port-closed from the server, handshake', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    const syn = k.cli('S', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1001, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'port-closed', origin: 'endpoint', phase: 'handshake', effect: 'unknown', causedBy: null });
    expect(v.sigs).toEqual([]);
    expect(v.evidence[0]).toBe(`it answers frame ${syn} (SYN, seq 1000) 1.000 ms later`);
    expect(v.evidence).toContain(`exactly the RFC 9293 reply to frame ${syn}: <SEQ=0><ACK=1001><CTL=RST,ACK>`);
    expect(citedFrames(v.evidence)).toEqual([syn, rst]);
  });

  it('confidence rises to exact when the server\'s own packets elsewhere came the same hop count', () => {
    const sc = new Scene();
    const other = new Conv(sc, { ...C, port: 40001 }, S);
    other.handshake();
    other.exchange();
    const k = new Conv(sc, C, { ...S, port: 8081 });
    k.cli('S', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1001, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v.cause).toBe('port-closed');
    expect(v.confidence).toBeGreaterThanOrEqual(0.85);
    expect(v.evidence).toContain(`its TTL 62 matches ${S.ip}'s own packets on other connections at this capture point`);
  });

  it('not without ACK: a bare RST answering a SYN is not the closed-port reply', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.cli('S', { seq: 1000 });
    const rst = k.srv('R', { seq: 0, ipId: 0, window: 0 });
    expect(sc.run().at(rst).cause).not.toBe('port-closed');
  });

  it('not after a SYN/ACK: the server accepted, then reset (abortive-close)', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    const rst = k.srv('RA');
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('port-closed');
    expect(v.cause).toBe('abortive-close');
  });

  it('not when forged: an ack of SYN.SEQ (not + 1) from a device is a firewall-reject, origin middlebox', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    const syn = k.cli('S', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1000, ttl: 250 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('port-closed');
    expect(v).toMatchObject({ cause: 'firewall-reject', origin: 'middlebox', phase: 'handshake' });
    expect(v.sigs).toContain('syn-ack');
    expect(citedFrames(v.evidence)).toContain(syn);
  });
});
