import { describe, expect, it } from 'vitest';
import { bytesOf, pcap, type PcapPacket } from '../../test/build/capture-builders.js';
import { collect } from '../../test/build/capture-collect.js';
import { PcapReader } from './pcap.js';

const packets: PcapPacket[] = [
  { sec: 1258560312, frac: 123456, data: bytesOf(60, 1) },
  { sec: 1258560313, frac: 999999, data: bytesOf(1514, 2) },
  { sec: 4102444800, frac: 0, data: bytesOf(42, 3) }, // year 2100, beyond 2^31
];

describe('PcapReader', () => {
  for (const bigEndian of [false, true]) {
    it(`reads µs timestamps (${bigEndian ? 'big' : 'little'}-endian)`, () => {
      const out = collect(pcap({ bigEndian, linktype: 113 }, packets));
      expect(out.error).toBeUndefined();
      expect(out.warnings).toEqual([]);
      expect(out.records.map((r) => [r.frame, r.tsSec, r.tsNsec, r.linktype, r.origLen, r.precision])).toEqual([
        [1, 1258560312, 123456000, 113, 60, 6],
        [2, 1258560313, 999999000, 113, 1514, 6],
        [3, 4102444800, 0, 113, 42, 6],
      ]);
      expect(out.records[1]?.data).toEqual(Array.from(bytesOf(1514, 2)));
    });

    it(`reads ns timestamps (${bigEndian ? 'big' : 'little'}-endian)`, () => {
      const ns = packets.map((p, i) => ({ ...p, frac: [123456789, 999999999, 1][i] ?? 0 }));
      const out = collect(pcap({ bigEndian, nanos: true }, ns));
      expect(out.records.map((r) => [r.tsSec, r.tsNsec, r.precision])).toEqual([
        [1258560312, 123456789, 9],
        [1258560313, 999999999, 9],
        [4102444800, 1, 9],
      ]);
    });
  }

  it('keeps snaplen-truncated packets (caplen < origlen)', () => {
    const out = collect(pcap({ snaplen: 96 }, packets));
    expect(out.records.map((r) => [r.data.length, r.origLen])).toEqual([
      [60, 60],
      [96, 1514],
      [42, 42],
    ]);
  });

  it('takes the link type from the low 16 bits (FCS bits set)', () => {
    const out = collect(pcap({ linktype: 0x1000_0000 | (4 << 28) | 1 }, packets));
    expect(out.records.every((r) => r.linktype === 1)).toBe(true);
  });

  it('gives identical records with 1-byte chunks', () => {
    const file = pcap({ bigEndian: true, snaplen: 1000 }, packets);
    expect(collect(file, 1)).toEqual(collect(file));
    expect(collect(file, 7)).toEqual(collect(file));
  });

  it('warns (no error) when the file ends inside the last record', () => {
    const file = pcap({}, packets);
    const cut = file.subarray(0, file.length - 10);
    const out = collect(cut, 5);
    expect(out.error).toBeUndefined();
    expect(out.records.map((r) => r.frame)).toEqual([1, 2]);
    const off = 24 + 16 + 60 + 16 + 1514;
    expect(out.warnings).toEqual([
      { offset: off, frame: 2, message: `capture cut short inside frame 3 (byte offset ${off}): 48 of 58 bytes` },
    ]);
  });

  it('warns when the file ends inside a record header or the file header', () => {
    const file = pcap({}, packets);
    const out = collect(file.subarray(0, 24 + 16 + 60 + 5));
    expect(out.records).toHaveLength(1);
    expect(out.warnings[0]?.message).toBe('capture cut short inside frame 2 (byte offset 100): 5 of 16 bytes');
    const hdr = collect(file.subarray(0, 10));
    expect(hdr.records).toHaveLength(0);
    expect(hdr.warnings[0]?.message).toBe('capture cut short inside the pcap file header (byte offset 0): 10 of 24 bytes');
  });

  it('reads a header-only file with no warning', () => {
    const out = collect(pcap({}, []));
    expect(out).toEqual({ records: [], warnings: [], error: undefined, offset: 24 });
  });

  it('stops with an error on an impossible caplen, keeping earlier frames', () => {
    const file = pcap({}, packets);
    const second = 24 + 16 + 60;
    new DataView(file.buffer).setUint32(second + 8, 300_000, true);
    const out = collect(file);
    expect(out.records.map((r) => r.frame)).toEqual([1]);
    expect(out.error).toEqual({
      offset: second,
      frame: 1,
      message: `damaged capture at byte offset ${second} (last good frame 1): frame 2 claims 300000 captured bytes (limit 262144)`,
    });
    expect(out.warnings).toEqual([]);
  });

  it('reports the error even when the damaged header is the very end of the input', () => {
    const file = pcap({}, packets.slice(0, 1));
    const bad = new Uint8Array(file.length + 16);
    bad.set(file);
    new DataView(bad.buffer).setUint32(file.length + 8, 0xffffffff, true);
    const out = collect(bad);
    expect(out.error?.offset).toBe(file.length);
    expect(out.warnings).toEqual([]);
  });

  it('carries a µs field of a million or more into the seconds', () => {
    const out = collect(pcap({}, [{ sec: 10, frac: 2_500_000, data: bytesOf(1) }]));
    expect(out.records.map((r) => [r.tsSec, r.tsNsec])).toEqual([[12, 500_000_000]]);
  });

  it('reuses one record object and compacts its buffer', () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({ sec: i, frac: 0, data: bytesOf(200, i) }));
    const file = pcap({}, many);
    const r = new PcapReader();
    const seen = new Set<object>();
    let n = 0;
    for (let o = 0; o < file.length; o += 4096) {
      r.append(file.subarray(o, o + 4096));
      for (let rec = r.next(); rec !== undefined; rec = r.next()) {
        seen.add(rec);
        expect(rec.data[0]).toBe(n & 0xff);
        n++;
      }
    }
    r.end();
    expect(n).toBe(2000);
    expect(seen.size).toBe(1);
    // The buffer holds about one chunk plus a partial record, never the whole file.
    expect((r as unknown as { q: { buf: Uint8Array } }).q.buf.length).toBeLessThan(file.length / 4);
    expect(r.offset).toBe(file.length);
  });
});
