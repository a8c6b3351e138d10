// TCP flags as letters in the contract's order S F R P A U E C ("RA", "FA", "SA").
import { ACK, CWR, ECE, FIN, PSH, RST, SYN, URG } from '../decode/packet.js';

const ORDER: ReadonlyArray<[number, string]> = [
  [SYN, 'S'], [FIN, 'F'], [RST, 'R'], [PSH, 'P'], [ACK, 'A'], [URG, 'U'], [ECE, 'E'], [CWR, 'C'],
];

export function flagLetters(flags: number): string {
  let s = '';
  for (const [bit, letter] of ORDER) if (flags & bit) s += letter;
  return s;
}

/** Wireshark-style name of a segment for evidence text ("SYN", "SYN/ACK", "RST+ACK", "data", "ACK"). */
export function segmentName(flags: number, len: number): string {
  if (flags & SYN) return flags & ACK ? 'SYN/ACK' : flags & FIN ? 'SYN+FIN' : 'SYN';
  if (flags & RST) return flags & ACK ? 'RST+ACK' : 'RST';
  if (flags & FIN) return len > 0 ? `FIN with ${len} bytes` : 'FIN';
  if (len > 0) return `${len} bytes of data`;
  return flags & ACK ? 'ACK' : `segment [${flagLetters(flags) || 'none'}]`;
}
