import { describe, expect, it } from 'vitest';
import { cat, hex, ipv4 } from '../../test/build/packet-builders.js';
import { decode, expectPrefixesConsistent } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { KIND_MALFORMED, KIND_OTHER, KIND_TCP, SYN } from './packet.js';

const LT_ARCNET_LINUX = 129;
// tcpdump arcnet-rfc1201-arp-icmp-http.pcap frame 13: ARCNET (Linux) RFC 1201 IPv4:
// 10.80.131.1.1027 > 146.190.240.163.80: Flags [S], seq 2567257385, win 1872, options [mss 468,...], length 0
const ARCNET_SYN = hex(`be50c000d400016b4500003c942d4000400695db0a50830192bef0a30403005099053d2900000000a0020750
  b0590000020401d40402080a0004a9040000000001030300`);

describe('arcnet (Linux header)', () => {
  it('decodes a real RFC 1201 SYN', () => {
    expect(decode(ARCNET_SYN, LT_ARCNET_LINUX, true)).toMatchObject({ kind: KIND_TCP, sport: 1027, dport: 80, flags: SYN, mss: 468, checksumOk: true });
  });

  it('RFC 1051 IP, exception packets, fragments, ARP', () => {
    const ip = ipv4({}, tcp());
    expect(decode(cat([1, 2, 0, 0, 0xf0], ip), LT_ARCNET_LINUX).kind).toBe(KIND_TCP);
    expect(decode(cat([1, 2, 0, 0, 0xd4, 0xff, 0xff, 0xff, 0xd4, 0, 0, 1], ip), LT_ARCNET_LINUX).kind).toBe(KIND_TCP);
    expect(decode(cat([1, 2, 0, 0, 0xd4, 1, 0, 1], ip), LT_ARCNET_LINUX)).toMatchObject({ kind: KIND_OTHER, undecoded: 'ARCNET fragment' });
    expect(decode(cat([1, 2, 0, 0, 0xd5, 0, 0, 1], ip), LT_ARCNET_LINUX)).toMatchObject({ kind: KIND_OTHER, undecoded: '' });
  });

  it('truncations are malformed or consistent', () => {
    expect(decode(ARCNET_SYN.subarray(0, 4), LT_ARCNET_LINUX).kind).toBe(KIND_MALFORMED);
    expect(expectPrefixesConsistent(ARCNET_SYN, LT_ARCNET_LINUX)).toBeGreaterThan(0);
  });
});
