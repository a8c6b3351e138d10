// The lab proves the causes: every RST of every lab capture (real Linux kernels in namespaces) gets the
// cause and origin that test/fixtures/lab/expected.json records, and no endpoint RST is called forged.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeJson, LAB_FIXTURES } from './helpers/cli.js';

interface Expected {
  frame: number;
  sender: 'client' | 'server' | 'middlebox';
  cause: string;
  phase?: string;
}

const EXPECTED = join(LAB_FIXTURES, 'expected.json');
const expected: Record<string, Expected[]> = existsSync(EXPECTED) ? JSON.parse(readFileSync(EXPECTED, 'utf8')) : {};
const files = Object.keys(expected).filter((f) => existsSync(join(LAB_FIXTURES, f))).sort();

interface Row {
  file: string;
  want: Expected;
  cause: string;
  origin: string;
  sender: string;
  phase: string;
  confidence: number;
}

/** Filled by the per-file tests (they run in order), read by the summary tests at the end. */
const rows: Row[] = [];

function check(file: string): Row[] {
  const doc = analyzeJson(join(LAB_FIXTURES, file));
  const byFrame = new Map(doc.resets.map((r) => [r.frame, r]));
  return expected[file]!.map((want) => {
    const r = byFrame.get(want.frame);
    return {
      file, want, cause: String(r?.cause), origin: String(r?.origin), sender: String(r?.sender), phase: String(r?.phase),
      confidence: Number(r?.confidence ?? 0),
    };
  });
}

describe.skipIf(files.length === 0)('lab causes', () => {
  // One test per capture (not one big synchronous run at collection time: the test worker stays responsive).
  it.each(files)('%s: cause, origin, sender and phase of every RST', (file) => {
    const mine = check(file);
    rows.push(...mine);
    for (const r of mine) {
      const label = `${r.file} #${r.want.frame}`;
      expect({ cause: r.cause, middlebox: r.origin === 'middlebox' }, label).toEqual({ cause: r.want.cause, middlebox: r.want.sender === 'middlebox' });
      if (r.want.sender !== 'middlebox') expect(r.sender, label).toBe(r.want.sender);
      if (r.want.phase) expect(r.phase, label).toBe(r.want.phase);
    }
  });

  it('never calls an endpoint RST forged', () => {
    const false_ = rows.filter((r) => r.want.sender !== 'middlebox' && r.origin === 'middlebox');
    expect(false_.map((r) => `${r.file} #${r.want.frame}`)).toEqual([]);
  });

  it('is calibrated: verdicts at confidence >= 0.8 are right at least 90% of the time', () => {
    const sure = rows.filter((r) => r.confidence >= 0.8);
    const right = sure.filter((r) => r.cause === r.want.cause);
    expect(sure.length).toBeGreaterThan(20);
    expect(right.length / sure.length).toBeGreaterThanOrEqual(0.9);
  });

  it('covers every cause of issue #3 that the kernel or the lab can produce', () => {
    const causes = new Set(rows.map((r) => r.want.cause));
    for (const c of ['port-closed', 'accept-queue-overflow', 'time-wait', 'malformed-syn', 'firewall-reject', 'syn-scan', 'connect-scan',
      'retransmission-exhausted', 'idle-timeout', 'abortive-close', 'data-after-close', 'fin-then-reset', 'injected', 'no-connection']) {
      expect(causes, c).toContain(c);
    }
  });
});
