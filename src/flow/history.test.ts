// Zeek's history letters: case by direction, once-per-direction letters, logarithmic letters, role flip.
import { describe, expect, it } from 'vitest';
import { HIST_ACK, HIST_DATA, HIST_FIN, HIST_MULTI_FLAG, HIST_RST, HIST_SYN, History } from './history.js';

describe('History.check: once per direction', () => {
  it('upper case for the originator, lower case for the responder', () => {
    const h = new History();
    expect(h.check(HIST_SYN, 'S', true)).toBe(false);
    expect(h.check(HIST_SYN, 'H', false)).toBe(false);
    expect(h.check(HIST_ACK, 'A', true)).toBe(false);
    expect(h.check(HIST_DATA, 'D', false)).toBe(false);
    expect(h.text).toBe('ShAd');
  });

  it('a letter already recorded in a direction is not added again, and check() says so', () => {
    const h = new History();
    h.check(HIST_DATA, 'D', true);
    expect(h.check(HIST_DATA, 'D', true)).toBe(true);
    expect(h.check(HIST_DATA, 'D', true)).toBe(true);
    expect(h.text).toBe('D');
    // ... but the other direction still records it once
    expect(h.check(HIST_DATA, 'D', false)).toBe(false);
    expect(h.check(HIST_DATA, 'D', false)).toBe(true);
    expect(h.text).toBe('Dd');
  });

  it('each mask bit is its own letter slot', () => {
    const h = new History();
    for (const [mask, code] of [[HIST_SYN, 'S'], [HIST_FIN, 'F'], [HIST_RST, 'R'], [HIST_DATA, 'D'], [HIST_ACK, 'A'], [HIST_MULTI_FLAG, 'Q']] as const) {
      expect(h.check(mask, code, true), code).toBe(false);
    }
    expect(h.text).toBe('SFRDAQ');
    for (const [mask, code] of [[HIST_SYN, 'S'], [HIST_FIN, 'F'], [HIST_RST, 'R'], [HIST_DATA, 'D'], [HIST_ACK, 'A'], [HIST_MULTI_FLAG, 'Q']] as const) {
      expect(h.check(mask, code, true), code).toBe(true);
    }
    expect(h.text).toBe('SFRDAQ');
  });

  it('add() always appends (repeated S/F/R with new sequence numbers)', () => {
    const h = new History();
    h.check(HIST_RST, 'R', true);
    h.add('R', true);
    h.add('R', false);
    expect(h.text).toBe('RRr');
  });
});

describe('History.scaled: the 1st, 10th, 100th, ... event', () => {
  function run(events: number, isOrig = true): { text: string; letters: number[] } {
    const h = new History();
    let thresh = 1;
    const letters: number[] = [];
    for (let count = 1; count <= events; count++) {
      const before = h.text.length;
      thresh = h.scaled('T', isOrig, count, thresh);
      if (h.text.length > before) letters.push(count);
    }
    return { text: h.text, letters };
  }

  it.each([
    [1, [1]],
    [9, [1]],
    [10, [1, 10]],
    [99, [1, 10]],
    [100, [1, 10, 100]],
    [1000, [1, 10, 100, 1000]],
  ])('%i events record a letter at %j', (events, expected) => {
    expect(run(events).letters).toEqual(expected);
    expect(run(events).text).toBe('T'.repeat(expected.length));
  });

  it('responder events are lower case', () => {
    expect(run(10, false).text).toBe('tt');
  });

  it('returns the next threshold', () => {
    const h = new History();
    expect(h.scaled('W', true, 1, 1)).toBe(10);
    expect(h.scaled('W', true, 2, 10)).toBe(10);
    expect(h.scaled('W', true, 10, 10)).toBe(100);
    expect(h.text).toBe('WW');
  });
});

describe('History.flip', () => {
  it('swaps the case of every letter and starts with ^', () => {
    const h = new History();
    h.check(HIST_SYN, 'H', true); // a SYN/ACK seen first from the "originator"
    h.check(HIST_ACK, 'A', false);
    h.check(HIST_DATA, 'D', false);
    expect(h.text).toBe('Had');
    h.flip();
    expect(h.text).toBe('^hAD');
  });

  it('swaps the once-per-direction masks with the roles', () => {
    const h = new History();
    h.check(HIST_SYN, 'H', true);
    h.flip();
    // what the old originator recorded now belongs to the responder
    expect(h.check(HIST_SYN, 'H', false)).toBe(true);
    expect(h.check(HIST_SYN, 'S', true)).toBe(false);
    expect(h.text).toBe('^hS');
  });

  it('a second flip keeps a single leading ^', () => {
    const h = new History();
    h.check(HIST_SYN, 'S', true);
    h.flip();
    h.flip();
    expect(h.text).toBe('^S');
    expect(h.text.split('^')).toHaveLength(2);
  });

  it('an empty history flips to ^', () => {
    const h = new History();
    h.flip();
    expect(h.text).toBe('^');
  });
});
