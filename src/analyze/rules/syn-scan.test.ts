// syn-scan: RST alone from the client after the SYN/ACK, no ACK, as part of a scan (half-open / nmap -sS).
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, LINUX_SYN_OPTIONS, NMAP_SYN_OPTIONS, Scene } from '../../../test/build/rst-scene.js';
import { EXACT, LIKELY } from '../rule.js';

const SCANNER = '10.6.0.66';
const T = '10.6.0.2';

/** `closed` ports answered by RST+ACK, then port 22 open: SYN, SYN/ACK, the client's bare RST. Returns the RST's frame. */
function scan(sc: Scene, closed: number, syn: { options: number[]; window: number; df: boolean }): { rst: number; synAck: number } {
  for (let i = 0; i < closed; i++) {
    const k = new Conv(sc, { ip: SCANNER, port: 50000 }, { ip: T, port: 1000 + i }, { cIsn: 7000 + i });
    k.cli('S', { options: syn.options, window: syn.window, df: syn.df, ttl: 45 });
    k.srv('RA', { seq: 0, ack: k.c, ipId: 0, window: 0 });
  }
  const k = new Conv(sc, { ip: SCANNER, port: 50000 }, { ip: T, port: 22 }, { cIsn: 9000 });
  k.cli('S', { options: syn.options, window: syn.window, df: syn.df, ttl: 45 });
  const synAck = k.srv('SA', { options: LINUX_SYN_OPTIONS, ipId: 0 });
  const rst = k.cli('R', { seq: k.c, ipId: 0, window: 0, df: syn.df });
  return { rst, synAck };
}

const NMAP = { options: NMAP_SYN_OPTIONS, window: 1024, df: false };
const LINUX = { options: LINUX_SYN_OPTIONS, window: 64240, df: true };

describe('syn-scan', () => {
  it('a flagged scanner\'s bare RST answering the SYN/ACK: syn-scan, exact', () => {
    const sc = new Scene();
    const { rst, synAck } = scan(sc, 4, NMAP);
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'syn-scan', origin: 'endpoint', phase: 'handshake', confidence: endpointConfidence(EXACT) });
    expect(v.evidence).toContain('the client never completed the handshake: half-open');
    expect(v.evidence.some((l) => l.startsWith(`${SCANNER} is flagged as a scanner`))).toBe(true);
    expect(citedFrames(v.evidence)).toEqual([synAck, rst]);
  });

  it('a suspected scanner (3 failures) whose SYN carries nmap\'s fingerprint: syn-scan, likely', () => {
    const sc = new Scene();
    const { rst } = scan(sc, 2, NMAP);
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'syn-scan', confidence: endpointConfidence(LIKELY) });
    expect(v.evidence).toContain("its SYN carries nmap's fingerprint: window 1024, MSS-only options, no DF");
  });

  it('a stateless scanner\'s single probe (SYN with no TCP options) reset by its own kernel: syn-scan', () => {
    const sc = new Scene();
    const k = new Conv(sc, { ip: SCANNER, port: 61000 }, { ip: T, port: 443 });
    k.cli('S', { window: 65535, ttl: 250 });
    k.srv('SA', { options: LINUX_SYN_OPTIONS, ipId: 0 });
    const rst = k.cli('R', { seq: k.c, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'syn-scan', origin: 'endpoint' });
    expect(v.evidence.some((l) => l.includes('stateless scanner'))).toBe(true);
  });

  it('not a normal client (Linux SYN, no failures) resetting a SYN/ACK: client-abort', () => {
    const sc = new Scene();
    const k = new Conv(sc, { ip: '10.6.0.7', port: 41000 }, { ip: T, port: 443 });
    k.cli('S', { options: LINUX_SYN_OPTIONS });
    k.srv('SA', { options: LINUX_SYN_OPTIONS, ipId: 0 });
    const rst = k.cli('R', { seq: k.c, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('syn-scan');
    expect(v.cause).toBe('client-abort');
  });

  it('not a suspect without nmap\'s fingerprint (3 failures, Linux SYNs): client-abort', () => {
    const sc = new Scene();
    const { rst } = scan(sc, 2, LINUX);
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('syn-scan');
    expect(v.cause).toBe('client-abort');
    expect(v.evidence).toContain(`${SCANNER} is a suspected scanner (below the threshold)`);
  });

  it('not with ACK after a completed handshake: a flagged scanner\'s RST+ACK is a connect-scan', () => {
    const sc = new Scene();
    scan(sc, 4, NMAP);
    const k = new Conv(sc, { ip: SCANNER, port: 50001 }, { ip: T, port: 25 });
    k.handshake();
    const rst = k.cli('RA');
    expect(sc.run().at(rst).cause).toBe('connect-scan');
  });
});
