// Findings across connections: port scans (one per source, flagged on the 4th failure), reset injection
// per host pair with the signatures that fired, and content-triggered blocking.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeJson, LAB_FIXTURES } from './helpers/cli.js';

type Finding = Record<string, unknown> & { kind: string };

function findings(file: string): Finding[] {
  return analyzeJson(file).findings as Finding[];
}

describe('port-scan findings', () => {
  it.each([['syn-scan', 'syn'], ['connect-scan', 'connect']])('%s: one finding, technique %s, flagged on the 4th failed first contact', (scenario, technique) => {
    const scans = findings(join(LAB_FIXTURES, `${scenario}.client.pcap`)).filter((f) => f.kind === 'port-scan');
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ status: 'scanner', source: '10.99.1.2', technique, flagged_at_attempt: 4, targets: ['10.99.2.2'] });
    expect((scans[0]!.ports as number[]).length).toBe(10);
  });

  it('a client with two refused connections is neither flagged nor suspected', () => {
    expect(findings(join(LAB_FIXTURES, 'refused.client.pcap')).filter((f) => f.kind === 'port-scan')).toEqual([]);
  });
});

describe('reset-injection findings', () => {
  it('name the host pair and the signatures that fired', () => {
    const inj = findings(join(LAB_FIXTURES, 'injected-clienthello.client.pcap')).filter((f) => f.kind === 'reset-injection');
    expect(inj).toHaveLength(1);
    expect(inj[0]).toMatchObject({ client: '10.99.1.2', server: '10.99.2.2', causes: ['injected'] });
    expect(inj[0]!.signatures).toContain('(a) race');
  });

  it('no finding where every RST is genuine', () => {
    for (const s of ['sample', 'abort-inflight', 'accept-queue-overflow', 'time-wait']) {
      expect(findings(join(LAB_FIXTURES, `${s}.client.pcap`)).filter((f) => f.kind === 'reset-injection'), s).toEqual([]);
    }
  });
});

describe.skipIf(spawnSync('mergecap', ['-v']).status !== 0)('content-blocking findings', () => {
  it('RSTs that always follow the same TLS server name are reported once, with every connection', () => {
    // Two runs of the blocked TLS handshake, 20 s apart, in one capture.
    const dir = mkdtempSync(join(tmpdir(), 'rstscope-block-'));
    const src = join(LAB_FIXTURES, 'injected-clienthello.client.pcap');
    const shifted = join(dir, 'later.pcap');
    const merged = join(dir, 'both.pcap');
    expect(spawnSync('editcap', ['-t', '20', src, shifted]).status).toBe(0);
    expect(spawnSync('mergecap', ['-F', 'pcap', '-w', merged, src, shifted]).status).toBe(0);
    const blocks = findings(merged).filter((f) => f.kind === 'content-blocking');
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.trigger).toMatch(/^tls:/);
    expect(blocks[0]!.connections).toBe(2);
  });
});
