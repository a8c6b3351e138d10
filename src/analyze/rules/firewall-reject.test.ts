// firewall-reject: a RST answering a SYN, with the server's address, sent by a device in the path (its hop count
// or fingerprint unlike the server's own packets here).
import { describe, expect, it } from 'vitest';
import { citedFrames, Conv, endpointConfidence, Scene } from '../../../test/build/rst-scene.js';
import { EXACT, PATTERN } from '../rule.js';

const S = { ip: '10.5.0.2', port: 443 };
const client = (port: number) => ({ ip: '10.5.0.1', port });

/** The server's own packets on another connection: 2 hops away (TTL 62). */
function serverElsewhere(sc: Scene): void {
  const k = new Conv(sc, client(39999), S);
  k.handshake();
  k.exchange();
}

describe('firewall-reject', () => {
  it('RST+ACK answering a SYN, 0 hops away while the server\'s own packets come from 2 hops: firewall-reject, middlebox', () => {
    const sc = new Scene();
    serverElsewhere(sc);
    const k = new Conv(sc, client(40000), { ...S, port: 8443 });
    const syn = k.cli('S', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1001, ttl: 64, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'firewall-reject', origin: 'middlebox', phase: 'handshake' });
    expect(v.sigs).toEqual(['hops']);
    expect(v.evidence).toContain('no SYN/ACK from the server on this connection');
    expect(v.evidence.some((l) => l.startsWith('(d) RST TTL 64 (0 hops from an initial 64)') && l.includes('2 hops'))).toBe(true);
    expect(citedFrames(v.evidence)).toEqual([syn, rst]);
  });

  it('not when the RST comes the server\'s usual hop count: the server\'s own port-closed', () => {
    const sc = new Scene();
    serverElsewhere(sc);
    const k = new Conv(sc, client(40000), { ...S, port: 8443 });
    k.cli('S', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1001, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('firewall-reject');
    expect(v).toMatchObject({ cause: 'port-closed', origin: 'endpoint', confidence: endpointConfidence(EXACT) });
  });

  it('not with nothing to compare (no other packet of the server): port-closed, only a pattern', () => {
    const sc = new Scene();
    const k = new Conv(sc, client(40000), S);
    k.cli('S', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1001, ttl: 64, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v).toMatchObject({ cause: 'port-closed', origin: 'endpoint', confidence: endpointConfidence(PATTERN) });
  });

  it('not when the client retried its SYN and the server answered: the forged RST took no effect', () => {
    const sc = new Scene();
    serverElsewhere(sc);
    const k = new Conv(sc, client(40000), S);
    k.cli('S', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1001, ttl: 64, ipId: 0, window: 0 });
    k.cli('S', { seq: 1000, gap: 1 });
    k.srv('SA', { seq: 5000, ack: 1001, ipId: 0 });
    k.cli('A', { seq: 1001, ack: 5001 });
    const v = sc.run().at(rst);
    expect(v.cause).not.toBe('firewall-reject');
    expect(v).toMatchObject({ origin: 'middlebox', effect: 'ignored', cause: 'injected' });
  });

  // One hop off a server whose other connections all came one hop count: the weighted model's line (docs/causes.md (d)).
  it('1 hop off the server\'s consistent other connections: firewall-reject, middlebox', () => {
    const sc = new Scene();
    serverElsewhere(sc);
    const k = new Conv(sc, client(40000), { ...S, port: 8443 });
    k.cli('S', { seq: 1000 });
    const rst = k.srv('RA', { seq: 0, ack: 1001, ttl: 63, ipId: 0, window: 0 });
    const v = sc.run().at(rst);
    expect(v.sigs).toEqual(['hops']);
    expect(v).toMatchObject({ cause: 'firewall-reject', origin: 'middlebox' });
  });
});
