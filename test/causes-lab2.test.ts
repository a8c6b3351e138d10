// The second, adversarial lab (test/fixtures/lab2, written from the definitions before the rules met it): every
// genuine pattern next to a forged twin. Figures are kept apart from the first lab's (docs/causes.md).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeJson, ROOT } from './helpers/cli.js';

interface Label {
  frame: number;
  sender: 'client' | 'server' | 'middlebox';
  cause: string;
  phase: string;
  effect: string;
  undecidable?: boolean;
}

const DIR = join(ROOT, 'test/fixtures/lab2');
const labels: Record<string, Label[]> = existsSync(join(DIR, 'expected.json')) ? JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) : {};
const files = Object.keys(labels).filter((f) => labels[f]!.length > 0 && existsSync(join(DIR, f))).sort();

interface Row { file: string; want: Label; cause: string; origin: string; phase: string; effect: string }
const rows: Row[] = [];

describe.skipIf(files.length === 0)('second lab', () => {
  it.each(files)('%s: every labelled RST is reported', (file) => {
    const doc = analyzeJson(join(DIR, file));
    const byFrame = new Map(doc.resets.map((r) => [r.frame, r]));
    for (const want of labels[file]!) {
      const r = byFrame.get(want.frame);
      expect(r, `${file} #${want.frame}`).toBeDefined();
      rows.push({ file, want, cause: String(r!['cause']), origin: String(r!['origin']), phase: r!.phase, effect: String(r!['effect']) });
    }
  });

  it('never calls an endpoint RST forged', () => {
    expect(rows.filter((r) => r.want.sender !== 'middlebox' && r.origin === 'middlebox').map((r) => `${r.file} #${r.want.frame}`)).toEqual([]);
  });

  it('finds every forgery a single capture point can tell (origin of the decidable ones >= 98%)', () => {
    const decidable = rows.filter((r) => !r.want.undecidable);
    const right = decidable.filter((r) => (r.origin === 'middlebox') === (r.want.sender === 'middlebox'));
    expect(right.length / decidable.length).toBeGreaterThanOrEqual(0.98);
  });

  it('gets cause (decidable RSTs) >= 95%, phase >= 98%, effect >= 90%', () => {
    const decidable = rows.filter((r) => !r.want.undecidable);
    expect(decidable.filter((r) => r.cause === r.want.cause).length / decidable.length).toBeGreaterThanOrEqual(0.95);
    expect(rows.filter((r) => r.phase === r.want.phase).length / rows.length).toBeGreaterThanOrEqual(0.98);
    expect(rows.filter((r) => r.effect === r.want.effect).length / rows.length).toBeGreaterThanOrEqual(0.9);
  });
});
