import { describe, expect, it } from 'vitest';
import { eth, hex, ipv4 } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { opt, tcp } from '../../test/build/packet-transport.js';
import { MPTCP_RST_TRANSIENT, mptcpResetReasonName, optionLabel } from './tcp-options.js';
import { ACK, KIND_TCP, RST, SYN } from './packet.js';

// ipv6.pcap frame 1:
// 17:42:57.822004 IP6 2001:470:1f11:81f:c999:d94:aa7c:2e3e.49185 > 2001:470:4867:99::21.21: Flags [S], seq 646610527, win 65535, options [mss 1440,nop,wscale 1,nop,nop,TS val 973204046 ecr 0,sackOK,eol], length 0
const SYN_V6 = hex(`d830 6248 c5b5 c42c 033b 6caa 86dd 6000
  0000 002c 0640 2001 0470 1f11 081f c999
  0d94 aa7c 2e3e 2001 0470 4867 0099 0000
  0000 0000 0021 c021 0015 268a 7e5f 0000
  0000 b002 ffff 4489 0000 0204 05a0 0103
  0301 0101 080a 3a01 ea4e 0000 0000 0402
  0000`);

/** Decodes a SYN carrying these option bytes. */
function withOptions(options: number[]) {
  return decode(eth(ipv4({}, tcp({ flags: 'S', options }))));
}

describe('tcp-options: known packet', () => {
  it('decodes MSS, NOP, WS, TS, SACK_PERM, EOL from a real SYN', () => {
    const p = decode(SYN_V6, 1, true);
    expect(p).toMatchObject({
      kind: KIND_TCP, flags: SYN, sport: 49185, dport: 21, seq: 646610527, window: 65535, tcpHeaderLen: 44,
      mss: 1440, wscale: 1, tsVal: 973204046, tsEcr: 0, sackPermitted: true, sackBlocks: 0,
      optionKinds: 'MSS,NOP,WS,NOP,NOP,TS,SACK_PERM,EOL', optionsMalformed: false, checksumOk: true,
    });
  });

  it('labels unknown kinds with their number and repeats cached names', () => {
    const a = withOptions([...opt.raw(34, 2), ...opt.mss(1200), ...opt.raw(30, 6, [0, 0, 0, 0])]);
    expect(a.optionKinds).toBe('?34,MSS,?30');
    expect(withOptions([...opt.raw(34, 2), ...opt.mss(1200), ...opt.raw(30, 6, [0, 0, 0, 0])]).optionKinds).toBe('?34,MSS,?30');
    expect(optionLabel(254)).toBe('?254');
  });
});

describe('tcp-options: truncated buffer', () => {
  it('every prefix of a SYN with options gives MALFORMED or a consistent result', () => {
    expect(expectPrefixesConsistent(SYN_V6)).toBe(SYN_V6.length);
  });
});

describe('tcp-options: impossible lengths', () => {
  it('zero-length option is malformed but not fatal', () => {
    const p = withOptions([...opt.mss(1460), 30, 0, 0, 0]);
    expect([p.kind, p.mss, p.optionsMalformed, p.problem]).toEqual([KIND_TCP, 1460, true, 'TCP option ?30 length 0 < 2']);
  });

  it('length 1 is malformed', () => {
    expect(withOptions([3, 1, 7, 0]).problem).toBe('TCP option WS length 1 < 2');
  });

  it('option running past the header', () => {
    const p = withOptions([...opt.nop(), ...opt.ts(1, 2).slice(0, 7)]); // padded to 8: TS claims 10
    expect([p.kind, p.tsVal, p.optionsMalformed, p.problem]).toEqual([KIND_TCP, -1, true, 'TCP option TS length 10 runs past the header']);
  });

  it('kind in the last byte with no room for its length', () => {
    const p = withOptions([1, 1, 1, 2]);
    expect([p.optionsMalformed, p.problem, p.optionKinds]).toEqual([true, 'TCP option MSS has no length byte', 'NOP,NOP,NOP,MSS']);
  });

  it('wrong fixed lengths are flagged and skipped; later options still decode', () => {
    const p = withOptions([2, 3, 5, ...opt.ws(7), 4, 3, 0, ...opt.ts(5, 6), 8, 6, 0, 0, 0, 0]);
    expect([p.mss, p.wscale, p.sackPermitted, p.tsVal, p.tsEcr]).toEqual([-1, 7, false, 5, 6]);
    expect(p.optionsMalformed).toBe(true);
    expect(p.problem).toBe('TCP option MSS length 3 != 4'); // the first problem is kept
  });
});

describe('tcp-options: edge cases', () => {
  it('EOL ends the list; garbage after it is padding', () => {
    const p = withOptions([...opt.nop(), ...opt.eol(), ...opt.mss(1000), 0xff, 0xff, 3]);
    expect([p.mss, p.optionKinds, p.optionsMalformed]).toEqual([-1, 'NOP,EOL', false]);
  });

  it('SACK with 1 to 4 blocks', () => {
    for (let n = 1; n <= 4; n++) {
      const blocks = Array.from({ length: n }, (_, i): [number, number] => [1000 * i, 1000 * i + 500]);
      const p = withOptions([...opt.nop(), ...opt.nop(), ...opt.sack(blocks)]);
      expect([p.sackBlocks, p.optionsMalformed, p.optionKinds]).toEqual([n, false, 'NOP,NOP,SACK']);
    }
  });

  it('SACK with bogus lengths', () => {
    for (const len of [2, 9, 11, 34 + 8 - 2]) {
      const p = withOptions([5, len, ...new Array<number>(Math.min(len, 38) - 2).fill(0)]);
      expect(p.sackBlocks).toBe(0);
      expect(p.optionsMalformed).toBe(true);
    }
    expect(withOptions([5, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).problem).toBe('TCP option SACK length 12 is not 2 + 8n (n = 1..4)');
  });

  it('no options: empty kinds and defaults', () => {
    const p = withOptions([]);
    expect([p.optionKinds, p.mss, p.wscale, p.tsVal, p.tsEcr, p.sackPermitted]).toEqual(['', -1, -1, -1, -1, false]);
  });
});

describe('tcp-options: MPTCP MP_TCPRST (RFC 8684 3.6)', () => {
  /** MP_TCPRST: kind 30, length 4, subtype 0x8 in the high nibble, U|V|W|T, reason. */
  const mpTcpRst = (flags: number, reason: number): number[] => [30, 4, 0x80 | flags, reason];
  const rstWith = (options: number[]) => decode(eth(ipv4({}, tcp({ flags: 'RA', options }))));

  it('records the reason and the T flag of a RST carrying MP_TCPRST', () => {
    const p = rstWith(mpTcpRst(MPTCP_RST_TRANSIENT, 0x02));
    expect([p.kind, p.flags, p.mptcpRstReason, p.mptcpRstFlags, p.optionsMalformed, p.optionKinds])
      .toEqual([KIND_TCP, RST | ACK, 2, 1, false, '?30']);
    expect(mptcpResetReasonName(p.mptcpRstReason)).toBe('lack of resources');
  });

  it('decodes it after timestamps (not the NOP,NOP,TS fast path) and keeps every flag bit', () => {
    const p = rstWith([...opt.nop(), ...opt.nop(), ...opt.ts(7, 9), ...mpTcpRst(0x0f, 0x06)]);
    expect([p.tsVal, p.tsEcr, p.mptcpRstReason, p.mptcpRstFlags, p.optionKinds]).toEqual([7, 9, 6, 0x0f, 'NOP,NOP,TS,?30']);
  });

  it('is -1 when absent, and for the other MPTCP subtypes', () => {
    const none = rstWith([]);
    expect([none.mptcpRstReason, none.mptcpRstFlags]).toEqual([-1, -1]);
    const capable = rstWith(opt.raw(30, 12, [0x01, 0x81, 1, 2, 3, 4, 5, 6, 7, 8])); // MP_CAPABLE v1
    const dss = rstWith(opt.raw(30, 4, [0x20, 0x01])); // DSS, subtype 0x2
    const fastClose = rstWith(opt.raw(30, 12, [0x70, 0, 1, 2, 3, 4, 5, 6, 7, 8])); // MP_FASTCLOSE, subtype 0x7
    for (const p of [capable, dss, fastClose]) {
      expect([p.mptcpRstReason, p.mptcpRstFlags, p.optionsMalformed]).toEqual([-1, -1, false]);
    }
  });

  it('a wrong MP_TCPRST length is malformed and records nothing', () => {
    const p = rstWith([30, 6, 0x81, 0x01, 0, 0]);
    expect([p.mptcpRstReason, p.mptcpRstFlags, p.optionsMalformed, p.problem])
      .toEqual([-1, -1, true, 'TCP option MP_TCPRST length 6 != 4']);
    expect(rstWith([30, 3, 0x80, 0]).problem).toBe('TCP option MP_TCPRST length 3 != 4');
  });

  it('an MPTCP option too short to hold a subtype is skipped, not misread', () => {
    const p = rstWith([30, 2, ...mpTcpRst(0, 0x04)]);
    expect([p.mptcpRstReason, p.optionsMalformed, p.optionKinds]).toEqual([4, false, '?30,?30,EOL']); // padded to 8 bytes with EOL
    const runsPast = rstWith([1, 1, 1, 1, 1, 30, 4, 0x81]); // 8 bytes: the option claims 4 from the 6th
    expect([runsPast.mptcpRstReason, runsPast.optionsMalformed]).toEqual([-1, true]);
  });

  it('is reset for the next packet on the reused Packet', () => {
    expect(rstWith(mpTcpRst(0, 0x03)).mptcpRstReason).toBe(3);
    const next = decode(eth(ipv4({}, tcp({ flags: 'A' }))));
    expect([next.mptcpRstReason, next.mptcpRstFlags]).toEqual([-1, -1]);
  });

  it('every prefix of the frame is malformed or agrees on the MP_TCPRST fields', () => {
    const frame = eth(ipv4({}, tcp({ flags: 'RA', options: [...opt.nop(), ...opt.nop(), ...mpTcpRst(1, 5)] })));
    const full = decode(frame);
    expect(full.mptcpRstReason).toBe(5);
    expect(expectPrefixesConsistent(frame)).toBe(frame.length);
    for (let len = 0; len < frame.length; len++) {
      const p = decode(frame.subarray(0, len));
      if (p.kind !== KIND_TCP) continue;
      expect([p.mptcpRstReason, p.mptcpRstFlags], `prefix ${len}`).toEqual([5, 1]);
    }
  });

  it('names every RFC 8684 reason code and marks the rest unassigned', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(mptcpResetReasonName)).toEqual([
      'unspecified error', 'MPTCP-specific error', 'lack of resources', 'administratively prohibited',
      'too much outstanding data', 'unacceptable performance', 'middlebox interference',
    ]);
    expect(mptcpResetReasonName(7)).toBe('unassigned (7)');
    expect(mptcpResetReasonName(255)).toBe('unassigned (255)');
    expect(mptcpResetReasonName(-1)).toBe('unassigned (-1)');
  });
});
