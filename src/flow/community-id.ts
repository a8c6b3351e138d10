// Community ID v1 (https://github.com/corelight/community-id-spec) so records join Zeek, Suricata and Arkime.

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
  return '1:' + base64(sha1(buf));
}

const W = new Int32Array(80);
const BLOCK = new Uint8Array(128);
const DIGEST = new Uint8Array(20);
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** SHA-1 (FIPS 180-4) of a short message (at most 119 bytes: two blocks); a hash object per connection cost more. */
function sha1(msg: Uint8Array): Uint8Array {
  const n = msg.length;
  const blocks = n + 9 <= 64 ? 1 : 2;
  const b = BLOCK;
  b.fill(0);
  b.set(msg);
  b[n] = 0x80;
  const end = blocks * 64;
  const bits = n * 8;
  b[end - 4] = bits >>> 24;
  b[end - 3] = (bits >>> 16) & 0xff;
  b[end - 2] = (bits >>> 8) & 0xff;
  b[end - 1] = bits & 0xff;
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  for (let off = 0; off < end; off += 64) {
    for (let i = 0; i < 16; i++) {
      const o = off + 4 * i;
      W[i] = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
    }
    for (let i = 16; i < 80; i++) {
      const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
      W[i] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let bb = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) {
        f = (bb & c) | (~bb & d);
        k = 0x5a827999;
      } else if (i < 40) {
        f = bb ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (i < 60) {
        f = (bb & c) | (bb & d) | (c & d);
        k = 0x8f1bbcdc | 0;
      } else {
        f = bb ^ c ^ d;
        k = 0xca62c1d6 | 0;
      }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + W[i]!) | 0;
      e = d;
      d = c;
      c = (bb << 30) | (bb >>> 2);
      bb = a;
      a = t;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + bb) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  putU32(DIGEST, 0, h0);
  putU32(DIGEST, 4, h1);
  putU32(DIGEST, 8, h2);
  putU32(DIGEST, 12, h3);
  putU32(DIGEST, 16, h4);
  return DIGEST;
}

function putU32(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = (v >>> 16) & 0xff;
  out[at + 2] = (v >>> 8) & 0xff;
  out[at + 3] = v & 0xff;
}

/** Standard base64 (with padding). */
function base64(d: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < d.length; i += 3) {
    const v = (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!;
    s += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + B64[(v >>> 6) & 63]! + B64[v & 63]!;
  }
  const rest = d.length - i;
  if (rest === 1) {
    const v = d[i]! << 16;
    s += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + '==';
  } else if (rest === 2) {
    const v = (d[i]! << 16) | (d[i + 1]! << 8);
    s += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + B64[(v >>> 6) & 63]! + '=';
  }
  return s;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
