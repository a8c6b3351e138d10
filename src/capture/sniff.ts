// Format detection by magic bytes (never by file name).

export type SniffedFormat = 'pcap' | 'pcapng' | 'gzip' | 'unknown';

/** Classifies a stream by its first bytes (4 are needed for pcap/pcapng, 2 for gzip). */
export function sniffFormat(firstBytes: Uint8Array): SniffedFormat {
  if (firstBytes.length >= 2 && firstBytes[0] === 0x1f && firstBytes[1] === 0x8b) return 'gzip';
  if (firstBytes.length < 4) return 'unknown';
  const be = readMagicBE(firstBytes);
  if (be === PCAPNG_SHB_TYPE) return 'pcapng';
  if (pcapMagicInfo(be) !== undefined) return 'pcap';
  return 'unknown';
}

/** Block type of a pcapng Section Header Block (a palindrome, so byte-order free). */
export const PCAPNG_SHB_TYPE = 0x0a0d0d0a;

const PCAP_MAGIC_US = 0xa1b2c3d4; // microsecond timestamps
const PCAP_MAGIC_NS = 0xa1b23c4d; // nanosecond timestamps
const PCAP_MAGIC_US_SWAPPED = 0xd4c3b2a1;
const PCAP_MAGIC_NS_SWAPPED = 0x4d3cb2a1;

/** Byte order and timestamp precision announced by a pcap magic read big-endian. */
export interface PcapMagicInfo {
  littleEndian: boolean;
  precision: 6 | 9;
}

/** Decodes a pcap magic (its first 4 bytes read big-endian), or undefined when not one. */
export function pcapMagicInfo(magicBE: number): PcapMagicInfo | undefined {
  switch (magicBE) {
    case PCAP_MAGIC_US:
      return { littleEndian: false, precision: 6 };
    case PCAP_MAGIC_NS:
      return { littleEndian: false, precision: 9 };
    case PCAP_MAGIC_US_SWAPPED:
      return { littleEndian: true, precision: 6 };
    case PCAP_MAGIC_NS_SWAPPED:
      return { littleEndian: true, precision: 9 };
    default:
      return undefined;
  }
}

/** The first 4 bytes as a big-endian unsigned number (missing bytes count as absent, not zero). */
export function readMagicBE(b: Uint8Array): number {
  return (((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0;
}

/** Hex rendering of up to 4 leading bytes, e.g. "0x12345678" (for error messages). */
export function magicHex(b: Uint8Array): string {
  let s = '0x';
  for (let i = 0; i < Math.min(4, b.length); i++) s += (b[i] ?? 0).toString(16).padStart(2, '0');
  return b.length === 0 ? 'none' : s;
}
