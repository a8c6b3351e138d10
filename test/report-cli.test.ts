// CLI outputs of issue #4 that need no browser: Zeek conn.log, --fail-on, the HTML file's static safety,
// and hostile capture strings kept away from the terminal.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_TEXT, hostileCapture } from './build/report-captures.js';
import { analyzeJson, LAB_FIXTURES, run } from './helpers/cli.js';

const SAMPLE = join(LAB_FIXTURES, 'sample.client.pcap');
let dir = '';
let hostile = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rstscope-report-'));
  hostile = join(dir, 'hostile.pcap');
  writeFileSync(hostile, hostileCapture());
});

describe('--format zeek', () => {
  it('writes a Zeek conn.log: header, one row per connection, types per field', () => {
    const r = run(['analyze', SAMPLE, '--format', 'zeek']);
    expect(r.status).toBe(0);
    const lines = r.stdout.toString().trimEnd().split('\n');
    expect(lines.slice(0, 5)).toEqual(['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn']);
    expect(lines[5]).toMatch(/^#open\t\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d$/);
    const fields = lines[6]!.split('\t').slice(1);
    const types = lines[7]!.split('\t').slice(1);
    expect(fields.slice(0, 8)).toEqual(['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service']);
    expect(types).toHaveLength(fields.length);
    expect(lines[lines.length - 1]).toMatch(/^#close\t/);
    const rows = lines.filter((l) => !l.startsWith('#')).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [fields[i], v])));
    const doc = analyzeJson(SAMPLE);
    expect(rows).toHaveLength(doc.connections.length);
    for (const [i, row] of rows.entries()) {
      const c = doc.connections[i]! as unknown as Record<string, unknown> & { client: { ip: string; port: number }; server: { ip: string; port: number } };
      expect(row).toMatchObject({
        'id.orig_h': c.client.ip, 'id.orig_p': String(c.client.port), 'id.resp_h': c.server.ip, 'id.resp_p': String(c.server.port),
        proto: 'tcp', conn_state: c.state, history: c.history, community_id: c.community_id, rst_count: String(c.resets),
      });
      expect(row.ts).toMatch(/^\d+\.\d{6}$/);
      expect(row.uid).toMatch(/^C[0-9A-Za-z]{17}$/);
    }
    const reset = rows.find((row) => row.rst_count === '1')!;
    expect(reset.rst_frames).toMatch(/^\d+$/);
    expect(reset.rst_causes).not.toBe('(empty)');
  });

  it('writes Zeek JSON lines with the same values, unset fields left out', () => {
    const tsv = run(['analyze', SAMPLE, '--format', 'zeek']).stdout.toString().split('\n').filter((l) => l && !l.startsWith('#'));
    const json = run(['analyze', SAMPLE, '--format', 'zeek-json']).stdout.toString().trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(json).toHaveLength(tsv.length);
    expect(typeof json[0]!.ts).toBe('number');
    expect(json[0]!['id.orig_p']).toBeTypeOf('number');
    expect(json[0]).not.toHaveProperty('service');
    expect(json.map((j) => j.uid)).toEqual(tsv.map((l) => l.split('\t')[1]));
  });
});

describe('--fail-on', () => {
  it('exits 1 when a RST matches a cause, middlebox or any; 0 otherwise', () => {
    const doc = analyzeJson(SAMPLE);
    const cause = String(doc.resets[0]!.cause);
    const hit = run(['analyze', SAMPLE, '--fail-on', cause]);
    expect(hit.status).toBe(1);
    expect(hit.stderr.toString()).toContain('--fail-on matched');
    expect(run(['analyze', SAMPLE, '--fail-on', 'no-such-cause']).status).toBe(0);
    expect(run(['analyze', SAMPLE, '--fail-on', 'no-such-cause,any', '--format', 'json']).status).toBe(1);
    const middlebox = doc.resets.some((r) => r.origin === 'middlebox');
    expect(run(['analyze', SAMPLE, '--fail-on', 'middlebox']).status).toBe(middlebox ? 1 : 0);
    expect(run(['analyze', join(LAB_FIXTURES, 'normal.client.pcap'), '--fail-on', 'any']).status).toBe(0);
    expect(run(['analyze', SAMPLE, '--fail-on', 'Bad Value']).status).toBe(2);
  });

  it('a damaged or unreadable file still wins over a match (higher exit code)', () => {
    expect(run(['analyze', SAMPLE, join(LAB_FIXTURES, 'missing.pcap'), '--fail-on', 'any']).status).toBe(3);
  });
});

describe('--html', () => {
  it('writes one self-contained file: inline script and style, a CSP with no network, a row per RST', () => {
    const out = join(dir, 'sample.html');
    const r = run(['analyze', SAMPLE, '--html', out, '--format', 'json']);
    expect(r.status).toBe(0);
    JSON.parse(r.stdout.toString()); // stdout keeps its format
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+';[^"]*connect-src 'none'/);
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html.replaceAll("'http://www.w3.org/2000/svg'", '')).not.toMatch(/https?:\/\//); // the SVG namespace is a name, not a request
    const data = JSON.parse(/<script type="application\/json" id="rst-data">(.*?)<\/script>/s.exec(html)![1]!) as { resets: Array<{ f: number; wf: string }> };
    expect(data.resets.map((x) => x.f)).toEqual(analyzeJson(SAMPLE).resets.map((x) => x.frame));
    expect(data.resets.every((x) => x.wf.length > 0)).toBe(true);
  });

  it('escapes a hostile RST payload: no markup from the capture survives into the page', () => {
    const out = join(dir, 'hostile.html');
    expect(run(['analyze', hostile, '--html', out]).status).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html.match(/<script/g)).toHaveLength(2); // the data block and the page's own script
    expect(html).not.toContain('<img');
    expect(html).not.toContain('alert(1)</script>');
    expect(html).toContain('\\u003cscript\\u003ealert(1)\\u003c/script\\u003e');
    expect(html).not.toContain('\x1b');
  });
});

describe('terminal safety', () => {
  it('no control character from the capture reaches the terminal, in any text output', () => {
    expect(HOSTILE_TEXT).toContain('\x1b');
    for (const args of [['-v'], ['--diagrams'], ['-v', '--diagrams']]) {
      const r = run(['analyze', hostile, '--no-color', ...args]);
      expect(r.status).toBe(0);
      const out = r.stdout.toString();
      if (args.includes('-v')) expect(out).toContain('<script>alert(1)</script>'); // shown as text, escapes removed
      expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    }
    const d = run(['diagram', hostile, '--conn', '1', '--no-color']).stdout.toString();
    expect(d).toContain('RST from the server');
    expect(d).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });
});
