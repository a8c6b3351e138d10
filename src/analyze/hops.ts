// Hop counts from TTLs: the distance a packet travelled from a sender whose initial TTL is one of the
// usual defaults (64 Linux/macOS, 128 Windows, 255 network devices and BSD), as seen at one capture point.

const INITIAL_TTLS = [32, 64, 128, 255];

/** The likely initial TTL of a packet seen with `ttl`. */
export function initialTtl(ttl: number): number {
  for (const t of INITIAL_TTLS) if (ttl <= t) return t;
  return 255;
}

/** Hops travelled: initial TTL minus the observed one. */
export function hops(ttl: number): number {
  return initialTtl(ttl) - ttl;
}
