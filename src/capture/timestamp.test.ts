import { describe, expect, it } from 'vitest';
import { formatEpochTime, formatIsoTime } from './timestamp.js';

describe('formatIsoTime', () => {
  it('formats at exactly the requested precision (truncating)', () => {
    expect(formatIsoTime(1258560312, 123456789, 6)).toBe('2009-11-18T16:05:12.123456Z');
    expect(formatIsoTime(1258560312, 123456789, 9)).toBe('2009-11-18T16:05:12.123456789Z');
    expect(formatIsoTime(1258560312, 123456789, 3)).toBe('2009-11-18T16:05:12.123Z');
    expect(formatIsoTime(1258560312, 123456789, 0)).toBe('2009-11-18T16:05:12Z');
    expect(formatIsoTime(1258560312, 5, 9)).toBe('2009-11-18T16:05:12.000000005Z');
    expect(formatIsoTime(1258560312, 5, 12)).toBe('2009-11-18T16:05:12.000000005000Z');
  });
  it('handles 1970, before 1970, 2038+, 2100 and leap days', () => {
    expect(formatIsoTime(0, 0, 6)).toBe('1970-01-01T00:00:00.000000Z');
    expect(formatIsoTime(-1, 500_000_000, 1)).toBe('1969-12-31T23:59:59.5Z');
    expect(formatIsoTime(2 ** 31, 0, 0)).toBe('2038-01-19T03:14:08Z');
    expect(formatIsoTime(4102444800, 0, 0)).toBe('2100-01-01T00:00:00Z');
    expect(formatIsoTime(951782400, 0, 0)).toBe('2000-02-29T00:00:00Z');
    expect(formatIsoTime(2 ** 32 - 1, 0, 0)).toBe('2106-02-07T06:28:15Z');
  });
  it('agrees with Date for many seconds values', () => {
    for (let s = -5e10; s < 2.5e11; s += 7_777_777_7 + 13) {
      const want = new Date(s * 1000).toISOString().replace('.000Z', 'Z');
      expect(formatIsoTime(s, 0, 0)).toBe(want);
    }
  });
  it('formats epoch seconds like tshark frame.time_epoch', () => {
    expect(formatEpochTime(1324071333, 493287000, 6)).toBe('1324071333.493287');
  });
});
