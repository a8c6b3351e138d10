import { describe, expect, it } from 'vitest';
import { eth, hex, ipv4, ipv6 } from '../../test/build/packet-builders.js';
import { decode } from '../../test/build/packet-decode.js';
import { tcp } from '../../test/build/packet-transport.js';
import { internetChecksum } from './checksum.js';
import { KIND_TCP } from './packet.js';

// single-rst.pcap frame 1 (good IPv4 and TCP checksums):
// 17:57:43.527343 IP 10.0.0.10.48777 > 10.0.0.80.80: Flags [R], seq 0, win 8192, length 0
const GOOD = hex(`b8f8 5339 4f1e f018 9879 e86b 0800 4500
  0028 0001 0000 4006 6676 0a00 000a 0a00
  0050 be89 0050 0000 0000 0000 0000 5004
  2000 bcad 0000`);
const TCP_CKSUM_AT = 14 + 20 + 16;
const IP_CKSUM_AT = 14 + 10;

/** XORs one byte in place. */
function flip(buf: Uint8Array, at: number, mask: number): void {
  buf[at] = (buf[at] ?? 0) ^ mask;
}

describe('checksum', () => {
  it('known good packet verifies; null when not verifying', () => {
    expect(decode(GOOD, 1, true).checksumOk).toBe(true);
    expect(decode(GOOD, 1, false).checksumOk).toBe(null);
  });

  it('a wrong TCP checksum or a wrong IPv4 header checksum is false', () => {
    const badTcp = Uint8Array.from(GOOD);
    flip(badTcp, TCP_CKSUM_AT, 0x01);
    expect(decode(badTcp, 1, true).checksumOk).toBe(false);
    const badIp = Uint8Array.from(GOOD);
    flip(badIp, IP_CKSUM_AT, 0x80);
    expect(decode(badIp, 1, true).checksumOk).toBe(false);
    const flipped = Uint8Array.from(GOOD);
    flip(flipped, 14 + 20 + 4, 0x10); // the sequence number changed in flight
    expect(decode(flipped, 1, true)).toMatchObject({ kind: KIND_TCP, checksumOk: false });
  });

  it('odd-length payloads and IPv6 pseudo headers', () => {
    const odd = eth(ipv4({}, tcp({ payload: [1, 2, 3, 4, 5] })));
    expect(decode(odd, 1, true).checksumOk).toBe(true);
    flip(odd, odd.length - 1, 0xff);
    expect(decode(odd, 1, true).checksumOk).toBe(false);
    const v6 = eth(ipv6({}, tcp({ payload: [9, 8, 7] })), { type: 0x86dd });
    expect(decode(v6, 1, true).checksumOk).toBe(true);
    flip(v6, v6.length - 2, 1);
    expect(decode(v6, 1, true).checksumOk).toBe(false);
  });

  it('snaplen-truncated segments cannot be verified (null), unless the IPv4 header is already wrong', () => {
    const f = eth(ipv4({}, tcp({ payload: new Uint8Array(50) })));
    expect(decode(f.subarray(0, f.length - 1), 1, true).checksumOk).toBe(null);
    const badIp = eth(ipv4({ checksum: 0x1234 }, tcp({ payload: new Uint8Array(50) })));
    expect(decode(badIp.subarray(0, 60), 1, true).checksumOk).toBe(false);
  });

  it('internetChecksum matches the RFC 1071 example', () => {
    // RFC 1071 section 3: the sum of 0001 f203 f4f5 f6f7 is ddf2 (one's complement 220d).
    expect(internetChecksum(hex('0001 f203 f4f5 f6f7'))).toBe(0x220d);
  });
});
