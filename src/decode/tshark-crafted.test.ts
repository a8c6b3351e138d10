// Crafted encapsulations written to pcap files and dissected by tshark: where tshark (default
// preferences) decodes the inner TCP, we must agree on it and not call it streamless; where it does
// not, we must call it streamless (or not TCP). This is how the streamless rules were found.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eth, ext6, fabricPath, frag6, ipv4, ipv6, loopback, mpls, sll, sll2, vlan } from '../../test/build/packet-builders.js';
import { decode } from '../../test/build/packet-decode.js';
import { pcapFile } from '../../test/build/packet-pcap.js';
import { tcp, udp } from '../../test/build/packet-transport.js';
import { geneve, gre, gtpu, teredo, vxlan } from '../../test/build/packet-tunnels.js';
import { KIND_TCP } from './packet.js';

const TSHARK = '/usr/bin/tshark';
const SEG = tcp({ sport: 1234, dport: 80, seq: 0xabcdef01, flags: 'RA' });
const IN4 = ipv4({ src: '10.0.0.1', dst: '10.0.0.2' }, SEG);
const IN6 = ipv6({}, SEG);
const over = (p: Uint8Array, sport: number, dport: number) => eth(ipv4({ proto: 17 }, udp(p, sport, dport)));

const CASES: Record<string, Array<[string, Uint8Array]>> = {
  1: [
    ['vxlan 4789', over(vxlan(eth(IN4)), 50000, 4789)], ['vxlan 8472', over(vxlan(eth(IN4)), 50000, 8472)],
    ['vxlan 4789 behind 53', over(vxlan(eth(IN4)), 53, 4789)], ['geneve eth', over(geneve(eth(IN4)), 50000, 6081)],
    ['geneve ipv6+opts', over(geneve(IN6, 0x86dd, [1, 2, 3, 1, 1, 2, 3, 4]), 50000, 6081)],
    ['gtp-u', over(gtpu(IN4), 2152, 2152)], ['gtp-u seq+ext', over(gtpu(IN6, { seq: 7, ext: [[0x85, [0x10, 5]]] }), 40000, 2152)],
    ['teredo 3544', over(teredo(IN6), 3544, 50000)], ['teredo auth+origin', over(teredo(IN6, { auth: { id: [1, 2], value: [3] }, origin: true }), 50000, 3544)],
    ['teredo other ports', over(teredo(IN6), 3797, 32900)],
    ['gre', eth(ipv4({ proto: 47 }, gre(IN4)))], ['gre c/k/s ipv6', eth(ipv4({ proto: 47 }, gre(IN6, { protocol: 0x86dd, checksum: true, key: 5, seq: 9 })))],
    ['gre teb', eth(ipv4({ proto: 47 }, gre(eth(IN4), { protocol: 0x6558 })))],
    ['ipip', eth(ipv4({ proto: 4 }, IN4))], ['6in4', eth(ipv4({ proto: 41 }, IN6))],
    ['4in6', eth(ipv6({ next: 4 }, IN4), { type: 0x86dd })], ['6in6', eth(ipv6({ next: 41 }, IN6), { type: 0x86dd })],
    ['fabricpath', fabricPath(eth(IN4))], ['mpls', eth(mpls(IN4, [100, 200]), { type: 0x8847 })],
    ['qinq', eth(vlan(vlan(IN4, 20), 10, 0x8100), { type: 0x88a8 })], ['0x9100', eth(vlan(IN4, 20), { type: 0x9100 })],
    ['gre+vxlan', eth(ipv4({ proto: 47 }, gre(ipv4({ proto: 17 }, udp(vxlan(eth(IN4)), 50000, 4789)))))],
    ['vxlan 8472 + gtp-u', over(vxlan(eth(ipv4({ proto: 17 }, udp(gtpu(IN4), 2152, 2152)))), 50000, 8472)],
    ['ipv6 ext chain', eth(ipv6({ next: 0 }, ext6(60, ext6(44, frag6(6, SEG, 0, false)))), { type: 0x86dd })],
  ],
  113: [['sll', sll(IN4)]],
  276: [['sll2', sll2(IN6, 0x86dd)]],
  0: [['null le', loopback(IN4, 2, true)], ['null v6', loopback(IN6, 30, true)]],
  108: [['loop', loopback(IN4, 2, false)], ['loop v6', loopback(IN6, 24, false)]],
  101: [['raw v4', IN4], ['raw v6', IN6]],
  12: [['raw 12', IN4]],
  14: [['raw 14', IN6]],
  228: [['ipv4', IN4]],
  229: [['ipv6', IN6]],
};

const dir = existsSync(TSHARK) ? mkdtempSync(join(tmpdir(), 'rstscope-decode-')) : '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!dir)(`crafted encapsulations agree with tshark${dir ? '' : ' (skipped: tshark is not installed)'}`, () => {
  for (const [lt, cases] of Object.entries(CASES)) {
    it(`link type ${lt}: ${cases.map(([n]) => n).join(', ')}`, () => {
      const file = join(dir, `lt${lt}.pcap`);
      writeFileSync(file, pcapFile(Number(lt), cases.map(([, f]) => f)));
      const text = execFileSync(TSHARK, ['-r', file, '-n', '-T', 'fields', '-e', 'frame.protocols', '-e', 'tcp.srcport', '-e', 'tcp.seq_raw'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const rows = text.trimEnd().split('\n');
      cases.forEach(([name, frame], i) => {
        const [protos = '', sport = '', seq = ''] = (rows[i] ?? '').split('\t');
        const sharkTcp = protos.split(':').includes('tcp');
        const p = decode(frame, Number(lt));
        expect(p.kind, `${name}: ${p.problem}`).toBe(KIND_TCP);
        expect(p.streamless, `${name}: tshark says ${protos}`).toBe(!sharkTcp);
        if (sharkTcp) expect([p.sport, p.seq], name).toEqual([Number(sport), Number(seq)]);
      });
    });
  }
});
