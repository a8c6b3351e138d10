// RST frame numbers, tcp.stream ids and Community IDs must agree with tshark (Debian 12's 4.0, default preferences).
import { spawnSync } from 'node:child_process';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCaptures, analyzeJson, hasTshark } from './helpers/cli.js';

const captures = allCaptures();

function tshark(file: string, args: string[]): string[][] {
  const r = spawnSync('tshark', ['-r', file, ...args], { maxBuffer: 1 << 28 });
  return r.stdout.toString().split('\n').filter(Boolean).map((l) => l.split('\t'));
}

describe.skipIf(!hasTshark())('tshark oracle', () => {
  it('has captures to check', () => {
    expect(captures.length).toBeGreaterThan(10);
  });

  it.each(captures.map((f) => [basename(f), f]))('%s: RST frames and streams equal tshark', (_name, file) => {
    const doc = analyzeJson(file);
    const expected = tshark(file, ['-Y', 'tcp.flags.reset==1 && !icmp && !icmpv6', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream'])
      .map(([frame, stream]) => `${frame} ${stream}`);
    const tsharkFrames = new Set(expected.map((l) => l.split(' ')[0]));
    const ours = doc.resets.slice().sort((a, b) => a.frame - b.frame);
    // Connections rstscope decodes inside tunnels tshark ignores carry stream null: tshark lists none of them.
    expect(ours.filter((r) => r.stream === null && tsharkFrames.has(String(r.frame)))).toEqual([]);
    expect(ours.filter((r) => r.stream !== null).map((r) => `${r.frame} ${r.stream}`)).toEqual(expected);
  });

  it.each(captures.map((f) => [basename(f), f]))('%s: each connection\'s stream and Community ID equal tshark\'s for its first frame', (_name, file) => {
    const doc = analyzeJson(file);
    const rows = tshark(file, ['--enable-protocol', 'communityid', '-Y', 'tcp && !icmp && !icmpv6', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'communityid']);
    const byFrame = new Map(rows.map(([frame, stream, cid]) => [Number(frame), { stream: Number(stream), cid: cid?.split(',').at(-1) }]));
    for (const c of doc.connections) {
      if (c.stream === null) continue;
      const t = byFrame.get(c.first_frame);
      expect(t, `frame ${c.first_frame} is TCP for tshark`).toBeDefined();
      expect(c.stream, `connection ${c.id} (frame ${c.first_frame})`).toBe(t!.stream);
      expect(c.community_id, `connection ${c.id}`).toBe(t!.cid);
    }
  });
});
