// connect-scan: full handshake then RST+ACK from the client at once, no data, as part of a scan (nmap -sT);
// also the short connect scan (2-3 ports within seconds, below the sequential test's 4 failures).
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';
import { EXACT, HEURISTIC, LIKELY } from '../rule.js';

const SRC = '10.7.0.66';
const T = '10.7.0.2';

/** A connect() probe: full handshake, then the client's RST+ACK at once. Returns the RST's frame. */
function probe(sc: Scene, sport: number, port: number, gap = 0.05): number {
  const k = new Conv(sc, { ip: SRC, port: sport }, { ip: T, port }, { cIsn: 1000 + sport, sIsn: 5000 + port * 13 });
  k.handshake({ gap });
  return k.cli('RA');
}

describe('connect-scan', () => {
  it('a flagged scanner (4 closed ports) completing a handshake and resetting at once: connect-scan, exact', () => {
    const sc = new Scene();
    for (let p = 1; p <= 4; p++) {
      const k = new Conv(sc, { ip: SRC, port: 50000 + p }, { ip: T, port: 1000 + p });
      k.cli('S');
      k.srv('RA', { seq: 0, ack: k.c, ipId: 0, window: 0 });
    }
    const rst = probe(sc, 50010, 22);
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'connect-scan', origin: 'endpoint', phase: 'handshake', confidence: endpointConfidence(EXACT) });
    expect(v.evidence[0]).toMatch(/^handshake completed, RST [\d.]+ ms later, no data in either direction$/);
    expect(v.evidence[1]).toMatch(new RegExp(`^${SRC} is flagged as a scanner`));
  });

  it('a short connect scan of 2 ports within 5 s: connect-scan, heuristic', () => {
    const sc = new Scene();
    const a = probe(sc, 50001, 80);
    const b = probe(sc, 50002, 443, 0.5);
    const out = sc.run();
    for (const f of [a, b]) {
      const v = out.at(f);
      expect(v).toMatchObject({ cause: 'connect-scan', origin: 'endpoint', phase: 'handshake', confidence: endpointConfidence(HEURISTIC) });
      expect(v.evidence[1]).toBe(`${SRC} connected to 2 ports of ${T} (80, 443) within 5 s and reset each without data, never repeating a port nor exchanging data with that host: a short connect scan (below the sequential test's 4 failures)`);
    }
    expect(citedFrames(out.at(b).evidence)).toEqual([b]);
  });

  it('a short connect scan of 3 ports: connect-scan, likely', () => {
    const sc = new Scene();
    probe(sc, 50001, 80);
    probe(sc, 50002, 443, 0.5);
    const c = probe(sc, 50003, 8080, 0.5);
    const v = sc.run().at(c);
    expect(v).toMatchObject({ cause: 'connect-scan', confidence: endpointConfidence(LIKELY) });
    expect(v.evidence[1]).toContain('connected to 3 ports of');
  });

  it('not a monitor re-checking the same two ports (each again within 60 s): client-abort', () => {
    const sc = new Scene();
    const frames = [probe(sc, 50001, 80), probe(sc, 50002, 443, 0.5), probe(sc, 50003, 80, 10), probe(sc, 50004, 443, 0.5)];
    const out = sc.run();
    for (const f of frames) {
      expect(out.at(f).cause).not.toBe('connect-scan');
      expect(out.at(f).cause).toBe('client-abort');
    }
  });

  it('not a client that exchanged data with the host: client-abort', () => {
    const sc = new Scene();
    const k = new Conv(sc, { ip: SRC, port: 49000 }, { ip: T, port: 80 });
    k.handshake();
    k.exchange();
    k.cli('FA');
    k.srv('FA');
    k.cli('A');
    const a = probe(sc, 50001, 443);
    const b = probe(sc, 50002, 8443, 0.5);
    const out = sc.run();
    expect(out.at(a).cause).toBe('client-abort');
    expect(out.at(b).cause).toBe('client-abort');
  });

  it('not a single connect-and-reset: client-abort', () => {
    const sc = new Scene();
    const a = probe(sc, 50001, 80);
    expect(sc.run().at(a).cause).toBe('client-abort');
  });

  it('not after data on the connection itself: abortive-close', () => {
    const sc = new Scene();
    probe(sc, 50001, 80);
    const k = new Conv(sc, { ip: SRC, port: 50002 }, { ip: T, port: 443 });
    k.handshake();
    k.exchange();
    const rst = k.cli('RA');
    expect(sc.run().at(rst).cause).toBe('abortive-close');
  });

  it('not two connect-and-resets further apart than 5 s: client-abort', () => {
    const sc = new Scene();
    const a = probe(sc, 50001, 80);
    const b = probe(sc, 50002, 443, 10);
    const out = sc.run();
    expect(out.at(a).cause).toBe('client-abort');
    expect(out.at(b).cause).toBe('client-abort');
  });
});
