// No evidence line may state what the capture contradicts. For every RST of both labs, the Zeek traces and the
// judged external captures: each frame an evidence line cites exists and lies in the RST's tcp.stream (tshark's numbering), and the claims
// "one-sided", "no earlier packet of this 4-tuple" and "after / before the SYN/ACK" hold on the wire.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeJson, capturesIn, hasTshark, LAB_FIXTURES, PEER_TRACES, ROOT } from './helpers/cli.js';

interface Frame { stream: number | null; src: string; flags: string }

/** tshark's view of a capture: each TCP frame's stream, source endpoint and flags (outermost TCP header). */
function tsharkFrames(file: string): Map<number, Frame> {
  const r = spawnSync('tshark', ['-r', file, '-Y', 'tcp && !icmp && !icmpv6', '-T', 'fields', '-E', 'occurrence=f', '-e', 'frame.number',
    '-e', 'tcp.stream', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'tcp.srcport', '-e', 'tcp.flags.str'], { maxBuffer: 1 << 28 });
  const out = new Map<number, Frame>();
  for (const line of r.stdout.toString().split('\n')) {
    const [frame, stream, v4, v6, port, flags] = line.split('\t');
    if (!frame) continue;
    out.set(Number(frame), { stream: stream ? Number(stream) : null, src: `${v6 || v4}:${port}`, flags: flags ?? '' });
  }
  return out;
}

const EXTERNAL = resolve(ROOT, '../shared/peer/external/captures');
const JUDGED = join(ROOT, 'test/fixtures/external/judged.json');
const external = existsSync(EXTERNAL) ? Object.keys(JSON.parse(readFileSync(JUDGED, 'utf8')).files as object).map((f) => join(EXTERNAL, f)) : [];
const files = [...capturesIn(LAB_FIXTURES), ...capturesIn(join(ROOT, 'test/fixtures/lab2')), ...capturesIn(PEER_TRACES), ...external];

describe.skipIf(!hasTshark() || files.length === 0)('evidence holds on the wire', () => {
  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))('%s', (_name, file) => {
    const doc = analyzeJson(file);
    if (doc.resets.length === 0) return;
    const frames = tsharkFrames(file);
    const problems: string[] = [];
    for (const r of doc.resets) {
      const evidence = r['evidence'] as string[];
      const own = frames.get(r.frame);
      // Tunnels tshark does not decode by default have no stream: nothing to compare with.
      if (r.stream === null || !own || own.stream !== r.stream) continue;
      if (r['duplicate_of'] !== null) continue; // a copy carries its original's evidence, and says so
      const stream = [...frames].filter(([, f]) => f.stream === r.stream);
      const at = `#${r.frame}`;
      for (const line of evidence) {
        if (line.startsWith('Wireshark filter') || line.includes('ICMP type')) continue;
        for (const m of line.matchAll(/\bframes? (\d+)/g)) {
          const cited = frames.get(Number(m[1]));
          if (!cited) problems.push(`${at}: cites frame ${m[1]}, not a TCP frame of the capture: ${line}`);
          else if (cited.stream !== r.stream) problems.push(`${at}: cites frame ${m[1]} of stream ${cited.stream}, not ${r.stream}: ${line}`);
        }
        if (line.startsWith('one-sided capture')) {
          const sources = new Set(stream.map(([, f]) => f.src));
          if (sources.size > 1) problems.push(`${at}: says one-sided, but both directions of stream ${r.stream} were captured`);
        }
        if (line.startsWith('no earlier packet of this 4-tuple') && stream[0]![0] !== r.frame) {
          problems.push(`${at}: says no earlier packet of the 4-tuple, but frame ${stream[0]![0]} came before`);
        }
        const synAcks = stream.filter(([, f]) => f.flags.includes('S') && f.flags.includes('A')).map(([n]) => n);
        if (/ after the SYN\/ACK/.test(line) && !synAcks.some((n) => n < r.frame)) problems.push(`${at}: says after the SYN/ACK, none before it`);
        if (/ before the SYN\/ACK/.test(line) && !synAcks.some((n) => n > r.frame)) problems.push(`${at}: says before the SYN/ACK, none after it`);
      }
    }
    expect(problems).toEqual([]);
  });
});
