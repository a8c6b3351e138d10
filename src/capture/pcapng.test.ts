import { describe, expect, it } from 'vitest';
import { bytesOf, pcapng, type SectionSpec } from '../../test/build/capture-builders.js';
import { cat } from '../../test/build/packet-builders.js';
import { collect } from '../../test/build/capture-collect.js';

const S = 1_700_000_000n; // a 2023 timestamp, in seconds

function twoSections(): SectionSpec[] {
  return [
    {
      bigEndian: false,
      interfaces: [{ linktype: 1 }, { linktype: 113, tsresol: 9 }],
      blocks: [
        { kind: 'epb', iface: 0, ticks: S * 1_000_000n + 123_456n, data: bytesOf(60, 1) },
        { kind: 'epb', iface: 1, ticks: S * 1_000_000_000n + 987_654_321n, data: bytesOf(70, 2), origLen: 1500 },
        { kind: 'raw', type: 4, body: bytesOf(20) }, // name resolution block: skipped
        { kind: 'raw', type: 0x40000bad, body: bytesOf(13) }, // custom/unknown: skipped
        { kind: 'raw', type: 5, body: bytesOf(24) }, // interface statistics: skipped
        { kind: 'pb', iface: 1, ticks: S * 1_000_000_000n + 5n, data: bytesOf(33, 3), drops: 7 },
      ],
    },
    {
      bigEndian: true, // the second section switches byte order and restarts interface ids
      interfaces: [{ linktype: 101, tsresol: 3 }, { linktype: 1, tsresol: 0x80 | 20 }],
      blocks: [
        { kind: 'epb', iface: 1, ticks: (S << 20n) + (1n << 19n), data: bytesOf(40, 4) },
        { kind: 'epb', iface: 0, ticks: S * 1000n + 7n, data: bytesOf(41, 5) },
        { kind: 'spb', data: bytesOf(50, 6) },
      ],
    },
  ];
}

describe('PcapngReader', () => {
  it('reads sections, byte-order changes, interfaces and every packet block kind', () => {
    const out = collect(pcapng({ sections: twoSections() }));
    expect(out.error).toBeUndefined();
    expect(out.warnings).toEqual([]);
    const s = Number(S);
    expect(out.records.map((r) => [r.frame, r.interfaceId, r.linktype, r.tsSec, r.tsNsec, r.precision])).toEqual([
      [1, 0, 1, s, 123_456_000, 6],
      [2, 1, 113, s, 987_654_321, 9],
      [3, 1, 113, s, 5, 9],
      [4, 1, 1, s, 500_000_000, 9], // 2^-20 resolution: half a second
      [5, 0, 101, s, 7_000_000, 3],
      [6, 0, 101, 0, 0, 3], // SPB: interface 0, no timestamp
    ]);
    expect(out.records.map((r) => [r.data.length, r.origLen])).toEqual([
      [60, 60],
      [70, 1500],
      [33, 33],
      [40, 40],
      [41, 41],
      [50, 50],
    ]);
    expect(out.records[5]?.data).toEqual(Array.from(bytesOf(50, 6)));
  });

  it('gives identical records with 1-byte chunks', () => {
    const file = pcapng({ sections: twoSections() });
    expect(collect(file, 1)).toEqual(collect(file));
    expect(collect(file, 3)).toEqual(collect(file));
  });

  it('applies if_tsoffset (seconds, may be negative)', () => {
    const file = pcapng({
      sections: [
        {
          interfaces: [{ linktype: 1, tsoffset: 1_000_000_000n }, { linktype: 1, tsoffset: -5n, tsresol: 9 }],
          blocks: [
            { kind: 'epb', iface: 0, ticks: 2_500_000n, data: bytesOf(1) },
            { kind: 'epb', iface: 1, ticks: 1_250_000_000n, data: bytesOf(1) },
          ],
        },
      ],
    });
    expect(collect(file).records.map((r) => [r.tsSec, r.tsNsec])).toEqual([
      [1_000_000_002, 500_000_000],
      [-4, 250_000_000],
    ]);
  });

  it('converts huge tick counts exactly', () => {
    const cases: [number, bigint][] = [
      [9, (1n << 63n) + 123_456_789n], // ~2^63 ns
      [9, (1n << 64n) - 1n],
      [9, 4_102_444_800n * 1_000_000_000n + 999_999_999n], // year 2100
      [6, (1n << 64n) - 1n],
      [0x80 | 30, (1n << 64n) - 1n],
      [0x80 | 32, (1n << 64n) - 3n],
      [0x80 | 40, (1n << 64n) - 1n], // finer than 2^-32: BigInt path
      [12, 12_345_678_901_234_567_890n], // picoseconds
      [3, 123_456_789_012_345n],
    ];
    for (const [tsresol, ticks] of cases) {
      const file = pcapng({
        sections: [{ interfaces: [{ linktype: 1, tsresol }], blocks: [{ kind: 'epb', iface: 0, ticks, data: bytesOf(1) }] }],
      });
      const tps = (tsresol & 0x80 ? 2n : 10n) ** BigInt(tsresol & 0x7f);
      const rec = collect(file).records[0];
      expect([tsresol, rec?.tsSec, rec?.tsNsec]).toEqual([
        tsresol,
        Number(ticks / tps),
        Number(((ticks % tps) * 1_000_000_000n) / tps),
      ]);
    }
  });

  it('warns when the file ends inside the last block', () => {
    const file = pcapng({ sections: twoSections() });
    const out = collect(file.subarray(0, file.length - 20), 64);
    expect(out.error).toBeUndefined();
    expect(out.records.map((r) => r.frame)).toEqual([1, 2, 3, 4, 5]);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]?.frame).toBe(5);
    expect(out.warnings[0]?.message).toBe(
      `capture cut short inside frame 6 (byte offset ${file.length - 68}): 48 of 68 bytes`,
    );
  });

  function damaged(patch: (v: DataView, at: number) => void): ReturnType<typeof collect> & { at: number } {
    const file = pcapng({ sections: twoSections() });
    const out0 = collect(file);
    // Offset of frame 3's block (the PB): find it by walking block lengths.
    let at = 0;
    const v = new DataView(file.buffer);
    let packets = 0;
    while (at < file.length) {
      const type = v.getUint32(at, true);
      if (type === 2 || type === 6) packets++;
      if (packets === 3) break;
      at += v.getUint32(at + 4, true);
    }
    expect(out0.records).toHaveLength(6);
    patch(v, at);
    return { ...collect(file, 16), at };
  }

  it.each([
    ['not a multiple of 4', (v: DataView, at: number) => v.setUint32(at + 4, 62, true), 'length 62 is not a multiple of 4'],
    ['shorter than 12', (v: DataView, at: number) => v.setUint32(at + 4, 8, true), 'length 8 < 12'],
    ['over 16 MiB', (v: DataView, at: number) => v.setUint32(at + 4, 0x2000000, true), 'length 33554432 exceeds'],
    ['trailing length mismatch', (v: DataView, at: number) => v.setUint32(at + 4, 72, true), 'length 72 != trailing length'],
    ['undescribed interface', (v: DataView, at: number) => v.setUint16(at + 8, 2, true), 'frame 3 uses interface 2'],
    ['caplen beyond the block', (v: DataView, at: number) => v.setUint32(at + 20, 40, true), 'frame 3 claims 40 captured bytes'],
  ])('stops with an error on a damaged block: %s', (_name, patch, text) => {
    const out = damaged(patch);
    expect(out.records.map((r) => r.frame)).toEqual([1, 2]);
    expect(out.error?.offset).toBe(out.at);
    expect(out.error?.frame).toBe(2);
    expect(out.error?.message).toContain(`damaged capture at byte offset ${out.at} (last good frame 2)`);
    expect(out.error?.message).toContain(text);
    expect(out.warnings).toEqual([]);
  });

  it('rejects a bad byte-order magic in a later section', () => {
    const a = pcapng({ sections: twoSections().slice(0, 1) });
    const b = pcapng({ sections: twoSections().slice(1) });
    new DataView(b.buffer).setUint32(8, 0xdeadbeef, false);
    const out = collect(cat(a, b));
    expect(out.records).toHaveLength(3);
    expect(out.error?.offset).toBe(a.length);
    expect(out.error?.message).toContain('bad byte-order magic 0xdeadbeef');
  });

  it('truncates SPB data to the interface snaplen', () => {
    const file = pcapng({
      sections: [{ interfaces: [{ linktype: 1, snaplen: 20 }], blocks: [{ kind: 'spb', data: bytesOf(50) }] }],
    });
    const rec = collect(file).records[0];
    expect([rec?.data.length, rec?.origLen]).toEqual([20, 50]);
  });
});
