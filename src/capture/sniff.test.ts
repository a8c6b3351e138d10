import { describe, expect, it } from 'vitest';
import { sniffFormat } from './sniff.js';

const b = (...x: number[]): Uint8Array => Uint8Array.from(x);

describe('sniffFormat', () => {
  it('recognises pcap in both byte orders and both precisions', () => {
    expect(sniffFormat(b(0xa1, 0xb2, 0xc3, 0xd4))).toBe('pcap');
    expect(sniffFormat(b(0xd4, 0xc3, 0xb2, 0xa1, 2, 0))).toBe('pcap');
    expect(sniffFormat(b(0xa1, 0xb2, 0x3c, 0x4d))).toBe('pcap');
    expect(sniffFormat(b(0x4d, 0x3c, 0xb2, 0xa1))).toBe('pcap');
  });
  it('recognises pcapng and gzip', () => {
    expect(sniffFormat(b(0x0a, 0x0d, 0x0d, 0x0a))).toBe('pcapng');
    expect(sniffFormat(b(0x1f, 0x8b))).toBe('gzip');
    expect(sniffFormat(b(0x1f, 0x8b, 8, 0))).toBe('gzip');
  });
  it('says unknown for anything else, including short input', () => {
    expect(sniffFormat(b())).toBe('unknown');
    expect(sniffFormat(b(0xa1, 0xb2, 0xc3))).toBe('unknown');
    expect(sniffFormat(b(0x1f))).toBe('unknown');
    expect(sniffFormat(new TextEncoder().encode('GET / HTTP/1.1'))).toBe('unknown');
  });
});
