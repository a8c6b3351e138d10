import { describe, expect, it } from 'vitest';
import { safeRecord, terminalSafe } from './sanitize.js';
import { formatBytes, formatCount, formatDuration } from './units.js';

describe('fold units', () => {
  it('formats counts, bytes and durations the way fold lines print them', () => {
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12)).toBe('12');
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_600_000)).toBe('1.6 MB');
    expect(formatBytes(123_456_789)).toBe('123 MB');
    expect(formatDuration(3.2)).toBe('3.2 s');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(0.045)).toBe('45 ms');
    expect(formatDuration(0.0002)).toBe('0.2 ms');
    expect(formatDuration(900)).toBe('15 min');
  });
});

describe('terminal safety', () => {
  it('replaces every control character, escapes included', () => {
    expect(terminalSafe('a\x1b[31mred\x1b[0m\x07\x9b2J\u202eb\r\n')).toBe('a?[31mred?[0m??2J?b??');
    expect(terminalSafe('plain text: <ok> é')).toBe('plain text: <ok> é');
  });

  it('cleans every string of a record, deep', () => {
    expect(safeRecord({ a: 'x\x1b', b: ['\x07'], c: { d: 1, e: null } })).toEqual({ a: 'x?', b: ['?'], c: { d: 1, e: null } });
  });
});
