// Bounded tables of the analysis (host profiles, scan sources, bare RSTs): a Map kept in order of last
// use, the least recently used entries dropped beyond a cap, so memory stays flat however long the capture.

/** Marks `key` (holding `value`) as just used and drops the least recently used entries beyond `max`. */
export function touch<K, V>(map: Map<K, V>, key: K, value: V, max: number, onDrop?: (key: K, value: V) => void): void {
  map.delete(key); // a Map iterates in insertion order: re-inserting moves the key to the recent end
  map.set(key, value);
  while (map.size > max) {
    const [oldKey, oldValue] = map.entries().next().value as [K, V];
    map.delete(oldKey);
    onDrop?.(oldKey, oldValue);
  }
}
