import { describe, expect, it } from 'vitest';
import { cat, eth, hex, ipv4, ipv6 } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { flagBits, tcp } from '../../test/build/packet-transport.js';
import { formatAddress } from './address.js';
import { ACK, CWR, ECE, FIN, KIND_MALFORMED, KIND_TCP, NS, PSH, RST, SYN, URG } from './packet.js';

// single-rst.pcap frame 1:
// 17:57:43.527343 IP 10.0.0.10.48777 > 10.0.0.80.80: Flags [R], seq 0, win 8192, length 0
const SINGLE_RST = hex(`b8f8 5339 4f1e f018 9879 e86b 0800 4500
  0028 0001 0000 4006 6676 0a00 000a 0a00
  0050 be89 0050 0000 0000 0000 0000 5004
  2000 bcad 0000`);

describe('tcp: known packet', () => {
  it('decodes every field of a real RST', () => {
    const p = decode(SINGLE_RST, 1, true);
    expect(p.kind).toBe(KIND_TCP);
    expect(formatAddress(p.buf, p.srcOff, p.ipVersion)).toBe('10.0.0.10');
    expect(formatAddress(p.buf, p.dstOff, p.ipVersion)).toBe('10.0.0.80');
    expect(p).toMatchObject({
      ipVersion: 4, ttl: 64, ipId: 1, df: false, tunnel: '', streamless: false,
      sport: 48777, dport: 80, seq: 0, ack: 0, flags: RST, window: 8192, urgent: 0,
      tcpHeaderLen: 20, payloadLen: 0, payloadOff: 54, capturedPayloadLen: 0,
      mss: -1, wscale: -1, sackPermitted: false, sackBlocks: 0, tsVal: -1, tsEcr: -1, optionKinds: '',
      optionsMalformed: false, checksumOk: true, icmpType: -1, icmpCode: -1, icmpMtu: -1, problem: '',
    });
  });

  it('reads all 9 flag bits', () => {
    const p = decode(eth(ipv4({}, tcp({ flags: 'FSRPAUECN' }))));
    expect(p.flags).toBe(FIN | SYN | RST | PSH | ACK | URG | ECE | CWR | NS);
    expect(p.flags).toBe(0x1ff);
    for (const [letter, bit] of [['F', FIN], ['S', SYN], ['R', RST], ['P', PSH], ['A', ACK], ['U', URG], ['E', ECE], ['C', CWR], ['N', NS]] as const) {
      expect(decode(eth(ipv4({}, tcp({ flags: letter })))).flags).toBe(bit);
    }
    expect(flagBits('RA')).toBe(RST | ACK);
  });

  it('reads unsigned 32-bit seq/ack, window and urgent pointer', () => {
    const p = decode(eth(ipv4({}, tcp({ seq: 0xfffffffe, ack: 0x80000001, window: 513, urgent: 7, flags: 'AU' }))));
    expect([p.seq, p.ack, p.window, p.urgent]).toEqual([0xfffffffe, 0x80000001, 513, 7]);
  });

  it('takes the payload length from the IP length, not from the captured bytes', () => {
    const payload = new Uint8Array(100).fill(0x61);
    const frame = eth(ipv4({}, tcp({ payload, flags: 'PA' })));
    const padded = cat(frame, new Uint8Array(30)); // Ethernet trailer/padding after the IP packet
    const p = decode(padded);
    expect([p.payloadLen, p.capturedPayloadLen, p.payloadOff]).toEqual([100, 100, 54]);
    const cut = decode(frame.subarray(0, 54 + 40)); // snaplen: 40 payload bytes captured
    expect([cut.kind, cut.payloadLen, cut.capturedPayloadLen]).toEqual([KIND_TCP, 100, 40]);
    const v6 = decode(eth(ipv6({}, tcp({ payload })), { type: 0x86dd }));
    expect([v6.payloadLen, v6.payloadOff, v6.ipId, v6.df]).toEqual([100, 74, -1, false]);
  });
});

describe('tcp: truncated buffer', () => {
  it('every prefix gives MALFORMED or a consistent result', () => {
    expect(expectPrefixesConsistent(SINGLE_RST)).toBe(54);
    const withData = eth(ipv4({}, tcp({ options: [2, 4, 5, 0xb4], payload: [1, 2, 3, 4, 5] })));
    expect(expectPrefixesConsistent(withData)).toBe(14 + 20 + 24);
  });

  it('names the truncated header', () => {
    expect(decode(SINGLE_RST.subarray(0, 40)).problem).toBe('TCP header truncated (6 of 20 bytes)');
    const opts = eth(ipv4({}, tcp({ options: [2, 4, 5, 0xb4, 1, 1, 1, 0] })));
    expect(decode(opts.subarray(0, 14 + 20 + 24)).problem).toBe('TCP options truncated (24 of 28 bytes)');
  });
});

describe('tcp: impossible length fields', () => {
  it('data offset below 5', () => {
    const p = decode(eth(ipv4({}, tcp({ dataOffset: 3 }))));
    expect([p.kind, p.problem]).toEqual([KIND_MALFORMED, 'TCP data offset 3 (<5)']);
  });

  it('data offset longer than the segment: kept as TCP (tshark numbers it), options cut, no payload', () => {
    const p = decode(eth(ipv4({}, tcp({ dataOffset: 15 }))));
    expect([p.kind, p.problem, p.optionsMalformed]).toEqual([KIND_TCP, 'TCP header length 60 > segment length 20', true]);
    expect([p.tcpHeaderLen, p.payloadLen, p.capturedPayloadLen]).toEqual([20, 0, 0]);
  });

  it('IP total length that cuts the TCP header', () => {
    const p = decode(eth(ipv4({ totalLength: 30 }, tcp())));
    expect([p.kind, p.problem]).toEqual([KIND_MALFORMED, 'TCP segment length 10 < 20']);
  });
});

describe('tcp: option edge cases', () => {
  it('a header with 40 bytes of options still decodes the payload offset', () => {
    const p = decode(eth(ipv4({}, tcp({ options: new Array<number>(40).fill(1), payload: [9] }))));
    expect([p.kind, p.tcpHeaderLen, p.payloadLen, p.payloadOff]).toEqual([KIND_TCP, 60, 1, 14 + 20 + 60]);
    expect(p.optionKinds).toBe(new Array(40).fill('NOP').join(','));
  });
});
