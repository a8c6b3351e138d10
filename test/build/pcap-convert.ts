// Test helper: parse a classic pcap (either byte order, µs or ns) and re-encode it with the builders,
// e.g. as big-endian pcap or big-endian pcapng (which editcap cannot write on a little-endian host).
import { pcap, pcapng, type PcapPacket } from './capture-builders.js';

export interface ParsedPcap {
  nanos: boolean;
  bigEndian: boolean;
  linktype: number;
  snaplen: number;
  records: Array<PcapPacket & { offset: number }>;
}

export function parsePcap(bytes: Uint8Array): ParsedPcap {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicLe = view.getUint32(0, true);
  const magicBe = view.getUint32(0, false);
  let le: boolean;
  let nanos: boolean;
  if (magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d) {
    le = true;
    nanos = magicLe === 0xa1b23c4d;
  } else if (magicBe === 0xa1b2c3d4 || magicBe === 0xa1b23c4d) {
    le = false;
    nanos = magicBe === 0xa1b23c4d;
  } else throw new Error(`not a classic pcap (magic 0x${magicBe.toString(16)})`);
  const snaplen = view.getUint32(16, le);
  const linktype = view.getUint32(20, le) & 0x0fffffff;
  const records: ParsedPcap['records'] = [];
  let o = 24;
  while (o + 16 <= bytes.length) {
    const incl = view.getUint32(o + 8, le);
    if (o + 16 + incl > bytes.length) break;
    records.push({
      offset: o, sec: view.getUint32(o, le), frac: view.getUint32(o + 4, le),
      origLen: view.getUint32(o + 12, le), data: bytes.subarray(o + 16, o + 16 + incl),
    });
    o += 16 + incl;
  }
  return { nanos, bigEndian: !le, linktype, snaplen, records };
}

/** The same capture as a big-endian classic pcap. */
export function toBigEndianPcap(p: ParsedPcap): Uint8Array {
  return pcap({ nanos: p.nanos, bigEndian: true, linktype: p.linktype, snaplen: Math.max(p.snaplen, ...p.records.map((r) => r.data.length)) }, p.records);
}

/** The same capture as a big-endian pcapng, one interface with an explicit if_tsresol (6 or 9). */
export function toBigEndianPcapng(p: ParsedPcap): Uint8Array {
  return toPcapng(p, true);
}

/** The same capture as a pcapng in the given byte order, one interface with an explicit if_tsresol (6 or 9). */
export function toPcapng(p: ParsedPcap, bigEndian: boolean): Uint8Array {
  const perSec = p.nanos ? 1_000_000_000n : 1_000_000n;
  return pcapng({
    sections: [{
      bigEndian,
      interfaces: [{ linktype: p.linktype, snaplen: p.snaplen, tsresol: p.nanos ? 9 : 6 }],
      blocks: p.records.map((r) => ({
        kind: 'epb' as const, iface: 0, ticks: BigInt(r.sec) * perSec + BigInt(r.frac), data: r.data, origLen: r.origLen ?? r.data.length,
      })),
    }],
  });
}
