// Test helper: write packets as a classic pcap file (for checking tshark's view of crafted packets).

import { cat, u16be, u32be } from './packet-builders.js';

const PCAP_MAGIC_US = 0xa1b2c3d4;

/** A big-endian microsecond pcap with one record per frame, 1 s apart. */
export function pcapFile(linktype: number, frames: Uint8Array[]): Uint8Array {
  const header = cat(u32be(PCAP_MAGIC_US), u16be(2), u16be(4), u32be(0), u32be(0), u32be(262144), u32be(linktype));
  const records = frames.map((f, i) => cat(u32be(1_700_000_000 + i), u32be(0), u32be(f.length), u32be(f.length), f));
  return cat(header, ...records);
}
