// ICMP errors quoting a connection's segments are evidence for its RSTs and are counted next to them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eth, ipv4 } from './build/packet-builders.js';
import { pcapFile } from './build/packet-pcap.js';
import { icmp4, tcp } from './build/packet-transport.js';
import { analyzeJson } from './helpers/cli.js';

describe('ICMP errors as evidence', () => {
  const client = '192.0.2.1';
  const server = '198.51.100.2';
  const syn = ipv4({ src: client, dst: server, id: 7 }, tcp({ sport: 40000, dport: 80, seq: 1000, flags: 'S', window: 64240 }));
  // ICMP destination unreachable, code 13 (communication administratively prohibited), quoting the SYN.
  const icmp = ipv4({ src: '203.0.113.1', dst: client, proto: 1 }, icmp4(3, 13, syn.subarray(0, 28)));
  const rst = ipv4({ src: server, dst: client, ttl: 60 }, tcp({ sport: 80, dport: 40000, seq: 0, ack: 1001, flags: 'RA', window: 0 }));
  const file = join(mkdtempSync(join(tmpdir(), 'rstscope-icmp-')), 'icmp.pcap');
  writeFileSync(file, pcapFile(1, [eth(syn), eth(icmp), eth(rst)]));
  const doc = analyzeJson(file);

  it('quotes the ICMP error in the RST evidence, with its sender and frame', () => {
    expect(doc.resets).toHaveLength(1);
    const ev = doc.resets[0]!.evidence as string[];
    expect(ev.some((e) => /ICMP type 3 code 13 from 203\.0\.113\.1 \(frame 2\)/.test(e))).toBe(true);
    expect(ev.at(-1)).toMatch(/^Wireshark filter: frame\.number in \{1, 2, 3\}/);
  });

  it('counts ICMP errors next to RSTs, and never as RSTs or packets of a connection', () => {
    expect((doc.summary as { icmp_errors: number }).icmp_errors).toBe(1);
    expect((doc.summary as { resets: number }).resets).toBe(1);
    expect(doc.connections).toHaveLength(1);
    expect(doc.connections[0]!.packets).toBe(2);
  });
});
