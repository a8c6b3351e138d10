// Entry point of the decoding stage: one captured frame in, the reused Packet filled.

import { beginPacket, st, tunnelName } from './context.js';
import { decodeLink } from './linktype.js';
import { KIND_MALFORMED, KIND_OTHER } from './packet.js';
import type { DecodeOptions, Packet } from './packet.js';

/**
 * Resets `out` and fills it from `data` (a frame of link type `linktype`). Never throws:
 * truncated or impossible headers give KIND_MALFORMED with a one-line `problem`.
 */
export function decodePacket(data: Uint8Array, linktype: number, out: Packet, opts: DecodeOptions): void {
  decodeFrame(data, 0, data.length, linktype, out, opts);
}

/**
 * decodePacket() for the frame `buf[off, off + len)` without making a view of it (the capture
 * readers' zero-copy records). `out.buf` is `buf` itself, so every offset in `out` is into `buf`.
 */
export function decodeFrame(buf: Uint8Array, off: number, len: number, linktype: number, out: Packet, opts: DecodeOptions): void {
  resetPacket(out, buf);
  beginPacket(buf, off, len, out, opts.verifyChecksums);
  try {
    decodeLink(linktype);
  } catch (err) {
    // Safety net only: every decoder checks bounds first, so this means a bug, not a bad packet.
    out.kind = KIND_MALFORMED;
    out.problem = `decoder error: ${err instanceof Error ? err.message : String(err)}`;
  }
  // The decoders work in frame-relative offsets; make them offsets into `buf`.
  if (off !== 0) {
    out.srcOff += off;
    out.dstOff += off;
    out.payloadOff += off;
    out.icmpFromOff += off;
  }
  out.tunnel = st.chain === 0 ? '' : tunnelName(st.chain);
  out.streamless = st.streamless;
}

/** Puts every field back to its newPacket() value (the caller's object is reused per frame). */
function resetPacket(out: Packet, data: Uint8Array): void {
  out.kind = KIND_OTHER;
  out.problem = '';
  out.buf = data;
  out.ipVersion = 4;
  out.srcOff = 0;
  out.dstOff = 0;
  out.ttl = 0;
  out.ipId = -1;
  out.df = false;
  out.tunnel = '';
  out.streamless = false;
  out.undecoded = '';
  out.sport = 0;
  out.dport = 0;
  out.seq = 0;
  out.ack = 0;
  out.flags = 0;
  out.window = 0;
  out.urgent = 0;
  out.tcpHeaderLen = 0;
  out.payloadLen = 0;
  out.payloadOff = 0;
  out.capturedPayloadLen = 0;
  out.mss = -1;
  out.wscale = -1;
  out.sackPermitted = false;
  out.sackBlocks = 0;
  out.tsVal = -1;
  out.tsEcr = -1;
  out.optionKinds = '';
  out.optionsMalformed = false;
  out.mptcpRstReason = -1;
  out.mptcpRstFlags = -1;
  out.checksumOk = null;
  out.icmpType = -1;
  out.icmpCode = -1;
  out.icmpFromOff = 0;
  out.icmpMtu = -1;
}
