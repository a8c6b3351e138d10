// Issue #12's cases on Zeek's own traces, labelled from the packets before the rules were changed for them
// (test/fixtures/why/expected.json): cause, origin, phase, effect and caused_by of each RST.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeJson, PEER_TRACES, ROOT, run } from './helpers/cli.js';

interface Label {
  frame: number;
  sender: 'client' | 'server' | 'middlebox';
  cause: string;
  phase: string;
  effect: string;
  caused_by?: number | null;
}

const labels: Record<string, Label[]> = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/why/expected.json'), 'utf8'));
const files = Object.keys(labels).filter((f) => existsSync(join(PEER_TRACES, f)));

describe.skipIf(files.length === 0)('issue #12 cases on Zeek traces', () => {
  it.each(files)('%s: every labelled RST', (file) => {
    const doc = analyzeJson(join(PEER_TRACES, file));
    const byFrame = new Map(doc.resets.map((r) => [r.frame, r]));
    for (const want of labels[file]!) {
      const r = byFrame.get(want.frame)!;
      expect(r, `${file} #${want.frame}`).toBeDefined();
      const got = { cause: r['cause'], middlebox: r['origin'] === 'middlebox', phase: r.phase, effect: r['effect'] };
      expect(got, `${file} #${want.frame}`).toEqual({ cause: want.cause, middlebox: want.sender === 'middlebox', phase: want.phase, effect: want.effect });
      if (want.sender !== 'middlebox') expect(r.sender, `${file} #${want.frame}`).toBe(want.sender);
      if (want.caused_by !== undefined) expect(r['caused_by'], `${file} #${want.frame}`).toBe(want.caused_by);
    }
  });
});

describe.skipIf(!existsSync(join(PEER_TRACES, 'Teredo.pcap')))('diagram --frame on a late RST', () => {
  it('draws the stream\'s earlier connections before the one the RST opens', () => {
    const r = run(['diagram', join(PEER_TRACES, 'Teredo.pcap'), '--frame', '51']);
    expect(r.status).toBe(0);
    const out = r.stdout.toString();
    expect(out).toMatch(/\b18\b.*RA/); // the client's own RST on stream 0, 16 s before
    expect(out).toMatch(/s later, on the same 4-tuple \(stream 0\)/);
    expect(out.indexOf(' 18 ')).toBeLessThan(out.indexOf(' 51 '));
  });
});
