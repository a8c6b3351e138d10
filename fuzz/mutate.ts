// Seeded, structure-aware mutations of pcap / pcapng captures (shared by test/fuzz.test.ts and fuzz/run.ts).
// Every mutant is a pure function of (seed, corpus): a failure is reproduced from its seed alone.
import { gzipSync } from 'node:zlib';
export { prng } from '../test/build/prng.js';
import { cat } from '../test/build/packet-builders.js';
import { prng } from '../test/build/prng.js';


/** One record (pcap) or block (pcapng): [start, end) and where its length fields are. */
export interface Unit {
  start: number;
  end: number;
  /** Offsets of 32-bit length fields inside the file (caplen/origlen, block length, trailing length). */
  lenFields: number[];
}

export interface Layout {
  format: 'pcap' | 'pcapng' | 'other';
  littleEndian: boolean;
  /** Bytes before the first unit (the pcap file header; 0 for pcapng, whose SHB is a unit). */
  headerLen: number;
  units: Unit[];
}

/** Splits a capture into records/blocks as far as it parses cleanly (stops at the first damage). */
export function layout(b: Uint8Array): Layout {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length >= 24) {
    const m = v.getUint32(0, false);
    const le = m === 0xd4c3b2a1 || m === 0x4d3cb2a1;
    if (le || m === 0xa1b2c3d4 || m === 0xa1b23c4d) {
      const units: Unit[] = [];
      for (let p = 24; p + 16 <= b.length; ) {
        const caplen = v.getUint32(p + 8, le);
        const end = p + 16 + caplen;
        if (end > b.length) break;
        units.push({ start: p, end, lenFields: [p + 8, p + 12] });
        p = end;
      }
      return { format: 'pcap', littleEndian: le, headerLen: 24, units };
    }
  }
  if (b.length >= 12 && v.getUint32(0, false) === 0x0a0d0d0a) {
    const le = v.getUint32(8, false) === 0x4d3c2b1a;
    const units: Unit[] = [];
    for (let p = 0; p + 12 <= b.length; ) {
      const len = v.getUint32(p + 4, le);
      if (len < 12 || len % 4 !== 0 || p + len > b.length) break;
      const type = v.getUint32(p, le);
      const fields = [p + 4, p + len - 4];
      if ((type === 6 || type === 2) && len >= 32) fields.push(p + 20, p + 24); // caplen, origlen
      if (type === 3 && len >= 16) fields.push(p + 8); // SPB origlen
      units.push({ start: p, end: p + len, lenFields: fields });
      p += len;
    }
    return { format: 'pcapng', littleEndian: le, headerLen: 0, units };
  }
  return { format: 'other', littleEndian: true, headerLen: 0, units: [] };
}

/** Mutation kinds; `gzip` wraps the result, the others change bytes. */
export const MUTATIONS = [
  'bitflip', 'byte', 'truncate', 'length', 'splice', 'swap', 'duplicate', 'delete', 'tail', 'insert', 'gzip',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

export interface Mutant {
  bytes: Uint8Array;
  /** What was done, in order, e.g. ["length@1040=0xffffffff", "gzip"]. */
  ops: string[];
}

const INTERESTING8 = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x0d, 0x1b];

/** Length values that hit boundaries: zero, tiny, the caps and just past them, huge, negative as int32. */
function interestingLength(rnd: () => number, old: number): number {
  const picks = [
    0, 1, 3, 4, 11, 12, 13, 15, 16, 31, 32, old - 1, old + 1, old - 4, old + 4, old * 2,
    65535, 65536, 262_143, 262_144, 262_145, 16 * 1024 * 1024, 16 * 1024 * 1024 + 4, 64 * 1024 * 1024 + 1,
    0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff, Math.floor(rnd() * 2 ** 32),
  ];
  return (picks[Math.floor(rnd() * picks.length)] ?? 0) >>> 0;
}

function pick<T>(rnd: () => number, xs: readonly T[]): T | undefined {
  return xs.length === 0 ? undefined : xs[Math.floor(rnd() * xs.length)];
}


function randomBytes(rnd: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rnd() * 256);
  return b;
}

/**
 * Applies 1..maxOps mutations to `src`. `donors` supplies blocks to splice in (other corpus files).
 * `gzip` is applied last (when drawn) so the reader sees a gzip layer over a damaged capture; a gzip
 * mutant may itself be truncated or corrupted.
 */
export function mutate(src: Uint8Array, rnd: () => number, donors: readonly Uint8Array[] = [], maxOps = 4): Mutant {
  let b: Uint8Array = Uint8Array.from(src);
  const ops: string[] = [];
  let gzip = false;
  const n = 1 + Math.floor(rnd() * maxOps);
  for (let k = 0; k < n; k++) {
    const kind = pick(rnd, MUTATIONS) ?? 'bitflip';
    const lay = layout(b);
    const unit = pick(rnd, lay.units);
    switch (kind) {
      case 'bitflip': {
        if (b.length === 0) break;
        const flips = 1 + Math.floor(rnd() * 8);
        for (let i = 0; i < flips; i++) {
          const at = Math.floor(rnd() * b.length);
          b[at] = (b[at] ?? 0) ^ (1 << Math.floor(rnd() * 8));
        }
        ops.push(`bitflip x${flips}`);
        break;
      }
      case 'byte': {
        if (b.length === 0) break;
        const at = Math.floor(rnd() * b.length);
        b[at] = pick(rnd, INTERESTING8) ?? 0;
        ops.push(`byte@${at}=${b[at]}`);
        break;
      }
      case 'truncate': {
        // Half the time cut exactly at (or next to) a record boundary, else anywhere.
        const at = unit && rnd() < 0.5 ? unit.start + Math.floor(rnd() * 3) - 1 : Math.floor(rnd() * b.length);
        b = b.slice(0, Math.max(0, at));
        ops.push(`truncate@${Math.max(0, at)}`);
        break;
      }
      case 'length': {
        const field = unit ? pick(rnd, unit.lenFields) : undefined;
        if (field === undefined || field + 4 > b.length) break;
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        const value = interestingLength(rnd, dv.getUint32(field, lay.littleEndian));
        dv.setUint32(field, value, lay.littleEndian);
        ops.push(`length@${field}=0x${value.toString(16)}`);
        break;
      }
      case 'splice': {
        // A block from a donor (or from this file) inserted at a unit boundary of this file.
        const donor = pick(rnd, donors) ?? b;
        const from = pick(rnd, layout(donor).units);
        if (!from || !unit) break;
        const piece = donor.slice(from.start, from.end);
        b = cat(b.subarray(0, unit.start), piece, b.subarray(unit.start));
        ops.push(`splice@${unit.start}+${piece.length}`);
        break;
      }
      case 'swap': {
        const other = pick(rnd, lay.units);
        if (!unit || !other || unit === other) break;
        const [x, y] = unit.start < other.start ? [unit, other] : [other, unit];
        b = cat(b.subarray(0, x.start), b.subarray(y.start, y.end), b.subarray(x.end, y.start), b.subarray(x.start, x.end), b.subarray(y.end));
        ops.push(`swap@${x.start},${y.start}`);
        break;
      }
      case 'duplicate': {
        if (!unit) break;
        const times = 1 + Math.floor(rnd() * 3);
        const piece = b.subarray(unit.start, unit.end);
        b = cat(b.subarray(0, unit.end), ...Array.from({ length: times }, () => piece), b.subarray(unit.end));
        ops.push(`duplicate@${unit.start}x${times}`);
        break;
      }
      case 'delete': {
        if (!unit) break;
        b = cat(b.subarray(0, unit.start), b.subarray(unit.end));
        ops.push(`delete@${unit.start}`);
        break;
      }
      case 'tail': {
        // Random garbage, or a header that promises a huge record the file never delivers.
        const len = Math.floor(rnd() * 4096);
        const tail = randomBytes(rnd, len);
        if (len >= 16 && rnd() < 0.3) new DataView(tail.buffer).setUint32(lay.format === 'pcap' ? 8 : 4, 0x7ffffff0, lay.littleEndian);
        b = cat(b, tail);
        ops.push(`tail+${len}`);
        break;
      }
      case 'insert': {
        const at = Math.floor(rnd() * (b.length + 1));
        const len = 1 + Math.floor(rnd() * 16);
        b = cat(b.subarray(0, at), randomBytes(rnd, len), b.subarray(at));
        ops.push(`insert@${at}+${len}`);
        break;
      }
      case 'gzip':
        gzip = true;
        break;
    }
  }
  if (gzip) {
    let z: Uint8Array = gzipSync(b, { level: 1 });
    const r = rnd();
    if (r < 0.2 && z.length > 0) {
      z = z.slice(0, Math.floor(rnd() * z.length));
      ops.push(`gzip, cut to ${z.length}`);
    } else if (r < 0.35 && z.length > 20) {
      const at = 10 + Math.floor(rnd() * (z.length - 10));
      z = Uint8Array.from(z);
      z[at] = (z[at] ?? 0) ^ 0xff;
      ops.push(`gzip, corrupt@${at}`);
    } else ops.push('gzip');
    b = z;
  }
  return { bytes: b, ops };
}

/** Frames whose record ends at or before `offset` (the ones a reader must still deliver). */
export function framesBefore(b: Uint8Array, offset: number): number {
  const lay = layout(b);
  let frames = 0;
  if (lay.format === 'pcap') {
    for (const u of lay.units) if (u.end <= offset) frames++;
    return frames;
  }
  // pcapng: count packet blocks (EPB 6, PB 2, SPB 3) that end before the offset.
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (const u of lay.units) {
    if (u.end > offset) break;
    const type = v.getUint32(u.start, lay.littleEndian);
    if (type === 6 || type === 2 || type === 3) frames++;
  }
  return frames;
}
