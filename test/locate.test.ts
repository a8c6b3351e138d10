// `rstscope locate` on the lab's three-point captures (client side, router's server-side veth, server side):
// every RST of every scenario gets the birth place its sender implies; a shifted clock and NAT change nothing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../src/capture/read.js';
import { locate } from '../src/compare/locate.js';
import type { LocateDoc, LocatedReset } from '../src/compare/report.js';
import { decodePacket } from '../src/decode/decode-packet.js';
import { formatAddress } from '../src/decode/address.js';
import { KIND_TCP, newPacket } from '../src/decode/packet.js';
import { LAB_FIXTURES, ROOT, run } from './helpers/cli.js';

const POINTS = ['client', 'router', 'server'] as const;
type Sender = 'client' | 'server' | 'middlebox';
const EXPECTED = JSON.parse(readFileSync(join(LAB_FIXTURES, 'expected.json'), 'utf8')) as Record<string, Array<{ frame: number; sender: Sender }>>;
const SCENARIOS = [...new Set(Object.keys(EXPECTED).map((f) => f.replace(/\.(client|router|server)\.pcap$/, '')))]
  .filter((s) => POINTS.every((p) => EXPECTED[`${s}.${p}.pcap`] && existsSync(join(LAB_FIXTURES, `${s}.${p}.pcap`))));

/**
 * Where a RST is born, from who sent it and the topology: client -- [router] -- server, the router capture
 * on the router's server-side veth. A genuine client RST is first seen at the client point, a genuine
 * server RST at the server point. Whatever the router forges is born inside the router, between the
 * client point and the router point, whichever way it is sent: toward the client it leaves by the
 * client-side veth (seen at the client only), toward the server by the captured veth (router and server).
 */
const BORN: Record<Sender, [string | null, string | null]> = {
  client: [null, 'client'], server: ['server', null], middlebox: ['client', 'router'],
};

const has = (tool: string, arg = '-h'): boolean => spawnSync(tool, [arg], { stdio: 'ignore' }).error === undefined;
const files = (s: string, dir = LAB_FIXTURES): string[] => POINTS.map((p) => join(dir, `${s}.${p}.pcap`));

/** The CLI's JSON document (for the command-line tests). */
function locateJson(args: string[]): LocateDoc {
  const r = run(['locate', ...args, '--format', 'json']);
  if (r.status !== 0) throw new Error(`rstscope exited ${r.status}: ${r.stderr.toString()}`);
  return JSON.parse(r.stdout.toString()) as LocateDoc;
}

/** In-process `locate` of a scenario's three captures (the bulk of the suite: no process per run). */
async function located(list: string[]): Promise<LocateDoc> {
  return JSON.parse(JSON.stringify((await locate(list, { names: [...POINTS] })).doc)) as LocateDoc;
}

/** The unchanged captures' answer, once per scenario. */
const baseline = new Map<string, Promise<LocateDoc>>();
function base(s: string): Promise<LocateDoc> {
  if (!baseline.has(s)) baseline.set(s, located(files(s)));
  return baseline.get(s)!;
}

/** Source ports the client (10.99.1.2 / fd99:1::2) uses in a capture. */
async function clientPorts(file: string): Promise<number[]> {
  const ports = new Set<number>();
  const p = newPacket();
  for await (const rec of readCapture(file)) {
    decodePacket(rec.data, rec.linktype, p, { verifyChecksums: false });
    const src = p.kind === KIND_TCP ? formatAddress(p.buf, p.srcOff, p.ipVersion) : '';
    if ((src === '10.99.1.2' || src === 'fd99:1::2') && p.sport > 1024) ports.add(p.sport);
  }
  return [...ports];
}

/** What must not change when clocks or addresses change. */
function verdicts(doc: LocateDoc): unknown[] {
  return doc.resets.map((r) => ({ frames: r.frames, born: r.born_between, sender: r.sender, cause: r.cause, origin: r.origin, lost: r.lost }));
}

function checkAgainstTruth(s: string, doc: LocateDoc): void {
  let copies = 0;
  for (const p of POINTS) {
    for (const e of EXPECTED[`${s}.${p}.pcap`] ?? []) {
      copies++;
      const hits = doc.resets.filter((r) => r.frames[p] === e.frame);
      expect(hits, `${s}: ${p} frame ${e.frame} located once`).toHaveLength(1);
      expect(hits[0]!.born_between, `${s}: ${p} frame ${e.frame} (${e.sender})`).toEqual(BORN[e.sender]);
      if (e.sender !== 'middlebox') expect(hits[0]!.sender).toBe(e.sender);
      if (e.sender === 'middlebox') expect(hits[0]!.origin).toBe('middlebox');
    }
  }
  const located = doc.resets.reduce((n, r) => n + Object.values(r.frames).filter((f) => f !== null).length, 0);
  expect(located, `${s}: every RST copy and nothing else`).toBe(copies);
}

describe.concurrent('locate: every RST of every three-point lab scenario', () => {
  it('has scenarios to check', () => expect(SCENARIOS.length).toBeGreaterThan(3));

  it.each(SCENARIOS)('%s', async (s) => {
    const doc = await base(s);
    expect(doc.points.map((p) => p.name)).toEqual([...POINTS]);
    for (const p of doc.points.slice(1)) expect(Math.abs(p.clock_offset_s ?? Infinity)).toBeLessThan(0.001); // one kernel clock
    checkAgainstTruth(s, doc);
  });
});

describe.skipIf(!has('editcap'))('locate: one capture shifted by 7.5 s (editcap -t 7.5)', { concurrent: true }, () => {
  it.each(SCENARIOS)('%s', async (s) => {
    const dir = mkdtempSync(join(tmpdir(), 'rstscope-clock-'));
    for (const p of ['client', 'server']) copyFileSync(join(LAB_FIXTURES, `${s}.${p}.pcap`), join(dir, `${s}.${p}.pcap`));
    const e = spawnSync('editcap', ['-t', '7.5', join(LAB_FIXTURES, `${s}.router.pcap`), join(dir, `${s}.router.pcap`)]);
    expect(e.status).toBe(0);
    const before = await base(s);
    const shifted = await located(files(s, dir));
    expect(shifted.points[1]!.clock_offset_s).toBeCloseTo(7.5, 3);
    expect(shifted.points[2]!.clock_offset_s).toBeCloseTo(0, 3);
    expect(verdicts(shifted)).toEqual(verdicts(before));
    expect(shifted.summary).toEqual(before.summary);
  });
});

describe.skipIf(!has('tcprewrite'))('locate: NAT on the router (tcprewrite on the router and server captures)', { concurrent: true }, () => {
  /** The client becomes 10.99.2.1 / fd99:2::1 (the router) past the router, each of its ports + 7. */
  async function natted(s: string, dir: string, p: string): Promise<void> {
    const src = join(LAB_FIXTURES, `${s}.${p}.pcap`);
    const out = join(dir, `${s}.${p}.pcap`);
    const map = (await clientPorts(src)).map((x) => `${x}:${x + 7}`).join(',');
    const ipmap = '10.99.1.2/32:10.99.2.1/32,[fd99:1::2/128]:[fd99:2::1/128]';
    const args = [`--srcipmap=${ipmap}`, `--dstipmap=${ipmap}`, ...(map ? [`--portmap=${map}`] : []), '--fixcsum', '-i', src, '-o', out];
    expect(spawnSync('tcprewrite', args).status).toBe(0);
  }

  it.each(SCENARIOS)('%s', async (s) => {
    const dir = mkdtempSync(join(tmpdir(), 'rstscope-nat-'));
    copyFileSync(join(LAB_FIXTURES, `${s}.client.pcap`), join(dir, `${s}.client.pcap`));
    await natted(s, dir, 'router');
    await natted(s, dir, 'server');
    const before = await base(s);
    const nat = await located(files(s, dir));
    expect(verdicts(nat)).toEqual(verdicts(before));
    expect(nat.summary.matched_connections).toBe(before.summary.matched_connections);
    // Tunnels (vxlan) keep their inner addresses: only the underlay was translated.
    const translated = (r: LocatedReset): boolean => /^(10\.99\.1\.2|\[fd99:1::2\]):/.test(r.src) || /^(10\.99\.1\.2|\[fd99:1::2\]):/.test(r.dst);
    for (const r of nat.resets.filter((x) => translated(x) && Object.values(x.frames).filter((f) => f !== null).length > 1)) {
      expect(r.evidence.join('\n')).toMatch(/addresses differ between points \(NAT\)/);
    }
  });
});

const NAT_LAB = join(ROOT, 'test/fixtures/nat');
describe.skipIf(!existsSync(join(NAT_LAB, 'nat.client.pcap')))('locate: real NAT (lab/nat.sh: SNAT of addresses and ports)', () => {
  const doc = (): Promise<LocateDoc> => located(files('nat', NAT_LAB));
  const byPort = (d: LocateDoc, port: number): LocatedReset => d.resets.find((r) => r.src.endsWith(`:${port}`) || r.dst.endsWith(`:${port}`))!;

  it('locates the forged, the server, the client and the retransmission RSTs through NAT', async () => {
    const d = await doc();
    expect(d.resets).toHaveLength(4);
    expect(d.summary.matched_connections).toBe(4);
    const forged = byPort(d, 8443);
    expect(forged.born_between).toEqual(['client', 'router']);
    expect(forged.cause).toBe('firewall-reject');
    expect(forged.lost[0]).toMatchObject({ from: 'client', to: 'router', syn: true });
    expect(byPort(d, 8081).born_between).toEqual(['server', null]);
    expect(byPort(d, 8082).born_between).toEqual([null, 'client']);
    const retrans = byPort(d, 8083);
    expect(retrans.born_between).toEqual([null, 'client']);
    expect(retrans.lost).toContainEqual(expect.objectContaining({ from: 'router', to: 'client', direction: 'server->client' }));
    expect(retrans.lost.find((l) => l.to === 'client')!.packets).toBeGreaterThanOrEqual(3);
  });
});

describe('locate: command line, HTML and analyze --points', () => {
  const s = SCENARIOS.includes('sample') ? 'sample' : SCENARIOS[0]!;

  it('writes a self-contained HTML ladder per RST, escaping what comes from the command line and captures', () => {
    const html = join(mkdtempSync(join(tmpdir(), 'rstscope-html-')), 'r.html');
    const r = run(['locate', ...files(s), '--names', 'c<i>l,r&"t,<script>s', '--html', html]);
    expect(r.status).toBe(0);
    const text = readFileSync(html, 'utf8');
    const doc = locateJson(files(s));
    expect(text.match(/<svg /g) ?? []).toHaveLength(doc.resets.length);
    expect(text).not.toMatch(/<script|<i>|src=|href=|@import|url\(/i);
    expect(text.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:/);
    expect(text).toContain('c&#60;i&#62;l');
  });

  it('analyze --points is locate --names', () => {
    const a = run(['analyze', ...files(s), '--points', POINTS.join(','), '--format', 'json']);
    expect(a.status).toBe(0);
    expect(JSON.parse(a.stdout.toString())).toEqual(locateJson(['--names', POINTS.join(','), ...files(s)]));
  });

  it('streams: tiny read chunks give the same answer', () => {
    expect(locateJson([...files(s), '--chunk-size', '7'])).toEqual(locateJson(files(s)));
  });

  it('prints text', () => {
    const r = run(['locate', ...files(s)]);
    expect(r.status).toBe(0);
    expect(r.stdout.toString()).toMatch(/capture points, in path order:/);
  });

  it.each([
    [['locate', join(LAB_FIXTURES, `${s}.client.pcap`)], 2],
    [['locate', ...files(s), '--names', 'a,b'], 2],
    [['locate', ...files(s), '--names', 'a,a,b'], 2],
    [['locate', '-', ...files(s)], 2],
    [['locate', ...files(s), '--format', 'ndjson'], 2],
    [['locate', join(LAB_FIXTURES, 'missing.pcap'), ...files(s)], 3],
  ])('%j exits %i', (args, code) => {
    expect(run(args).status).toBe(code);
  });
});
