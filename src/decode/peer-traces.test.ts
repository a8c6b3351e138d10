// Cross-check against tshark on the Zeek peer traces: for every frame tshark decodes as TCP (outside
// ICMP, not on a reassembled IP packet), our ports, raw seq, flags and payload length must agree; and
// every frame we call TCP and not streamless must be one tshark decodes as TCP. (tshark's tcp.flags has
// 12 bits: the 3 reserved bits above NS are masked off, our contract has 9.)

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../capture/read.js';
import { decodePacket } from './decode-packet.js';
import { KIND_TCP, newPacket } from './packet.js';

const TRACES = resolve(import.meta.dirname, '../../../shared/peer/zeek/traces');
const TSHARK = '/usr/bin/tshark';
const FIELDS = ['frame.number', 'frame.protocols', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.flags', 'tcp.len',
  'ip.flags.mf', 'ipv6.fraghdr.more', 'ip.reassembled.length', 'ipv6.reassembled.length'];

const skipReason = !existsSync(TSHARK) ? 'tshark is not installed'
  : !existsSync(TRACES) ? `${TRACES} is missing` : '';
const traces = skipReason ? [] : readdirSync(TRACES).filter((f) => /\.pcap(ng)?$/.test(f)).sort();

interface SharkFrame {
  tcp: boolean; // TCP outside ICMP, on an unfragmented (not reassembled) IP packet
  fragment: boolean; // some IP header in the frame has more fragments following, or was reassembled
  sport: number;
  dport: number;
  seq: number;
  flags: number;
  len: number;
}

describe.skipIf(skipReason !== '')(`decodePacket agrees with tshark on the peer traces${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it.each(traces.length ? traces : ['none'])('%s', async (name) => {
    const path = join(TRACES, name);
    const shark = runTshark(path);
    const p = newPacket();
    let compared = 0;
    let badChecksums = 0;
    for await (const rec of readCapture(path)) {
      decodePacket(rec.data, rec.linktype, p, { verifyChecksums: true });
      if (p.checksumOk === false) badChecksums++;
      const s = shark.get(rec.frame);
      const where = `${name} frame ${rec.frame}`;
      if (s?.tcp) {
        expect(p.kind, `${where}: kind (${p.problem})`).toBe(KIND_TCP);
        expect([p.sport, p.dport, p.seq, p.flags, p.payloadLen], where).toEqual([s.sport, s.dport, s.seq, s.flags, s.len]);
        expect(p.streamless, `${where}: streamless`).toBe(false);
        compared++;
      } else if (p.kind === KIND_TCP && !p.streamless && !s?.fragment) {
        expect.fail(`${where}: we decode TCP (tunnel '${p.tunnel}') that tshark does not`);
      }
    }
    const expected = [...shark.values()].filter((s) => s.tcp).length;
    expect(compared).toBe(expected);
    // The suite measured bad checksums with tshark 4.0; ours must count the same packets.
    const facts = join(TRACES, '..', 'expected', `${name}.json`);
    if (existsSync(facts)) {
      const json = JSON.parse(readFileSync(facts, 'utf8')) as { trace_facts?: { bad_checksum_packets?: number } };
      const want = json.trace_facts?.bad_checksum_packets;
      if (want !== undefined) expect(badChecksums, 'packets with a bad checksum').toBe(want);
    }
  });
});

/** tshark's view of every frame, keyed by frame number. */
function runTshark(path: string): Map<number, SharkFrame> {
  const args = ['-r', path, '-n', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,'];
  for (const f of FIELDS) args.push('-e', f);
  const text = execFileSync(TSHARK, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
  const frames = new Map<number, SharkFrame>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [num = '', protos = '', sport = '', dport = '', seq = '', flags = '', len = '', mf = '', more = '', re4 = '', re6 = ''] = line.split('\t');
    const layers = protos.split(':');
    const fragment = mf.includes('1') || more.includes('1') || re4 !== '' || re6 !== '';
    const tcp = layers.includes('tcp') && !layers.includes('icmp') && !layers.includes('icmpv6') && re4 === '' && re6 === '';
    frames.set(Number(num), { tcp, fragment, sport: Number(sport), dport: Number(dport), seq: Number(seq), flags: Number(flags) & 0x1ff, len: Number(len) });
  }
  return frames;
}
