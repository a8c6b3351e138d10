// TCP header: ports, sequence numbers, 9 flags, window; payload length from the IP lengths.

import { tcpChecksumOk } from './checksum.js';
import { malformed, st, u16, u32 } from './context.js';
import { KIND_TCP } from './packet.js';
import { decodeTcpOptions } from './tcp-options.js';

export const TCP_MIN_HEADER_LEN = 20;
const SPORT = 0;
const DPORT = 2;
const SEQ = 4;
const ACK = 8;
const OFFSET_FLAGS = 12; // data offset (4 bits), 3 reserved bits, 9 flag bits
const WINDOW = 14;
const URGENT = 18;
const FLAGS_MASK = 0x1ff;

/** Decodes a TCP segment at `off`; `end` is where the segment ends on the wire (from the IP lengths). */
export function decodeTcp(off: number, end: number): void {
  const avail = st.len - off;
  if (avail < TCP_MIN_HEADER_LEN) return malformed(`TCP header truncated (${Math.max(0, avail)} of 20 bytes)`);
  const segLen = end - off;
  if (segLen < TCP_MIN_HEADER_LEN) return malformed(`TCP segment length ${segLen} < 20`);
  const offFlags = u16(off + OFFSET_FLAGS);
  const doff = offFlags >>> 12;
  if (doff < 5) return malformed(`TCP data offset ${doff} (<5)`);
  let hl = doff * 4;
  // tshark still numbers such a segment (tcp.stream) and shows its flags: keep it, options cut at the segment end.
  const overlong = hl > segLen;
  if (overlong) hl = segLen;
  if (hl > avail) return malformed(`TCP options truncated (${avail} of ${hl} bytes)`);

  const out = st.out;
  out.kind = KIND_TCP;
  out.sport = u16(off + SPORT);
  out.dport = u16(off + DPORT);
  out.seq = u32(off + SEQ);
  out.ack = u32(off + ACK);
  out.flags = offFlags & FLAGS_MASK;
  out.window = u16(off + WINDOW);
  out.urgent = u16(off + URGENT);
  out.tcpHeaderLen = hl;
  out.payloadOff = off + hl;
  out.payloadLen = segLen - hl;
  out.capturedPayloadLen = Math.max(0, Math.min(end, st.len) - out.payloadOff);
  if (hl > TCP_MIN_HEADER_LEN) decodeTcpOptions(off + TCP_MIN_HEADER_LEN, off + hl);
  if (overlong) {
    out.optionsMalformed = true;
    out.problem = `TCP header length ${doff * 4} > segment length ${segLen}`;
  }
  if (st.verify) out.checksumOk = tcpChecksumOk(off, segLen);
}
