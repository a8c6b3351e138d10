// Serial-number arithmetic (RFC 1982 style) for 32-bit TCP sequence numbers; wrap-around safe.
// Pairs exactly 2^31 apart are unordered: seqDiff gives +2^31 both ways and every comparison is false.

const HALF = 0x80000000;

/** a - b as a signed distance in (-2^31, 2^31]. */
export function seqDiff(a: number, b: number): number {
  const d = (a - b) | 0;
  return d === -HALF ? HALF : d;
}

/** a is before b. */
export function seqLt(a: number, b: number): boolean {
  const d = (a - b) | 0;
  return d < 0 && d !== -HALF;
}

/** a is before or equal to b. */
export function seqLe(a: number, b: number): boolean {
  const d = (a - b) | 0;
  return d <= 0 && d !== -HALF;
}

/** a is after b. */
export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** a is after or equal to b. */
export function seqGe(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

/** a + n modulo 2^32, unsigned (n may be negative). */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
