// The scene helper the per-rule and per-signature unit tests use runs the same analysis as the real pipeline:
// its in-memory verdicts equal analyzeCapture's records for the same packets written as a pcap file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Conv, Scene } from './build/rst-scene.js';
import { analyzeFile } from './build/tcp-conversation.js';

const dir = mkdtempSync(join(tmpdir(), 'rstscope-scene-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Scene.run', () => {
  it('gives the pipeline\'s verdicts for the same packets read from a pcap file', async () => {
    const sc = new Scene();
    const C = { ip: '10.30.0.1', port: 40000 };
    const S = { ip: '10.30.0.2', port: 80 };
    const a = new Conv(sc, C, S);
    a.cli('S');
    a.srv('RA', { seq: 0, ack: a.c, ipId: 0, window: 0 });
    const b = new Conv(sc, { ...C, port: 40001 }, S);
    b.handshake();
    b.exchange();
    b.cli('PA', { len: 100 });
    b.srv('RA');
    b.srv('PA', { len: 100, gap: 0.02 });
    const c = new Conv(sc, { ...C, port: 40002 }, S);
    c.handshake();
    c.exchange();
    c.cli('A');
    c.srv('RA', { gap: 30 });
    const mem = sc.run().resets;
    const file = join(dir, 'scene.pcap');
    writeFileSync(file, sc.bytes());
    const recs = (await analyzeFile(file)).resets;
    expect(mem.map((v) => v.cause)).toEqual(['port-closed', 'injected', 'idle-timeout']);
    expect(recs.map((r) => ({ frame: r.frame, cause: r.cause, origin: r.origin, phase: r.phase, confidence: r.confidence, effect: r.effect, evidence: r.evidence })))
      .toEqual(mem.map((v) => ({ frame: v.frame, cause: v.cause, origin: v.origin, phase: v.phase, confidence: v.confidence, effect: v.effect, evidence: v.evidence })));
  });
});
