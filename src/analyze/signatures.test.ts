// The forged-RST signatures, one by one: each fires on the deviation it names and stays silent on the genuine
// RST next to it; P(forged) from their weights; and the RSTs a genuine Linux stack sends fire none.
import { describe, expect, it } from 'vitest';
import { Conv, LINUX_SYN_OPTIONS, Scene, type RstVerdict } from '../../test/build/rst-scene.js';
import { FORGED_AT, forgedProbability, PRIOR_LOG_ODDS, type Signature, type SignatureId } from './signatures.js';

const C = { ip: '10.20.0.1', port: 40000 };
const S = { ip: '10.20.0.2', port: 443 };

/** The server's last IP ID in `established` (the scene numbers the second address's counter from 1514; two data packets). */
const SERVER_LAST_ID = 1515;

function sig(v: RstVerdict, id: SignatureId): Signature | undefined {
  return v.signatures.find((s) => s.id === id);
}

/** Handshake and two exchanges: the server is 2 hops away (TTL 62), its IP IDs a counter. */
function established(sc: Scene, o: ConstructorParameters<typeof Conv>[3] = {}): Conv {
  const k = new Conv(sc, C, S, o);
  k.handshake();
  k.exchange();
  k.exchange();
  return k;
}

describe('(a) race', () => {
  it('fires when the claimed sender sends new data at or beyond the RST\'s seq after it (weight 6)', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('PA', { len: 100 });
    const rst = k.srv('RA');
    const more = k.srv('PA', { len: 300, gap: 0.02 });
    const s = sig(sc.run().at(rst), 'race');
    expect(s).toMatchObject({ id: 'race', letter: 'a', weight: 6 });
    expect(s!.detail).toContain(`in frame ${more}, 20.000 ms after its RST`);
  });

  it('is silent on a genuine abort with nothing after it', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('RA');
    expect(sig(sc.run().at(rst), 'race')).toBeUndefined();
  });

  it('is silent when what follows is a retransmission below the RST\'s seq (data already in flight)', () => {
    const sc = new Scene();
    const k = established(sc);
    const seq = k.s;
    k.srv('PA', { len: 300 });
    const rst = k.srv('RA', { gap: 0.0001 });
    k.srv('PA', { seq, len: 300, gap: 0.3 });
    expect(sig(sc.run().at(rst), 'race')).toBeUndefined();
  });
});

describe('(b) burst', () => {
  it('fires on several RSTs within 2 s whose seqs jump beyond what the sender sent (weight 2.5, once per RST)', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('PA', { len: 100 });
    const frames = [1, 2, 3].map((i) => k.srv('R', { seq: k.s + i * 1460 * 10, gap: 0.01 }));
    const out = sc.run();
    for (const f of frames) {
      const s = sig(out.at(f), 'burst');
      expect(s).toMatchObject({ letter: 'b', weight: 2.5 });
      expect(s!.detail).toMatch(/^3 RSTs within 2 s, sequence numbers beyond the server's highest: /);
    }
  });

  it('is silent on follow-on RSTs at the acks of in-flight segments (within what the sender sent)', () => {
    const sc = new Scene();
    const k = established(sc);
    const frames: number[] = [];
    for (let i = 0; i < 3; i++) {
      k.cli('PA', { len: 100, gap: 0.0001 });
      frames.push(k.srv('R', { seq: k.s, ipId: 0, window: 0, gap: 0.001 }));
    }
    const out = sc.run();
    for (const f of frames) expect(sig(out.at(f), 'burst')).toBeUndefined();
  });

  it('is silent when the receiver had ACKed that far (the sender\'s data was not captured)', () => {
    const sc = new Scene();
    const k = established(sc);
    const uncaptured = 20_000;
    k.cli('A', { ack: k.s + uncaptured });
    const frames = [0, 1, 2].map(() => k.srv('R', { seq: k.s + uncaptured, ipId: 0, window: 0, gap: 0.01 }));
    const out = sc.run();
    for (const f of frames) expect(sig(out.at(f), 'burst')).toBeUndefined();
  });
});

describe('(c) sequence', () => {
  it('fires on a seq far outside the receiver\'s window (weight 2.5)', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('R', { seq: k.s + 100_000_000 });
    const s = sig(sc.run().at(rst), 'sequence');
    expect(s).toMatchObject({ letter: 'c', weight: 2.5 });
    expect(s!.detail).toContain(`RST seq ${k.s + 100_000_000} is 100000000 from what the receiver expected`);
  });

  it('is silent at the sender\'s next sequence number', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('RA');
    expect(sig(sc.run().at(rst), 'sequence')).toBeUndefined();
  });

  it('is silent a little below it (a RST answering an older in-flight segment)', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('RA', { seq: k.s - 1000 });
    expect(sig(sc.run().at(rst), 'sequence')).toBeUndefined();
  });
});

describe('(d) hops', () => {
  it('same connection: 3 hops off the sender\'s own packets (weight 5.5)', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('RA', { ttl: 59 });
    const s = sig(sc.run().at(rst), 'hops');
    expect(s).toMatchObject({ letter: 'd', weight: 5.5 });
    expect(s!.detail).toBe("RST TTL 59 (5 hops from an initial 64) while the server's own packets on this connection came 2 hops (TTL 62)");
  });

  it('same connection: 1 hop off on a socket abort (weight 4.5), 1 hop off on a stateless reply (weight 4.2)', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const abort = k.srv('RA', { ttl: 61 });
    const sc2 = new Scene();
    const k2 = established(sc2);
    k2.cli('PA', { len: 10 });
    const reply = k2.srv('R', { seq: k2.s, ttl: 61, ipId: 0, window: 0 });
    expect(sig(sc.run().at(abort), 'hops')?.weight).toBe(4.5);
    expect(sig(sc2.run().at(reply), 'hops')?.weight).toBe(4.2);
  });

  it('earlier on the 4-tuple: a RST opening a connection Zeek split off after an idle gap', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('RA', { ttl: 58, gap: 400 });
    const v = sc.run().at(rst);
    expect(v.connection).toBe(1);
    const s = sig(v, 'hops');
    expect(s?.weight).toBe(5.5);
    expect(s!.detail).toContain("while the server's own packets earlier on this 4-tuple (up to connection 0) came 2 hops (TTL 62)");
  });

  it('the host\'s other connections: a RST answering a SYN, 2 hops off the server\'s usual count (weight 4.5)', () => {
    const sc = new Scene();
    established(sc);
    const k = new Conv(sc, { ...C, port: 40001 }, { ...S, port: 8443 });
    k.cli('S');
    const rst = k.srv('RA', { seq: 0, ack: k.c, ttl: 64 });
    const s = sig(sc.run().at(rst), 'hops');
    expect(s?.weight).toBe(4.5);
    expect(s!.detail).toBe(`RST TTL 64 (0 hops from an initial 64) while ${S.ip}'s own packets on 1 other connection here came 2 hops from an initial 64`);
  });

  it('is silent at the sender\'s own hop count', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('RA');
    expect(sig(sc.run().at(rst), 'hops')).toBeUndefined();
  });

  it('exempts TTL 1 (a socket\'s eBGP setting is no hop count)', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('RA', { ttl: 1 });
    expect(sig(sc.run().at(rst), 'hops')).toBeUndefined();
  });

  it('exempts a GTSM sender (all its packets TTL 255) whose stateless reply carries the stack default', () => {
    const sc = new Scene();
    const k = established(sc, { ttlServer: 255 });
    k.cli('PA', { len: 10 });
    const rst = k.srv('R', { seq: k.s, ttl: 62, ipId: 0, window: 0 });
    expect(sig(sc.run().at(rst), 'hops')).toBeUndefined();
  });

  it('exempts a scanner\'s crafted SYN: its kernel\'s RST to the SYN/ACK comes another TTL', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.cli('S', { ttl: 37, window: 1024, options: [2, 4, 5, 180], df: false });
    k.srv('SA', { options: LINUX_SYN_OPTIONS, ipId: 0 });
    const rst = k.cli('R', { seq: k.c, ttl: 64, ipId: 0, window: 0 });
    expect(sig(sc.run().at(rst), 'hops')).toBeUndefined();
  });
});

describe('(e) ip-id', () => {
  it('fires on an IP ID copied from the packet it answers (weight 3.5)', () => {
    const sc = new Scene();
    const k = established(sc);
    const data = k.cli('PA', { len: 10, ipId: 40000 });
    const rst = k.srv('R', { seq: k.s, ipId: 40000, window: 0 });
    const s = sig(sc.run().at(rst), 'ip-id');
    expect(s).toMatchObject({ letter: 'e', weight: 3.5 });
    expect(s!.detail).toContain(`is the IP ID of frame ${data}`);
  });

  it('fires on a counter jump on a socket abort faster than any stack (weight 4.2)', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('RA', { ipId: 30000 });
    const s = sig(sc.run().at(rst), 'ip-id');
    expect(s?.weight).toBe(4.2);
  });

  it('weighs a jump on a no-socket reply little (0.7: another counter)', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('PA', { len: 10 });
    const rst = k.srv('R', { seq: k.s, ipId: 30000, window: 0 });
    expect(sig(sc.run().at(rst), 'ip-id')?.weight).toBe(0.7);
  });

  it('exempts Linux\'s IP ID 0 with DF', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('RA', { ipId: 0, df: true });
    expect(sig(sc.run().at(rst), 'ip-id')).toBeUndefined();
  });

  it('does not call a small IP ID a copy (crafted captures often use 1)', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    k.handshake();
    // The server's IDs are random (no counter to compare with): only the copy check could fire.
    for (const id of [30211, 9, 51877]) {
      k.cli('PA', { len: 10 });
      k.srv('PA', { len: 10, ipId: id });
    }
    k.cli('PA', { len: 10, ipId: 1 });
    const small = k.srv('R', { seq: k.s, ipId: 1, window: 0 });
    expect(sig(sc.run().at(small), 'ip-id')).toBeUndefined();
  });

  it('is silent on a jump within 2048 of the counter', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('RA', { ipId: SERVER_LAST_ID + 2000, gap: 0.5 });
    expect(sig(sc.run().at(rst), 'ip-id')).toBeUndefined();
    const sc2 = new Scene();
    const k2 = established(sc2);
    k2.cli('A');
    const jump = k2.srv('RA', { ipId: SERVER_LAST_ID + 2100, gap: 0.5 });
    expect(sig(sc2.run().at(jump), 'ip-id')?.weight).toBe(2.5);
  });

  it('is silent on the socket\'s next counter value', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('RA'); // the scene's default: the server's counter + 1
    expect(sig(sc.run().at(rst), 'ip-id')).toBeUndefined();
  });
});

describe('(f) fingerprint', () => {
  it('fires on a RST without DF while all the sender\'s packets had DF (socket abort: weight 1.5)', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('A');
    const rst = k.srv('RA', { df: false });
    const s = sig(sc.run().at(rst), 'fingerprint');
    expect(s).toMatchObject({ letter: 'f', weight: 1.5 });
  });

  it('fires on a Linux-like sender\'s stateless reply with a window other than 0 (weight 1.5)', () => {
    const sc = new Scene();
    const k = established(sc, { ttlServer: 60 });
    k.cli('PA', { len: 10 });
    const rst = k.srv('R', { seq: k.s, ipId: 0, window: 512, ttl: 60 });
    const s = sig(sc.run().at(rst), 'fingerprint');
    expect(s?.weight).toBe(1.5);
    expect(s!.detail).toContain('this one has window 512');
  });

  it('is silent on DF and window 0', () => {
    const sc = new Scene();
    const k = established(sc);
    k.cli('PA', { len: 10 });
    const rst = k.srv('R', { seq: k.s, ipId: 0, window: 0 });
    expect(sig(sc.run().at(rst), 'fingerprint')).toBeUndefined();
  });

  it('is silent on a TTL-64 sender without timestamps (not Linux-like) replying with a window', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S, { ttlServer: 60 });
    k.cli('S', { options: LINUX_SYN_OPTIONS });
    k.srv('SA', { options: [2, 4, 5, 180], ipId: 0 });
    k.cli('A');
    k.exchange();
    k.cli('PA', { len: 10 });
    const rst = k.srv('R', { seq: k.s, ipId: 0, window: 8192 });
    expect(sig(sc.run().at(rst), 'fingerprint')).toBeUndefined();
  });

  it('is silent on a non-Linux sender\'s stateless reply with a window (TTL 128, no timestamps)', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S, { ttlServer: 120 });
    k.cli('S', { options: LINUX_SYN_OPTIONS });
    k.srv('SA', { options: [2, 4, 5, 180, 1, 3, 3, 8] });
    k.cli('A');
    k.exchange();
    k.cli('PA', { len: 10 });
    const rst = k.srv('R', { seq: k.s, window: 8192 });
    expect(sig(sc.run().at(rst), 'fingerprint')).toBeUndefined();
  });
});

describe('(g) timing', () => {
  /** Handshake with a 50 ms round trip to the server, then a request and the server's stateless reply `delay` later. */
  function timed(delay: number, ttlServer = 60): number {
    const sc = new Scene();
    const k = new Conv(sc, C, S, { ttlServer });
    k.handshake({ rtt: 0.05 });
    k.cli('PA', { len: 100 });
    const rst = k.srv('R', { seq: k.s, ipId: 0, window: 0, gap: delay });
    return sig(sc.run().at(rst), 'timing')?.weight ?? 0;
  }

  it('fires on a reply far faster than the handshake\'s round trip (weight 2.5)', () => {
    expect(timed(0.0005)).toBe(2.5);
  });

  // docs/causes.md (g) still says "sooner than half the round trip"; the code (commit 0fd1cd9) uses a third: 20 ms of 50 is silent.
  it('is silent at a third of the round trip or more', () => {
    expect(timed(0.02)).toBe(0);
  });

  it('is silent when the capture was taken on the sender\'s own host (its packets travelled no hop)', () => {
    expect(timed(0.0005, 64)).toBe(0);
  });
});

describe('(h) syn-ack', () => {
  it('fires on a RST+ACK answering a SYN with ack = the SYN\'s seq instead of seq + 1 (weight 5)', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S);
    const syn = k.cli('S', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1000 });
    const s = sig(sc.run().at(rst), 'syn-ack');
    expect(s).toMatchObject({ letter: 'h', weight: 5 });
    expect(s!.detail).toContain(`answers the SYN of frame ${syn} (seq 1000) with 0 instead of seq + 1`);
  });

  it('is silent on ack = seq + 1, and on SYN+FIN answered with seq + 2', () => {
    for (const [flags, ack] of [['S', 1001], ['SF', 1002]] as const) {
      const sc = new Scene();
      const k = new Conv(sc, C, S);
      k.cli(flags, { seq: 1000 });
      const rst = k.srv('RA', { seq: 0, ack });
      expect(sig(sc.run().at(rst), 'syn-ack'), flags).toBeUndefined();
    }
  });
});

describe('forgedProbability', () => {
  const s = (weight: number): Signature => ({ id: 'hops', letter: 'd', detail: '', weight });

  it('is the prior when no signature fires', () => {
    expect(forgedProbability([])).toBeCloseTo(1 / (1 + Math.exp(-PRIOR_LOG_ODDS)), 12);
    expect(forgedProbability([])).toBeLessThan(0.02);
  });

  it('is the logistic of the prior plus the weights', () => {
    expect(forgedProbability([s(4)])).toBeCloseTo(0.5, 12);
    expect(forgedProbability([s(2.5), s(2.5)])).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });

  it('is monotone: each further signature, and each heavier weight, raises it', () => {
    const weights = [0.5, 0.7, 1.5, 2.5, 3.5, 4.2, 4.5, 5, 5.5, 6];
    let last = forgedProbability([]);
    const fired: Signature[] = [];
    for (const w of weights) {
      fired.push(s(w));
      const p = forgedProbability(fired);
      expect(p).toBeGreaterThan(last);
      last = p;
    }
    for (let i = 1; i < weights.length; i++) expect(forgedProbability([s(weights[i]!)])).toBeGreaterThan(forgedProbability([s(weights[i - 1]!)]));
  });

  it('race alone crosses the middlebox threshold; one weak signature does not', () => {
    expect(forgedProbability([{ id: 'race', letter: 'a', detail: '', weight: 6 }])).toBeGreaterThanOrEqual(FORGED_AT);
    expect(forgedProbability([s(2.5)])).toBeLessThan(FORGED_AT);
    expect(forgedProbability([s(1.5), s(0.7)])).toBeLessThan(FORGED_AT);
  });
});

describe('a genuine Linux stack\'s RSTs fire no signature', () => {
  it('stateless reply: no ACK, window 0, IP ID 0 with DF, seq = the segment\'s ack, a round trip later', () => {
    const sc = new Scene();
    const k = established(sc, { ttlServer: 60 });
    k.cli('PA', { len: 100 });
    const rst = k.srv('R', { seq: k.s, ipId: 0, df: true, window: 0, ttl: 60 });
    const v = sc.run().at(rst);
    expect(v.sigs).toEqual([]);
    expect(v.origin).toBe('endpoint');
  });

  it('abort at the next sequence with the socket\'s window and the next value of its IP ID counter', () => {
    const sc = new Scene();
    const k = established(sc, { ttlServer: 60 });
    k.cli('A');
    const rst = k.srv('RA', { ttl: 60, window: 501 });
    const v = sc.run().at(rst);
    expect(v.sigs).toEqual([]);
    expect(v.origin).toBe('endpoint');
  });

  it('closed port: RST+ACK <SEQ=0><ACK=SYN.SEQ+1>, IP ID 0 with DF', () => {
    const sc = new Scene();
    const k = new Conv(sc, C, S, { ttlServer: 60 });
    k.cli('S', { options: LINUX_SYN_OPTIONS });
    const rst = k.srv('RA', { seq: 0, ack: k.c, ipId: 0, window: 0, ttl: 60 });
    expect(sc.run().at(rst).sigs).toEqual([]);
  });
});
