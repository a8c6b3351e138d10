import { describe, expect, it } from 'vitest';
import { hops, initialTtl } from './hops.js';

describe('hop counts from TTLs', () => {
  it.each([
    [64, 64, 0], [63, 64, 1], [33, 64, 31], [128, 128, 0], [117, 128, 11], [255, 255, 0], [240, 255, 15], [30, 32, 2],
  ])('TTL %i: initial %i, %i hops', (ttl, init, h) => {
    expect(initialTtl(ttl)).toBe(init);
    expect(hops(ttl)).toBe(h);
  });
});
