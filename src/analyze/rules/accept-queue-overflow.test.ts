// accept-queue-overflow: RST alone (seq = the client's ACK) right after the third handshake packet or the first
// data, no server data; often several at once from one server.
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';
import { EXACT, PATTERN } from '../rule.js';

const S = { ip: '10.2.0.2', port: 8080 };
const client = (port: number) => ({ ip: '10.2.0.1', port });

describe('accept-queue-overflow', () => {
  it('a bare RST at the client\'s ACK right after the handshake, no server data', () => {
    const sc = new Scene();
    const k = new Conv(sc, client(40000), S);
    const [, , ack] = k.handshake();
    const rst = k.srv('R', { seq: k.s, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'accept-queue-overflow', origin: 'endpoint', phase: 'handshake' });
    expect(v.confidence).toBe(endpointConfidence(PATTERN));
    expect(v.sigs).toEqual([]);
    expect(v.evidence[0]).toMatch(new RegExp(`^it answers frame ${ack} \\(ACK`));
    expect(citedFrames(v.evidence)).toEqual([ack, rst]);
  });

  it('answering the client\'s first request (phase data), and several at once from one server: exact', () => {
    const sc = new Scene();
    const rsts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const k = new Conv(sc, client(40010 + i), S, { cIsn: 1000 + i * 7919, sIsn: 5000 + i * 104729 });
      k.handshake({ gap: 0.01 });
      k.cli('PA', { len: 80 });
      rsts.push(k.srv('R', { seq: k.s, ipId: 0, window: 0 }));
    }
    const out = sc.run();
    for (const f of rsts) {
      const v = out.at(f);
      expect(v).toMatchObject({ cause: 'accept-queue-overflow', origin: 'endpoint', phase: 'data' });
      expect(v.confidence).toBe(endpointConfidence(EXACT));
      expect(v.evidence).toContain(`3 bare RSTs from ${S.ip}:${S.port} after completed handshakes within 1 s`);
    }
  });

  it('not half-open: the server had ACKed the client\'s data (it accepted the connection) before its stateless RST', () => {
    const sc = new Scene();
    const k = new Conv(sc, client(40020), S);
    k.handshake();
    k.cli('PA', { len: 80 });
    k.srv('A');
    const data = k.cli('PA', { len: 80 });
    const rst = k.srv('R', { seq: k.s, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('accept-queue-overflow');
    expect(v.cause).toBe('no-connection');
    expect(citedFrames(v.evidence)).toContain(data);
  });

  it('not after server data: a server that answered had accepted', () => {
    const sc = new Scene();
    const k = new Conv(sc, client(40030), S);
    k.handshake();
    k.exchange();
    k.cli('PA', { len: 80 });
    const rst = k.srv('R', { seq: k.s, ipId: 0, window: 0 });
    expect(sc.run().at(rst).cause).not.toBe('accept-queue-overflow');
  });

  it('not with ACK: a RST+ACK at the server\'s next sequence after the handshake is an accept-then-abort', () => {
    const sc = new Scene();
    const k = new Conv(sc, client(40040), S);
    k.handshake();
    const rst = k.srv('RA');
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('accept-queue-overflow');
    expect(v.cause).toBe('abortive-close');
  });

  it('not long after the handshake (over 3 s)', () => {
    const sc = new Scene();
    const k = new Conv(sc, client(40050), S);
    k.handshake();
    const rst = k.srv('R', { seq: k.s, ipId: 0, window: 0, gap: 3.5 });
    expect(sc.run().at(rst).cause).not.toBe('accept-queue-overflow');
  });

  it('not a forged bare RST at the client\'s ACK (3 hops off the server\'s SYN/ACK): injected, middlebox', () => {
    const sc = new Scene();
    const k = new Conv(sc, client(40060), S);
    k.handshake();
    const rst = k.srv('R', { seq: k.s, ipId: 0, window: 0, ttl: 59 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('accept-queue-overflow');
    expect(v).toMatchObject({ cause: 'injected', origin: 'middlebox', phase: 'handshake' });
  });
});
