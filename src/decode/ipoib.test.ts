import { describe, expect, it } from 'vitest';
import { hex } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { CWR, ECE, KIND_MALFORMED, KIND_TCP, SYN } from './packet.js';

const LT_IPOIB = 242;
// tcpdump ipoib.pcap frame 9: IP over InfiniBand:
// 192.168.56.10.34170 > 192.168.56.24.22: Flags [SEW], seq 798232822, win 32983, options [mss 65480,...], length 0
const IPOIB_SYN = hex(`000000000000000000000000000000003020000380000550fe800000000000000010e000664ab45108000000
  4500003c0044400040064905c0a8380ac0a83818857a00162f9410f600000000a0c280d7efae00000204ffc80402080a03b52161
  0000000001030308`);

describe('ipoib', () => {
  it('decodes a real SYN; truncations are malformed or consistent', () => {
    expect(decode(IPOIB_SYN, LT_IPOIB, true)).toMatchObject({ kind: KIND_TCP, sport: 34170, dport: 22, flags: SYN | ECE | CWR, mss: 65480, checksumOk: true });
    expect(decode(IPOIB_SYN.subarray(0, 43), LT_IPOIB).problem).toBe('IPoIB header truncated (43 of 44 bytes)');
    expect(expectPrefixesConsistent(IPOIB_SYN, LT_IPOIB)).toBeGreaterThan(0);
  });
});
