// Text form of IP addresses: IPv4 dotted quad, IPv6 canonical (RFC 5952).

/** Formats the 4 (IPv4) or 16 (IPv6) address bytes at `off` of `buf`. */
export function formatAddress(buf: Uint8Array, off: number, version: 4 | 6): string {
  if (version === 4) return dotted(buf, off);
  const groups = GROUPS;
  for (let i = 0; i < 8; i++) groups[i] = ((buf[off + 2 * i] ?? 0) << 8) | (buf[off + 2 * i + 1] ?? 0);
  // IPv4-mapped (::ffff:a.b.c.d): RFC 5952 section 5 keeps the dotted tail.
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${dotted(buf, off + 12)}`;
  }
  // Longest run of 2+ zero groups; the first one wins a tie.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return hexGroups(groups, 0, 8);
  return `${hexGroups(groups, 0, bestStart)}::${hexGroups(groups, bestStart + bestLen, 8)}`;
}

const GROUPS = new Array<number>(8).fill(0);

function dotted(buf: Uint8Array, off: number): string {
  return `${buf[off] ?? 0}.${buf[off + 1] ?? 0}.${buf[off + 2] ?? 0}.${buf[off + 3] ?? 0}`;
}

function hexGroups(groups: number[], from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += (i > from ? ':' : '') + (groups[i] ?? 0).toString(16);
  return s;
}
