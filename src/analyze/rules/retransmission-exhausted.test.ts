// retransmission-exhausted: the same segment retransmitted several times unanswered, then a RST from the retransmitter.
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';
import { EXACT, PATTERN } from '../rule.js';

const C = { ip: '10.9.0.1', port: 40000 };
const S = { ip: '10.9.0.2', port: 8080 };

/** Handshake, one exchange, then the client's request sent and retransmitted `rtx` times, unanswered. */
function stalled(sc: Scene, rtx: number, acked = false): Conv {
  const k = new Conv(sc, C, S);
  k.handshake();
  k.exchange();
  const seq = k.c;
  k.cli('PA', { len: 200 });
  for (let i = 0; i < rtx; i++) {
    k.cli('PA', { seq, len: 200, gap: 0.2 * 2 ** i });
    if (acked) k.srv('A', { ack: seq + 200 });
  }
  return k;
}

describe('retransmission-exhausted', () => {
  it('a segment retransmitted 3 times unanswered, then the sender\'s RST at its next sequence: exact', () => {
    const sc = new Scene();
    const k = stalled(sc, 3);
    const rst = k.cli('RA', { gap: 1.6 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'retransmission-exhausted', origin: 'endpoint', phase: 'data', confidence: endpointConfidence(EXACT) });
    expect(v.evidence[0]).toBe(`the client retransmitted the segment at seq ${k.c - 200} 3 times in a row without an ACK covering it`);
    expect(v.evidence[1]).toMatch(new RegExp(`^nothing from the peer for 3\\.\\d+ s before the RST \\(frame ${rst}\\)$`));
    expect(citedFrames(v.evidence)).toEqual([rst]);
  });

  it('retransmitted although the peer\'s ACKs passed the capture point: the ACKs were lost after it', () => {
    const sc = new Scene();
    const k = stalled(sc, 3, true);
    const rst = k.cli('RA', { gap: 1.6 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'retransmission-exhausted', confidence: endpointConfidence(PATTERN) });
    expect(v.evidence[0]).toContain('3 times in a row although the peer\'s ACKs covering it passed this capture point');
  });

  it('not after 2 retransmissions: abortive-close', () => {
    const sc = new Scene();
    const k = stalled(sc, 2);
    const rst = k.cli('RA', { gap: 0.8 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('retransmission-exhausted');
    expect(v.cause).toBe('abortive-close');
  });

  it('not a RST from the other side (the retransmitter is the client, the RST comes from the server)', () => {
    const sc = new Scene();
    const k = stalled(sc, 3);
    const rst = k.srv('RA', { gap: 1.6 });
    expect(sc.run().at(rst).cause).not.toBe('retransmission-exhausted');
  });

  // BUG (reported): Endpoint.rtxRepeat is reset only when another segment is retransmitted, never by new data, so
  // retransmissions answered long ago and followed by a normal exchange still count as "just before the RST"
  // (ResetEvent.senderRtxRepeat: "the sender's ... retransmissions of one segment in a row, just before the RST").
  it('not when the retransmitted segment was answered and data flowed normally since: abortive-close', () => {
    const sc = new Scene();
    const k = stalled(sc, 3);
    k.srv('A', { gap: 0.5 });
    for (let i = 0; i < 5; i++) k.exchange(100, 0.5);
    k.cli('A');
    const rst = k.cli('RA', { gap: 0.05 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('retransmission-exhausted');
    expect(v.cause).toBe('abortive-close');
  });
});
