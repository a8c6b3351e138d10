// The external captures (../shared/peer/external), judged RST by RST from the packets by an analyst who had not
// read the rules (test/fixtures/external/judged.json): no RST whose packets show the endpoint's own stack sent it is
// called `middlebox`, and every judged RST is reported.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeJson, ROOT } from './helpers/cli.js';

interface Judged { frame: number; origin: 'endpoint' | 'middlebox' | 'unclear'; certainty: string }

const CAPTURES = resolve(ROOT, '../shared/peer/external/captures');
const judged: Record<string, Judged[]> = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/external/judged.json'), 'utf8')).files;
const projects = [...new Set(Object.keys(judged).map((f) => f.split('/')[0]!))].sort();

describe.skipIf(!existsSync(CAPTURES))('external captures, judged', () => {
  it.each(projects)('%s: no endpoint RST called middlebox; every judged RST reported', (project) => {
    const falseMiddlebox: string[] = [];
    for (const [file, rows] of Object.entries(judged)) {
      if (!file.startsWith(`${project}/`)) continue;
      const doc = analyzeJson(join(CAPTURES, file));
      const byFrame = new Map(doc.resets.map((r) => [r.frame, r]));
      for (const j of rows) {
        const r = byFrame.get(j.frame);
        expect(r, `${file} #${j.frame}`).toBeDefined();
        if (j.origin === 'endpoint' && r!['origin'] === 'middlebox') falseMiddlebox.push(`${file} #${j.frame}`);
      }
    }
    expect(falseMiddlebox).toEqual([]);
  });
});
