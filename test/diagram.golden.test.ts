// Golden terminal ladders (`rstscope diagram`) from lab fixtures and a generated long connection.
// The cause after "RST from the ..." is masked: causes belong to src/analyze and change with it. Lab
// fixtures are re-captured now and then (lab/run.sh): their client ports and timings are masked too.
// Update with `npx vitest run test/diagram.golden.test.ts -u` and review the diff.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { longConnectionCapture } from './build/report-captures.js';
import { LAB_FIXTURES, ROOT, run } from './helpers/cli.js';

let long = '';
beforeAll(() => {
  long = join(mkdtempSync(join(tmpdir(), 'rstscope-diagram-')), 'long.pcap');
  writeFileSync(long, longConnectionCapture());
});

function diagram(args: string[]): string {
  const r = run(['diagram', ...args, '--no-color']);
  expect(r.stderr.toString()).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.toString().replace(/(<< RST from the (?:client|server)): .*$/gm, '$1: <cause>');
}

const lab = (name: string): string => join(LAB_FIXTURES, name);

/** What a re-capture of the same lab scenario changes: the client's ephemeral port and the timings. */
function stableLab(text: string): string {
  return text
    .replace(/(10\.99\.1\.2|\[fd99:1::2\]):\d+/g, '$1:PORT')
    .replace(/\b\d+\.\d{6}\b/g, 'T.TTTTTT')
    .replace(/^(connection .*, )[\d.]+ (ms|s|min)$/m, '$1DURATION')
    .replace(/(\.\.\. .*), [\d.]+ (ms|s|min) \.\.\./g, '$1, DURATION ...');
}

describe('rstscope diagram (golden)', () => {
  const cases: Array<[string, () => string[]]> = [
    ['abort-linger0.client.conn0', () => [lab('abort-linger0.client.pcap'), '--conn', '0']],
    ['abort-linger0.router.frame16', () => [lab('abort-linger0.router.pcap'), '--frame', '16']],
    ['refused.client.conn1', () => [lab('refused.client.pcap'), '--conn', '1']],
    ['close-unread.server.frame6', () => [lab('close-unread.server.pcap'), '--frame', '6']],
    ['ipv6-abort.client.conn0', () => [lab('ipv6-abort.client.pcap'), '--conn', '0']],
    ['normal.client.frame3', () => [lab('normal.client.pcap'), '--frame', '3', '--context', '1']],
    ['long-connection.conn0', () => [long, '--conn', '0']],
    ['long-connection.frame2000', () => [long, '--frame', '2000', '--context', '3']],
  ];
  for (const [name, args] of cases) {
    it(name, async () => {
      const text = name.startsWith('long-') ? diagram(args()) : stableLab(diagram(args()));
      await expect(text).toMatchFileSnapshot(join(ROOT, 'test/golden/diagram', `${name}.txt`));
    });
  }

  it('folds a 4,004-packet connection to a screen around its RST', () => {
    const text = diagram([long, '--conn', '0']);
    expect(text.split('\n').length).toBeLessThan(40);
    expect(text).toMatch(/\.\.\. 3,9\d\d packets, \d\.\d MB, \d\.\d s \.\.\./);
  });
});

describe('rstscope diagram errors', () => {
  it('needs exactly one of --conn and --frame, and an existing connection', () => {
    expect(run(['diagram', lab('sample.client.pcap')]).status).toBe(2);
    expect(run(['diagram', lab('sample.client.pcap'), '--conn', '1', '--frame', '2']).status).toBe(2);
    const missing = run(['diagram', lab('sample.client.pcap'), '--conn', '99']);
    expect(missing.status).toBe(2);
    expect(missing.stderr.toString()).toContain('no connection with id 99');
    expect(run(['diagram', lab('sample.client.pcap'), '--frame', '999']).status).toBe(2);
    expect(run(['diagram', join(LAB_FIXTURES, 'nope.pcap'), '--conn', '0']).status).toBe(3);
  });
});

describe('rstscope analyze --diagrams', () => {
  it('prints each RST line, then the ladder of its connection centred on it', () => {
    const r = run(['analyze', lab('sample.client.pcap'), '--diagrams', '--no-color']);
    expect(r.status).toBe(0);
    const out = r.stdout.toString();
    const rst12 = out.indexOf('\n12 ');
    const ladder12 = out.indexOf('connection 1 (stream 1)');
    const rst20 = out.indexOf('\n20 ');
    expect(rst12).toBeGreaterThan(0);
    expect(ladder12).toBeGreaterThan(rst12);
    expect(rst20).toBeGreaterThan(ladder12);
    expect(out).toMatch(/^ {10}> +12 +0\.\d{6} +\|<=+ RA seq=0 ack=1 len=0 ttl=63 =+\|  << RST from the server/m);
    expect(run(['analyze', lab('sample.client.pcap'), '--diagrams', '--format', 'json']).status).toBe(2);
  });
});
