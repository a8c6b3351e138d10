// Community ID v1 for TCP: known vectors (spec README example, Tenzir docs, values tshark 4.0 printed) and a
// live comparison with tshark's communityid dissector on a capture built here.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addr } from '../../test/build/packet-builders.js';
import { prng } from '../../test/build/prng.js';
import { Capture } from '../../test/build/tcp-conversation.js';
import { hasTshark } from '../../test/helpers/cli.js';
import { communityId } from './community-id.js';

function cid(src: string, sport: number, dst: string, dport: number, seed = 0): string {
  return communityId(Uint8Array.from(addr(src)), Uint8Array.from(addr(dst)), sport, dport, seed);
}

// [src, sport, dst, dport, seed, expected]
const VECTORS: Array<[string, number, string, number, number, string]> = [
  // community-id-spec README example (tcp 128.232.110.120:34855 -> 66.35.250.204:80); tshark agrees
  ['128.232.110.120', 34855, '66.35.250.204', 80, 0, '1:LQU9qZlK+B5F3KDmev6m5PMibrg='],
  // Tenzir's community_id() documentation example; tshark agrees
  ['1.2.3.4', 4584, '43.3.132.3', 3483, 0, '1:koNcqhFRD5kb254ZrLsdv630jCM='],
  // printed by tshark 4.0 --enable-protocol communityid for packets built by test/build
  ['10.0.0.1', 80, '10.0.0.1', 1000, 0, '1:gl99DdwFdh+zx4L91inYGRcOLP4='],
  ['2001:db8::1', 50000, '2001:db8::2', 443, 0, '1:YXqXufkGr4i6TbJJYF83fvyDLZ8='],
  ['fe80::200:86ff:fe05:80da', 135, 'fe80::260:97ff:fe07:69ea', 136, 0, '1:OSsc5FWuAekLIt3aLEAs6C4oqFI='],
  ['1.2.3.4', 4584, '43.3.132.3', 3483, 1, '1:CpT3TKIWO3LMRjNLTeDhGrCgnZw='], // tshark -o communityid.seed:1
];

describe('communityId: known vectors', () => {
  it.each(VECTORS)('%s:%i -> %s:%i seed %i = %s', (src, sport, dst, dport, seed, expected) => {
    expect(cid(src, sport, dst, dport, seed)).toBe(expected);
    // direction does not matter
    expect(cid(dst, dport, src, sport, seed)).toBe(expected);
  });

  it('equal addresses are ordered by port, and ports matter', () => {
    expect(cid('10.0.0.1', 1000, '10.0.0.1', 80)).toBe(cid('10.0.0.1', 80, '10.0.0.1', 1000));
    expect(cid('10.0.0.1', 1000, '10.0.0.1', 80)).not.toBe(cid('10.0.0.1', 1000, '10.0.0.1', 81));
  });

  it('has the v1 shape: "1:" + base64 of a SHA-1', () => {
    expect(cid('192.0.2.1', 1, '198.51.100.2', 2)).toMatch(/^1:[A-Za-z0-9+/]{27}=$/);
  });
});

/** Deterministic pseudo-random flows, IPv4 and IPv6, including equal addresses and edge ports. */
function flows(): Array<[string, number, string, number]> {
  let x = 0x12345678;
  const rnd = (n: number): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  const v4 = (): string => `${rnd(256)}.${rnd(256)}.${rnd(256)}.${rnd(256)}`;
  const v6 = (): string => `2001:db8:${rnd(65536).toString(16)}::${rnd(65536).toString(16)}:${rnd(65536).toString(16)}`;
  const out: Array<[string, number, string, number]> = [
    ['10.1.1.1', 0, '10.1.1.1', 65535],
    ['10.1.1.1', 65535, '10.1.1.2', 0],
    ['2001:db8::5', 443, '2001:db8::5', 444],
    ['::1', 1, '::2', 1],
  ];
  for (let i = 0; i < 40; i++) out.push([v4(), 1 + rnd(65535), v4(), 1 + rnd(65535)]);
  for (let i = 0; i < 20; i++) out.push([v6(), 1 + rnd(65535), v6(), 1 + rnd(65535)]);
  return out;
}

describe('communityId: the hand-written SHA-1 and base64 equal node:crypto', () => {
  it('on 5,000 random IPv4 and IPv6 tuples and seeds', () => {
    const rand = prng(5);
    const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
    for (let i = 0; i < 5000; i++) {
      const v = i % 2 ? 16 : 4;
      const a = bytes(v);
      const b = i % 97 === 0 ? a.slice() : bytes(v); // equal addresses now and then: ports decide the order
      const sp = Math.floor(rand() * 65536);
      const dp = Math.floor(rand() * 65536);
      const seed = i % 3 === 0 ? Math.floor(rand() * 65536) : 0;
      const cmp = Buffer.compare(a, b);
      const swap = cmp > 0 || (cmp === 0 && sp > dp);
      const [x, y, px, py] = swap ? [b, a, dp, sp] : [a, b, sp, dp];
      const msg = Buffer.concat([Buffer.from([seed >> 8, seed & 255]), x, y, Buffer.from([6, 0, px >> 8, px & 255, py >> 8, py & 255])]);
      expect(communityId(a, b, sp, dp, seed)).toBe('1:' + createHash('sha1').update(msg).digest('base64'));
    }
  });
});

describe.skipIf(!hasTshark())('communityId: equals tshark (communityid dissector)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rstscope-cid-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([0, 1, 4242])('seed %i, IPv4 and IPv6 flows in both directions', (seed) => {
    const fs = flows();
    const cap = new Capture();
    for (const [a, ap, b, bp] of fs) {
      cap.tcp({ ip: a, port: ap }, { ip: b, port: bp }, 'S', { seq: 1 });
      cap.tcp({ ip: b, port: bp }, { ip: a, port: ap }, 'SA', { seq: 9, ack: 2 });
    }
    const file = cap.write(join(dir, `flows-${seed}.pcap`));
    const r = spawnSync('tshark', ['-r', file, '--enable-protocol', 'communityid', '-o', `communityid.seed:${seed}`, '-T', 'fields', '-e', 'communityid']);
    const theirs = r.stdout.toString().split('\n').filter(Boolean);
    expect(theirs).toHaveLength(fs.length * 2);
    const ours = fs.flatMap(([a, ap, b, bp]) => [cid(a, ap, b, bp, seed), cid(b, bp, a, ap, seed)]);
    expect(ours).toEqual(theirs);
  });
});
