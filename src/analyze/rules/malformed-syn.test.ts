// malformed-syn: a RST answering a SYN that carries FIN, URG, RST or other invalid flags.
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';
import { EXACT } from '../rule.js';

const C = { ip: '10.4.0.1', port: 40000 };
const S = { ip: '10.4.0.2', port: 8080 };

describe('malformed-syn', () => {
  it('SYN+FIN answered by RST+ACK whose ack counts the FIN too: malformed-syn, exact', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    const syn = k.cli('SF', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1002, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'malformed-syn', origin: 'endpoint', phase: 'handshake', confidence: endpointConfidence(EXACT) });
    expect(v.evidence[0]).toBe(`frame ${syn} is a SYN with flags SF, which no TCP stack may send`);
    expect(citedFrames(v.evidence)).toEqual([syn, rst]);
  });

  it('SYN+URG answered by a RST too', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.cli('SU', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1001, ipId: 0, window: 0 });
    expect(sc.run().at(rst).cause).toBe('malformed-syn');
  });

  it('not a plain SYN: port-closed', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.cli('S', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1001, ipId: 0, window: 0 });
    expect(sc.run().at(rst).cause).toBe('port-closed');
  });

  it('not an ECN-setup SYN (SYN+ECE+CWR are valid flags): port-closed', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.cli('SEC', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1001, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('malformed-syn');
    expect(v.cause).toBe('port-closed');
  });

  it('not a RST from the client that sent the malformed SYN', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.cli('SF', { seq: 1000 });
    const rst = k.cli('R', { seq: 1002 });
    expect(sc.run().at(rst).cause).not.toBe('malformed-syn');
  });
});
