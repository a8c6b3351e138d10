// Sequence space seen in one direction of a connection at one point, as merged intervals: compares what
// two points saw byte by byte, whatever the segmentation (TSO super-segments, GRO merges, retransmissions).
import { seqDiff } from '../decode/seq.js';

/** Intervals kept per direction; beyond it the two closest are merged (losses then may be under-reported). */
export const MAX_INTERVALS = 64;

/** A byte range [start, end) in absolute sequence numbers (mod 2^32) and relative to the first seq seen. */
export interface LostRange {
  seq: number;
  end: number;
  bytes: number;
}

export class SeqRanges {
  /** Absolute seq of relative 0 (the first seq seen), null before any. */
  base: number | null = null;
  /** Sorted, disjoint, non-adjacent [start, end) pairs, relative to base (unwrapped past 2^32). */
  readonly iv: number[] = [];
  private lastAbs = 0;
  private lastRel = 0;
  /** Intervals merged because of MAX_INTERVALS. */
  merged = 0;

  /** Records `len` units of sequence space from `seq` (payload, plus one for SYN and FIN). */
  add(seq: number, len: number): void {
    if (len <= 0) return;
    if (this.base === null) {
      this.base = seq;
      this.lastAbs = seq;
    }
    const start = this.rel(seq);
    this.lastAbs = seq;
    this.lastRel = start;
    insert(this.iv, start, start + len);
    if (this.iv.length > 2 * MAX_INTERVALS) this.mergeClosest();
  }

  /** Relative position of an absolute seq, unwrapped around the last one added. */
  rel(seq: number): number {
    return this.lastRel + seqDiff(seq, this.lastAbs);
  }

  /** Total units covered. */
  get size(): number {
    let n = 0;
    for (let i = 0; i < this.iv.length; i += 2) n += this.iv[i + 1]! - this.iv[i]!;
    return n;
  }

  /** Ranges this side saw that `other` never did, last ones first, at most `limit` (bytes count them all). */
  missingFrom(other: SeqRanges, limit: number): { ranges: LostRange[]; bytes: number } {
    if (this.base === null) return { ranges: [], bytes: 0 };
    const shift = other.base === null ? 0 : seqDiff(other.base, this.base);
    const theirs: number[] = other.iv.map((x) => x + shift);
    const out: LostRange[] = [];
    let bytes = 0;
    for (let i = 0; i < this.iv.length; i += 2) {
      for (const [a, b] of subtract(this.iv[i]!, this.iv[i + 1]!, theirs)) {
        bytes += b - a;
        out.push({ seq: (this.base + a) >>> 0, end: (this.base + b) >>> 0, bytes: b - a });
      }
    }
    return { ranges: out.reverse().slice(0, limit), bytes };
  }

  private mergeClosest(): void {
    let best = 2;
    for (let i = 2; i < this.iv.length; i += 2) {
      if (this.iv[i]! - this.iv[i - 1]! < this.iv[best]! - this.iv[best - 1]!) best = i;
    }
    this.iv.splice(best - 1, 2);
    this.merged++;
  }
}

/** Inserts [a, b) into the sorted flat list, merging overlapping and adjacent intervals. */
function insert(iv: number[], a: number, b: number): void {
  const n = iv.length;
  // Fast path: in-order data extends or follows the last interval.
  if (n === 0 || a > iv[n - 1]!) {
    iv.push(a, b);
    return;
  }
  if (a >= iv[n - 2]!) {
    if (b > iv[n - 1]!) iv[n - 1] = b;
    return;
  }
  let i = 0;
  while (i < n && iv[i + 1]! < a) i += 2;
  let j = i;
  let lo = a;
  let hi = b;
  while (j < n && iv[j]! <= b) {
    lo = Math.min(lo, iv[j]!);
    hi = Math.max(hi, iv[j + 1]!);
    j += 2;
  }
  iv.splice(i, j - i, lo, hi);
}

/** Parts of [a, b) not covered by the sorted flat list `cover`. */
function subtract(a: number, b: number, cover: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let cur = a;
  for (let i = 0; i < cover.length && cur < b; i += 2) {
    const s = cover[i]!;
    const e = cover[i + 1]!;
    if (e <= cur) continue;
    if (s >= b) break;
    if (s > cur) out.push([cur, s]);
    cur = Math.max(cur, e);
  }
  if (cur < b) out.push([cur, b]);
  return out;
}
