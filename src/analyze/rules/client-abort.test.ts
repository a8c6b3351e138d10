// client-abort: the client resets during or right after the handshake, not as part of a scan.
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, LINUX_SYN_OPTIONS, Scene } from '../../../test/build/rst-scene.js';
import { PATTERN } from '../rule.js';

const C = { ip: '10.8.0.1', port: 40000 };
const S = { ip: '10.8.0.2', port: 443 };

describe('client-abort', () => {
  it('a health check: handshake, then the client\'s RST+ACK at its next sequence, no data', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    const [, synAck] = k.handshake();
    const rst = k.cli('RA');
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'client-abort', origin: 'endpoint', phase: 'handshake', confidence: endpointConfidence(PATTERN) });
    expect(v.evidence).toContain('no data exchanged before it');
    expect(v.evidence).toContain(`${C.ip} is not flagged as a scanner`);
    expect(citedFrames(v.evidence)).toEqual([synAck, rst]);
  });

  it('a timed-out connect: the client resets the late SYN/ACK with a bare RST', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.cli('S', { options: LINUX_SYN_OPTIONS });
    const synAck = k.srv('SA', { gap: 3, ipId: 0, options: LINUX_SYN_OPTIONS });
    const rst = k.cli('R', { seq: k.c });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'client-abort', phase: 'handshake' });
    expect(v.evidence[0]).toMatch(new RegExp(`^it answers frame ${synAck} \\(SYN/ACK`));
  });

  it('not after data: the client\'s RST+ACK is an abortive-close in the data phase', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    const rst = k.cli('RA');
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('client-abort');
    expect(v).toMatchObject({ cause: 'abortive-close', phase: 'data' });
  });

  it('not a stateless scanner\'s probe (SYN with no TCP options): syn-scan', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.cli('S');
    k.srv('SA', { gap: 3, ipId: 0, options: LINUX_SYN_OPTIONS });
    const rst = k.cli('R', { seq: k.c });
    expect(sc.run().at(rst).cause).toBe('syn-scan');
  });

  it('not from the server: the server resetting right after the handshake is an accept-then-abort', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    const rst = k.srv('RA');
    expect(sc.run().at(rst).cause).toBe('abortive-close');
  });

  it('not a forged RST in the client\'s name (TTL 3 hops off, sequence out of window): injected', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    const rst = k.cli('RA', { ttl: 61, seq: k.c + 50_000_000 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('client-abort');
    expect(v).toMatchObject({ cause: 'injected', origin: 'middlebox' });
  });

  // BUG? (reported): client-abort is tried before idle-timeout and checks only the phase, not "right after the
  // handshake": a client that completed the handshake, stayed silent 60 s and then aborted is called client-abort
  // (evidence: "it answers frame 2 (SYN/ACK ...) 60.000 s later"), while it meets idle-timeout's definition exactly.
  it('not long after the handshake: 60 s of silence after it, then the client\'s RST+ACK, is idle-timeout', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    const rst = k.cli('RA', { gap: 60 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('client-abort');
    expect(v.cause).toBe('idle-timeout');
  });
});
