// Container conformance: the same packets as pcap / pcapng (LE and BE), µs and ns, gzip, stdin and tiny read
// chunks must give IDENTICAL JSON (only `file` and `captures[].format` may differ; ns files may add 3 digits to
// each timestamp). Conversions are made at test time with editcap (Wireshark) and the test builders.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsync } from './build/cli-async.js';
import { parsePcap, toBigEndianPcap, toBigEndianPcapng } from './build/pcap-convert.js';
import { capturesIn, LAB_FIXTURES, PEER_TRACES, ROOT } from './helpers/cli.js';

const PEER = [
  'pop3.pcap', 'ssh.pcap', 'Teredo.pcap', 'modbus-and-non-modbus-p502.pcap', 'mixed-vlan-mpls.pcap', 'ipv6.pcap',
  'syn-then-rst.pcap', 'missing_ldap_logs.pcapng',
].map((f) => join(PEER_TRACES, f)).filter((f) => existsSync(f));
const SOURCES = [...PEER, ...capturesIn(LAB_FIXTURES), ...capturesIn(join(ROOT, 'test/fixtures'))];

// Why editcap is needed: it is the independent writer of pcapng (LE) and of ns pcap we check against.
const hasEditcap = spawnSync('editcap', ['-h'], { stdio: 'ignore' }).status === 0;

/** Tiny chunks cost a read per byte: --chunk-size 1 only below this size, --chunk-size 7 below the next. */
const CHUNK1_MAX = 32 * 1024;
const CHUNK7_MAX = 128 * 1024;
const CHUNK7_PCAPNG_MAX = 600 * 1024;
/** Sources piped through stdin: the peer traces and the first few lab fixtures (each is one CLI run). */
const STDIN_SOURCES = PEER.length + 4;

type Doc = {
  captures: Array<Record<string, unknown> & { file: string }>;
  connections: Array<Record<string, unknown> & { file: string }>;
  resets: Array<Record<string, unknown> & { file: string }>;
  findings: Array<Record<string, unknown>>;
  summary: Record<string, unknown>;
};

interface Source {
  name: string;
  size: number;
  usPcap: string;
  usPcapng: string;
  usBePcap: string;
  usBePcapng: string;
  usGz: string;
  usPcapngGz: string;
  nsPcap: string;
  nsPcapng: string;
  nsBePcap: string;
  nsBePcapng: string;
  /** The original file when its timestamps are µs (it then belongs to the µs group). */
  original: string | null;
}

let dir = '';
const sources: Source[] = [];
const skipped: string[] = [];

function editcap(format: string, from: string, to: string): void {
  const r = spawnSync('editcap', ['-F', format, from, to]);
  if (r.status !== 0) throw new Error(`editcap -F ${format} ${from}: ${r.stderr.toString().trim()}`);
}

/** Does this pcap/pcapng (possibly gzip) carry ns timestamps? (classic magic, or any IDB with if_tsresol 9) */
function isNanos(file: string): boolean {
  let b = readFileSync(file);
  if (b[0] === 0x1f && b[1] === 0x8b) b = gunzipSync(b);
  const le = b.readUInt32LE(0);
  if (le === 0xa1b23c4d || b.readUInt32BE(0) === 0xa1b23c4d) return true;
  if (le !== 0x0a0d0d0a) return false;
  // capinfos prints the resolution of every interface
  const r = spawnSync('capinfos', ['-M', '-T', '-r', file]);
  return /nanosecond|10\^-9|1e-09/i.test(r.stdout.toString());
}

function prepare(src: string, i: number): Source {
  const p = (suffix: string): string => join(dir, `s${i}.${suffix}`);
  const s: Source = {
    name: basename(src), size: statSync(src).size, usPcap: p('us.pcap'), usPcapng: p('us.pcapng'),
    usBePcap: p('us-be.pcap'), usBePcapng: p('us-be.pcapng'), usGz: p('us.pcap.gz'), usPcapngGz: p('us.pcapng.gz'),
    nsPcap: p('ns.pcap'), nsPcapng: p('ns.pcapng'), nsBePcap: p('ns-be.pcap'), nsBePcapng: p('ns-be.pcapng'),
    original: null,
  };
  editcap('pcap', src, s.usPcap);
  editcap('pcapng', s.usPcap, s.usPcapng);
  editcap('nsecpcap', src, s.nsPcap);
  editcap('pcapng', s.nsPcap, s.nsPcapng);
  const us = parsePcap(readFileSync(s.usPcap));
  const ns = parsePcap(readFileSync(s.nsPcap));
  expect(us.nanos).toBe(false);
  expect(ns.nanos).toBe(true);
  expect(ns.records.length).toBe(us.records.length);
  writeFileSync(s.usBePcap, toBigEndianPcap(us));
  writeFileSync(s.usBePcapng, toBigEndianPcapng(us));
  writeFileSync(s.nsBePcap, toBigEndianPcap(ns));
  writeFileSync(s.nsBePcapng, toBigEndianPcapng(ns));
  writeFileSync(s.usGz, gzipSync(readFileSync(s.usPcap)));
  writeFileSync(s.usPcapngGz, gzipSync(readFileSync(s.usPcapng)));
  if (!isNanos(src)) s.original = src;
  return s;
}

/** Runs `analyze FILES --format json ...extra` (or stdin when `input` is given) and parses the document. */
async function analyze(files: string[], extra: string[] = [], input?: Uint8Array): Promise<Doc> {
  const r = await runAsync(['analyze', ...files, '--format', 'json', ...extra], input);
  // Damaged captures (exit 4) still print a valid document; anything else is a failure of this suite.
  expect([0, 4], `exit ${r.status}: ${r.stderr}`).toContain(r.status);
  return JSON.parse(r.stdout) as Doc;
}

/** The summary the CLI must print for a document's records (SummaryCounter's rules). */
function derivedSummary(d: Doc): Record<string, unknown> {
  const bump = (m: Record<string, number>, k: string): void => void (m[k] = (m[k] ?? 0) + 1);
  // A capture duplicate (duplicate_of set) is not a second RST: the summary does not count it.
  const resets = d.resets.filter((r) => r.duplicate_of === null);
  const s = { packets: 0, connections: d.connections.length, resets: resets.length, icmp_errors: 0, by_state: {}, resets_by_phase: {}, resets_by_sender: {}, resets_by_cause: {} };
  for (const c of d.captures) {
    s.packets += c.packets as number;
    s.icmp_errors += c.icmp_errors as number;
  }
  for (const c of d.connections) bump(s.by_state, c.state as string);
  for (const r of resets) {
    bump(s.resets_by_phase, r.phase as string);
    bump(s.resets_by_sender, r.sender as string);
    bump(s.resets_by_cause, r.cause as string);
  }
  return s;
}

/** One source's part of a (possibly multi-file) document, with `file` and `format` neutralised. */
function slice(d: Doc, file: string): unknown {
  const mine = <T extends { file: string }>(xs: T[]): Array<Omit<T, 'file'>> =>
    xs.filter((x) => x.file === file).map(({ file: _f, ...rest }) => rest);
  const captures = mine(d.captures).map(({ format: _fmt, ...rest }) => rest);
  expect(captures.length, `one capture record for ${file}`).toBe(1);
  return {
    captures, connections: mine(d.connections), resets: mine(d.resets),
    findings: d.findings.filter((f) => f.file === undefined || f.file === file).map(({ file: _f, ...rest }) => rest),
  };
}

/** Drops the sub-µs digits of every ISO timestamp (ns documents vs µs documents). */
function toMicros(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x).replace(/(T\d{2}:\d{2}:\d{2}\.\d{6})\d{3}Z/g, '$1Z'));
}

function hasNanoDigits(x: unknown): boolean {
  return /T\d{2}:\d{2}:\d{2}\.\d{9}Z/.test(JSON.stringify(x));
}

// Skipped (with this reason in its title) when Wireshark's editcap is not installed.
describe.skipIf(!hasEditcap)('container conformance (needs editcap: conversions are made at test time)', () => {
  const ref = new Map<string, unknown>(); // source name -> slice of the µs pcap reference
  const nsRef = new Map<string, unknown>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rstscope-conf-'));
    SOURCES.forEach((src, i) => {
      try {
        sources.push(prepare(src, i));
      } catch (e) {
        // e.g. a pcapng with several link types cannot become one classic pcap
        skipped.push(`${basename(src)}: ${(e as Error).message}`);
      }
    });
    const [us, ns] = await Promise.all([analyze(sources.map((s) => s.usPcap)), analyze(sources.map((s) => s.nsPcap))]);
    expect(us.summary).toEqual(derivedSummary(us));
    expect(ns.summary).toEqual(derivedSummary(ns));
    for (const s of sources) {
      ref.set(s.name, slice(us, s.usPcap));
      nsRef.set(s.name, slice(ns, s.nsPcap));
    }
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has the peer traces and every lab fixture converted', () => {
    expect(PEER.length, 'peer traces present').toBeGreaterThanOrEqual(6);
    // a lab capture editcap cannot turn into one classic pcap (several link types) is skipped, with its reason
    if (skipped.length > 0) console.warn(`conformance: skipped\n${skipped.join('\n')}`);
    const peerNames = new Set(PEER.map((f) => basename(f)));
    expect(skipped.filter((s) => peerNames.has(s.split(':')[0]!)), 'peer traces editcap could not convert').toEqual([]);
    expect(sources.length).toBeGreaterThanOrEqual(PEER.length);
    // the references must be real analyses, not empty documents
    const resets = [...ref.values()].reduce((n: number, d) => n + (d as { resets: unknown[] }).resets.length, 0);
    expect(resets).toBeGreaterThan(5);
  });

  /** Runs one variant over a set of sources (one CLI call) and compares each slice with the reference. */
  async function expectSame(
    label: string, pick: (s: Source) => string, opts: { extra?: string[]; filter?: (s: Source) => boolean; nanos?: boolean } = {},
  ): Promise<void> {
    const chosen = sources.filter(opts.filter ?? (() => true));
    expect(chosen.length, `${label}: sources`).toBeGreaterThan(0);
    const doc = await analyze(chosen.map(pick), opts.extra);
    expect(doc.summary, `${label}: summary`).toEqual(derivedSummary(doc));
    for (const s of chosen) expect(slice(doc, pick(s)), `${label}: ${s.name}`).toEqual((opts.nanos ? nsRef : ref).get(s.name));
  }

  it('µs: editcap pcapng (LE, default if_tsresol 6) == pcap', () => expectSame('pcapng', (s) => s.usPcapng));
  it('µs: big-endian pcap == pcap', () => expectSame('BE pcap', (s) => s.usBePcap));
  it('µs: big-endian pcapng (if_tsresol=6) == pcap', () => expectSame('BE pcapng', (s) => s.usBePcapng));
  it('µs: gzip pcap and gzip pcapng == pcap', async () => {
    await expectSame('pcap.gz', (s) => s.usGz);
    await expectSame('pcapng.gz', (s) => s.usPcapngGz);
  });
  it('µs: the original files (pcap and pcapng as shipped) == pcap', () =>
    expectSame('original', (s) => s.original!, { filter: (s) => s.original !== null }));
  it('µs: --chunk-size 7 (pcap, pcapng, gzip) == default chunks', async () => {
    const small = { filter: (s: Source): boolean => s.size <= CHUNK7_MAX, extra: ['--chunk-size', '7'] };
    await Promise.all([
      expectSame('pcap chunk 7', (s) => s.usPcap, small),
      expectSame('pcapng chunk 7', (s) => s.usPcapng, { ...small, filter: (s: Source): boolean => s.size <= CHUNK7_PCAPNG_MAX }),
      expectSame('pcap.gz chunk 7', (s) => s.usGz, small),
      // the big ones at least with an odd chunk that is not a multiple of any record or block size
      expectSame('pcapng chunk 4093', (s) => s.usPcapng, { extra: ['--chunk-size', '4093'] }),
    ]);
  });
  it('µs: --chunk-size 1 (pcap, BE pcapng, gzip pcapng) == default chunks', async () => {
    const tiny = { filter: (s: Source): boolean => s.size <= CHUNK1_MAX, extra: ['--chunk-size', '1'] };
    await Promise.all([
      expectSame('pcap chunk 1', (s) => s.usPcap, tiny),
      expectSame('BE pcapng chunk 1', (s) => s.usBePcapng, tiny),
      expectSame('pcapng.gz chunk 1', (s) => s.usPcapngGz, { ...tiny, filter: (s) => s.size <= CHUNK1_MAX / 4 }),
    ]);
  });
  it('µs: stdin (pcap, and gzip pcapng with --chunk-size 7) == file', async () => {
    await Promise.all(sources.slice(0, STDIN_SOURCES).map(async (s) => {
      const a = await analyze(['-'], [], readFileSync(s.usPcap));
      expect(a.summary).toEqual(derivedSummary(a));
      expect(a.captures.map((c) => c.file)).toEqual(['-']);
      expect(slice(a, '-'), `stdin pcap: ${s.name}`).toEqual(ref.get(s.name));
      const b = await analyze(['-'], s.size <= CHUNK7_MAX ? ['--chunk-size', '7'] : [], readFileSync(s.usPcapngGz));
      expect(slice(b, '-'), `stdin pcapng.gz: ${s.name}`).toEqual(ref.get(s.name));
    }));
  });

  it('ns: the ns pcap really has 9-digit timestamps', () => {
    for (const s of sources) {
      const d = nsRef.get(s.name) as { captures: Array<{ first: string | null }> };
      if (d.captures[0]!.first !== null) expect(hasNanoDigits(d), s.name).toBe(true);
    }
  });
  it('ns: editcap pcapng (if_tsresol=9) == ns pcap', () => expectSame('ns pcapng', (s) => s.nsPcapng, { nanos: true }));
  it('ns: big-endian ns pcap and big-endian pcapng (if_tsresol=9) == ns pcap', async () => {
    await expectSame('ns BE pcap', (s) => s.nsBePcap, { nanos: true });
    await expectSame('ns BE pcapng', (s) => s.nsBePcapng, { nanos: true });
  });
  it('ns: --chunk-size 7 pcapng == ns pcap', () =>
    expectSame('ns pcapng chunk 7', (s) => s.nsPcapng, { nanos: true, filter: (s) => s.size <= CHUNK7_MAX, extra: ['--chunk-size', '7'] }));
  it('ns vs µs: identical except the 3 extra timestamp digits', () => {
    // sources whose own timestamps are ns lose digits in the µs pcap: only µs originals are compared
    const usOriginals = sources.filter((s) => s.original !== null);
    expect(usOriginals.length).toBeGreaterThan(0);
    for (const s of usOriginals) expect(toMicros(nsRef.get(s.name)), s.name).toEqual(ref.get(s.name));
  });
});
