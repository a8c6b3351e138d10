// Output safety: strings that come from captures (RST text, HTTP Host, TLS SNI) never reach a terminal with
// control characters, and never reach the HTML report unescaped. The pipeline fuzz (test/fuzz.test.ts)
// checks the text format of every mutant the same way.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ascii, hostileStrings, HOSTILE_TEXT, tlsClientHello } from './build/hostile.js';
import { describePayload } from '../src/decode/app.js';
import { run } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rstscope-safety-'));
const file = join(dir, 'hostile.pcap');
writeFileSync(file, hostileStrings());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Offsets and values of bytes a terminal would interpret: C0 controls other than \n, and DEL. */
function controlBytes(out: Buffer): string[] {
  const bad: string[] = [];
  out.forEach((b, i) => {
    if ((b < 0x20 && b !== 0x0a) || b === 0x7f) bad.push(`0x${b.toString(16)} at ${i}: ${JSON.stringify(out.subarray(Math.max(0, i - 30), i + 10).toString('latin1'))}`);
  });
  return bad;
}

describe('hostile strings in captures', () => {
  it('the capture really carries them (RST text, HTTP Host, TLS SNI)', () => {
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from('\x1b[2J', 'latin1'))).toBe(true);
    expect(bytes.includes(Buffer.from('Host: \x1b[2J', 'latin1'))).toBe(true);
    expect(describePayload(tlsClientHello(ascii('a\x1bb')), 0, 80, 80)).toBe('TLS ClientHello for a?b');
    const json = JSON.parse(run(['analyze', file, '--format', 'json']).stdout.toString()) as {
      connections: Array<{ client_app?: string | null }>;
      resets: Array<{ evidence: string[] }>;
    };
    const apps = json.connections.map((c) => c.client_app ?? '').join('\n');
    expect(apps).toMatch(/HTTP GET .* Host /);
    expect(apps).toMatch(/TLS ClientHello for evil/);
    expect(json.resets.flatMap((r) => r.evidence).join('\n')).toMatch(/RST carries text/);
  });

  for (const args of [['--verbose'], [], ['--verbose', '--format', 'ndjson'], ['--format', 'json']]) {
    it(`analyze ${args.join(' ') || '(text)'}: stdout has no control bytes`, () => {
      const r = run(['analyze', file, '--no-color', ...args]);
      expect(r.status, r.stderr.toString()).toBe(0);
      expect(controlBytes(r.stdout)).toEqual([]);
      expect(controlBytes(r.stderr)).toEqual([]);
      expect(r.stdout.toString('latin1')).not.toContain(HOSTILE_TEXT);
    });
  }

  it('diagram of each connection: no control bytes', () => {
    for (const conn of ['0', '1', '2']) {
      const r = run(['diagram', file, '--conn', conn, '--no-color']);
      expect(r.status, r.stderr.toString()).toBe(0);
      expect(controlBytes(r.stdout)).toEqual([]);
    }
  });

  it('HTML report: nothing from the capture arrives as markup', () => {
    const html = join(dir, 'report.html');
    const r = run(['analyze', file, '--html', html]);
    expect(r.status, r.stderr.toString()).toBe(0);
    const page = readFileSync(html, 'latin1');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('\x1b');
    // The page's own <script> elements, and no more: compare with a report on a harmless capture.
    const benign = join(dir, 'benign.html');
    expect(run(['analyze', join(import.meta.dirname, 'fixtures/sample.pcap'), '--html', benign]).status).toBe(0);
    const count = (s: string, re: RegExp): number => (s.match(re) ?? []).length;
    const mine = readFileSync(benign, 'latin1');
    expect(count(page, /<script/gi)).toBe(count(mine, /<script/gi));
    expect(count(page, /<\/script/gi)).toBe(count(mine, /<\/script/gi));
  });
});
