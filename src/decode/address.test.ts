import { describe, expect, it } from 'vitest';
import { addr } from '../../test/build/packet-builders.js';
import { formatAddress } from './address.js';

const fmt6 = (text: string): string => formatAddress(Uint8Array.from(addr(text)), 0, 6);
const fromGroups = (...g: number[]): string => formatAddress(Uint8Array.from(g.flatMap((x) => [x >> 8, x & 0xff])), 0, 6);

describe('address', () => {
  it('IPv4 dotted quad at an offset', () => {
    expect(formatAddress(Uint8Array.from([9, 9, 192, 0, 2, 255]), 2, 4)).toBe('192.0.2.255');
  });

  it('IPv6 RFC 5952 canonical form', () => {
    expect(fmt6('::')).toBe('::');
    expect(fmt6('::1')).toBe('::1');
    expect(fmt6('2001:DB8::1')).toBe('2001:db8::1');
    expect(fromGroups(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)).toBe('2001:db8::1');
    expect(fromGroups(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1)).toBe('2001:db8:0:1:1:1:1:1'); // a single zero group is not compressed
    expect(fromGroups(0x2001, 0, 0, 1, 0, 0, 0, 1)).toBe('2001:0:0:1::1'); // longest run wins
    expect(fromGroups(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1)).toBe('2001:db8::1:0:0:1'); // first run wins a tie
    expect(fromGroups(1, 0, 0, 0, 0, 0, 0, 0)).toBe('1::');
    expect(fromGroups(0xfe80, 0, 0, 0, 0x0abc, 0x00ff, 0xfe00, 0x0001)).toBe('fe80::abc:ff:fe00:1'); // no leading zeros
    expect(fromGroups(1, 2, 3, 4, 5, 6, 7, 8)).toBe('1:2:3:4:5:6:7:8');
  });

  it('IPv4-mapped addresses keep the dotted tail', () => {
    expect(fromGroups(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201)).toBe('::ffff:192.0.2.1');
    expect(fromGroups(0, 0, 0, 0, 0, 0, 0xc000, 0x0201)).toBe('::c000:201'); // IPv4-compatible is deprecated
  });
});
