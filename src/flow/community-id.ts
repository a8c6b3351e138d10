// Community ID v1 (https://github.com/corelight/community-id-spec) so records join Zeek, Suricata and Arkime.
import { createHash } from 'node:crypto';

const PROTO_TCP = 6;

/** Community ID of a TCP flow; addresses are the raw 4- or 16-byte forms. */
export function communityId(
  srcAddr: Uint8Array, dstAddr: Uint8Array, sport: number, dport: number, seed = 0,
): string {
  const cmp = compareBytes(srcAddr, dstAddr);
  const swap = cmp > 0 || (cmp === 0 && sport > dport);
  const a = swap ? dstAddr : srcAddr;
  const b = swap ? srcAddr : dstAddr;
  const pa = swap ? dport : sport;
  const pb = swap ? sport : dport;
  const buf = new Uint8Array(2 + a.length + b.length + 2 + 4);
  let o = 0;
  buf[o++] = (seed >> 8) & 0xff;
  buf[o++] = seed & 0xff;
  buf.set(a, o);
  o += a.length;
  buf.set(b, o);
  o += b.length;
  buf[o++] = PROTO_TCP;
  buf[o++] = 0;
  buf[o++] = pa >> 8;
  buf[o++] = pa & 0xff;
  buf[o++] = pb >> 8;
  buf[o++] = pb & 0xff;
  return '1:' + createHash('sha1').update(buf).digest('base64');
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
