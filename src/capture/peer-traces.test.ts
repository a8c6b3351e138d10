// Cross-check against tshark on the Zeek peer traces (skipped when either is missing).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCapture, newCaptureSummary } from './read.js';
import { formatEpochTime } from './timestamp.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TRACES = join(ROOT, '..', 'shared', 'peer', 'zeek', 'traces');
const TSHARK = ['/usr/bin/tshark', '/usr/local/bin/tshark'].find((p) => existsSync(p));
const files = existsSync(TRACES) ? readdirSync(TRACES).filter((f) => /\.pcap(ng)?(\.gz)?$/.test(f)).sort() : [];
const skipReason = TSHARK === undefined ? 'tshark is not installed' : files.length === 0 ? `no traces in ${TRACES}` : '';

describe.skipIf(skipReason !== '')(`peer traces vs tshark${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it.each(files)('%s: same frames and timestamps as tshark', async (name) => {
    const path = join(TRACES, name);
    const out = execFileSync(TSHARK ?? 'tshark', ['-r', path, '-T', 'fields', '-e', 'frame.time_epoch'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const want = out.split('\n');
    if (want[want.length - 1] === '') want.pop(); // keep empty lines: a frame without a timestamp
    const summary = newCaptureSummary();
    const got: string[] = [];
    const expected: string[] = [];
    for await (const r of readCapture(path, { summary })) {
      const p = summary.precision;
      got.push(formatEpochTime(r.tsSec, r.tsNsec, p));
      // tshark prints 9 fractional digits; compare at the file's precision.
      const [sec = '', frac = ''] = (want[r.frame - 1] ?? '').split('.');
      expected.push(p === 0 ? sec : `${sec}.${frac.padEnd(9, '0').slice(0, p)}`);
    }
    expect(summary.error).toBeUndefined();
    expect(summary.warnings).toEqual([]);
    expect(got.length).toBe(want.length);
    expect(got).toEqual(expected);
  });
});
