// injected: forged by a device in the path (origin middlebox): bypass blocking after the SYN/ACK, after a TLS
// ClientHello or HTTP request, ...
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';
import { EXACT } from '../rule.js';

const C = { ip: '10.14.0.1', port: 40000 };
const S = { ip: '10.14.0.2', port: 80 };
const REQUEST = new TextEncoder().encode('GET /blocked HTTP/1.1\r\nHost: blocked.example\r\n\r\n');

describe('injected', () => {
  it('a RST in the server\'s name after the request, then the real response at and beyond its seq (race): injected', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.cli('PA', { data: REQUEST });
    const rst = k.srv('RA', { gap: 0.0005 });
    const real = k.srv('PA', { len: 400, gap: 0.02 });
    const goesOn = k.cli('A', { gap: 0.002 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'injected', origin: 'middlebox', phase: 'data', effect: 'ignored' });
    expect(v.evidence).toContain(`effect: ignored: the client kept the connection after it (frame ${goesOn})`);
    expect(v.sigs).toContain('race');
    expect(v.confidence).toBeGreaterThanOrEqual(0.6);
    expect(v.evidence[0]).toMatch(new RegExp(`^\\(a\\) the server sent 400 bytes of new data \\(seq \\d+\\) in frame ${real}, `));
    expect(v.evidence.some((l) => l.startsWith('the client had sent: ') && l.includes('blocked.example'))).toBe(true);
    expect(citedFrames(v.evidence)).toContain(real);
  });

  it('two strong deviations without a race (hop count 3 off, sequence out of window): injected', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.cli('PA', { data: REQUEST });
    const rst = k.srv('R', { seq: k.s + 100_000_000, ttl: 59, gap: 0.0005 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'injected', origin: 'middlebox' });
    expect(v.sigs).toEqual(expect.arrayContaining(['hops', 'sequence']));
  });

  it('not the genuine server\'s abort (its TTL, its next sequence, nothing after): abortive-close, endpoint', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.cli('PA', { data: REQUEST });
    k.srv('PA', { len: 400 });
    const rst = k.srv('RA', { gap: 0.02 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('injected');
    expect(v).toMatchObject({ cause: 'abortive-close', origin: 'endpoint', confidence: endpointConfidence(EXACT) });
    expect(v.sigs).toEqual([]);
  });

  it('not on one weak deviation (no DF on an otherwise genuine abort): the origin stays endpoint', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.cli('PA', { data: REQUEST });
    k.srv('PA', { len: 400 });
    const rst = k.srv('RA', { gap: 0.02, df: false });
    const v = sc.run().at(rst);
    expect(v.sigs).toEqual(['fingerprint']);
    expect(v.cause).not.toBe('injected');
    expect(v).toMatchObject({ cause: 'abortive-close', origin: 'endpoint' });
  });
});
