import { describe, expect, it } from 'vitest';
import { cat, hex, ipv4 } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { llcSnap } from '../../test/build/packet-tunnels.js';
import { formatAddress } from './address.js';
import { KIND_MALFORMED, KIND_OTHER, KIND_TCP, RST } from './packet.js';

const LT_FDDI = 10;
// Zeek llc.pcap frame 1 (snaplen 68): FDDI / LLC SNAP / IPv4:
// 128.3.140.132.2035 > 194.140.136.34.80: Flags [R], seq 1389575693, win 8192, length 0
const FDDI_RST = hex(`50aa00040082a7aa00040083a7aaaa03000000080045000028125200000806494880038c84c28c882207f30050
  52c73e0d52c73e0d500420000ebe000000000000140001`);

describe('fddi', () => {
  it('decodes a real RST', () => {
    const p = decode(FDDI_RST, LT_FDDI, true);
    expect(p, p.problem).toMatchObject({ kind: KIND_TCP, sport: 2035, dport: 80, flags: RST, window: 8192 });
    expect(formatAddress(p.buf, p.srcOff, 4)).toBe('128.3.140.132');
  });

  it('non-LLC frames (SMT) are not TCP; truncations are malformed or consistent', () => {
    const smt = cat([0x41], new Array(12).fill(0), llcSnap(ipv4({}, tcp())));
    expect(decode(smt, LT_FDDI).kind).toBe(KIND_OTHER);
    expect(decode(FDDI_RST.subarray(0, 12), LT_FDDI).kind).toBe(KIND_MALFORMED);
    expect(expectPrefixesConsistent(FDDI_RST, LT_FDDI, 13 + 8)).toBeGreaterThan(0);
  });
});
