// Internet checksums (RFC 1071): the IPv4 header checksum and the TCP checksum over the pseudo header.
// Only called when DecodeOptions.verifyChecksums is set.

import { st } from './context.js';

const PROTO_TCP = 6;

/**
 * Verifies the TCP segment at `off` of `segLen` bytes (and the IPv4 header carrying it).
 * null when it cannot be checked: snaplen-truncated segment or IP fragment.
 */
export function tcpChecksumOk(off: number, segLen: number): boolean | null {
  if (st.ip4Off >= 0 && !ipv4HeaderChecksumOk(st.ip4Off, st.ip4Len)) return false;
  if (st.fragmented || off + segLen > st.len) return null;
  const out = st.out;
  const addrLen = out.ipVersion === 4 ? 4 : 16;
  let sum = sumWords(out.srcOff, addrLen) + sumWords(out.dstOff, addrLen);
  // Pseudo header: zero, protocol, TCP length (IPv6 uses a 32-bit length; same sum for < 64 KiB).
  sum += PROTO_TCP + (segLen & 0xffff) + Math.floor(segLen / 0x10000);
  sum += sumWords(off, segLen);
  return fold(sum) === 0xffff;
}

/** True when the IPv4 header at `off` (`len` bytes, all captured) sums to 0xffff. */
export function ipv4HeaderChecksumOk(off: number, len: number): boolean {
  return fold(sumWords(off, len)) === 0xffff;
}

// NOTE: hot path: 32-bit big-endian reads straight from the view. 2^16 = 1 in one's-complement
// arithmetic, so a sum of 32-bit words folds to the same 16-bit sum; it fits a double for any IP packet.
function sumWords(off: number, len: number): number {
  const dv = st.dv;
  let p = st.base + off;
  const end = p + len;
  let sum = 0;
  for (; p + 4 <= end; p += 4) sum += dv.getUint32(p);
  if (p + 2 <= end) {
    sum += dv.getUint16(p);
    p += 2;
  }
  if (p < end) sum += dv.getUint8(p) << 8; // odd length: pad with a zero byte
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** The checksum value to store in a header whose checksum field (currently zero) is covered by [off, off+len). */
export function internetChecksum(buf: Uint8Array, off = 0, len = buf.length - off): number {
  let sum = 0;
  for (let i = 0; i + 1 < len; i += 2) sum += ((buf[off + i] ?? 0) << 8) | (buf[off + i + 1] ?? 0);
  if ((len & 1) !== 0) sum += (buf[off + len - 1] ?? 0) << 8;
  return ~fold(sum) & 0xffff;
}
