// --jobs: several files analyzed on worker threads give exactly the output of one by one.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { capturesIn, LAB_FIXTURES, ROOT, run } from './helpers/cli.js';

const FILES = [
  ...capturesIn(LAB_FIXTURES).slice(0, 8).map((f) => join(LAB_FIXTURES, f)),
  join(ROOT, 'test/fixtures/sample.pcap'),
  join(ROOT, 'no-such-capture.pcap'), // unreadable: the same message, at the same place, same exit code
  join(ROOT, 'package.json'), // not a capture
];

describe('analyze --jobs', () => {
  for (const format of ['json', 'ndjson', 'text']) {
    it(`--jobs 2 writes what --jobs 1 writes (${format})`, () => {
      const one = run(['analyze', ...FILES, '--format', format, '--jobs', '1']);
      const two = run(['analyze', ...FILES, '--format', format, '--jobs', '2']);
      expect(one.stdout.length).toBeGreaterThan(500);
      expect(two.stdout.equals(one.stdout)).toBe(true);
      expect(two.stderr.toString()).toBe(one.stderr.toString());
      expect(two.status).toBe(one.status);
    });
  }

  it('uses more workers than files without harm, and rejects a bad count', () => {
    const one = run(['analyze', ...FILES.slice(0, 3), '--format', 'json', '--jobs', '1']);
    const many = run(['analyze', ...FILES.slice(0, 3), '--format', 'json', '--jobs', '8']);
    expect(many.stdout.equals(one.stdout)).toBe(true);
    const bad = run(['analyze', ...FILES.slice(0, 2), '--jobs', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.toString()).toMatch(/--jobs must be a positive whole number/);
  });
});
