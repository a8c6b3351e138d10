// fin-then-reset: a RST right after a FIN, instead of finishing the close (load balancer or security device fast close).
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';
import { PATTERN } from '../rule.js';

const C = { ip: '10.13.0.1', port: 40000 };
const S = { ip: '10.13.0.2', port: 443 };

describe('fin-then-reset', () => {
  it('the server\'s FIN then its RST 10 ms later, at its next sequence: fin-then-reset, teardown', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    const fin = k.srv('FA');
    const rst = k.srv('RA', { gap: 0.01 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'fin-then-reset', origin: 'endpoint', phase: 'teardown', confidence: endpointConfidence(PATTERN) });
    expect(v.evidence[0]).toBe(`a FIN from the server in frame ${fin}, 10.000 ms before this RST`);
    expect(citedFrames(v.evidence)).toEqual([fin, rst]);
  });

  it('a device\'s fast close after the client\'s FIN (RST in the server\'s name, 2 hops off): middlebox', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    const fin = k.cli('FA');
    const rst = k.srv('RA', { ttl: 60, gap: 0.005 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'fin-then-reset', origin: 'middlebox', phase: 'teardown' });
    expect(v.sigs).toContain('hops');
    expect(v.evidence[0]).toBe(`a FIN from the client in frame ${fin}, 5.000 ms before this RST`);
  });

  it('not long after the FIN (over 1 s): abortive-close', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    k.srv('FA');
    const rst = k.srv('RA', { gap: 2 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('fin-then-reset');
    expect(v.cause).toBe('abortive-close');
  });

  it('not a genuine receiver of the FIN that aborts: abortive-close', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    k.exchange();
    k.cli('FA');
    const rst = k.srv('RA', { gap: 0.005 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('fin-then-reset');
    expect(v).toMatchObject({ cause: 'abortive-close', origin: 'endpoint', phase: 'teardown' });
  });
});
