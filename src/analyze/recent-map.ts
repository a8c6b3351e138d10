// Bounded tables of the analysis (host profiles, scan sources, bare RSTs): a Map kept in order of last
// use, the least recently used entries dropped beyond a cap, so memory stays flat however long the capture.

/**
 * Marks `key` (holding `value`) as just used; past `max`, drops the least recently used quarter in one
 * pass (dropping one at a time would walk the holes deletions leave at the front of V8's ordered table
 * again and again).
 */
export function touch<K, V>(map: Map<K, V>, key: K, value: V, max: number, onDrop?: (key: K, value: V) => void): void {
  map.delete(key); // a Map iterates in insertion order: re-inserting moves the key to the recent end
  map.set(key, value);
  if (map.size <= max) return;
  let excess = map.size - (max - (max >> 2));
  for (const [k, v] of map) {
    if (excess-- <= 0) break;
    map.delete(k);
    onDrop?.(k, v);
  }
}
