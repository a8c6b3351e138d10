// ISO-8601 UTC rendering of (seconds, nanoseconds) at a chosen number of fractional digits.

/**
 * Formats a capture timestamp as ISO-8601 UTC, e.g. "2009-11-18T16:05:12.123456Z".
 * The fraction is truncated (not rounded) to `precision` digits, as Wireshark displays it;
 * precision 0 prints none, above 9 pads with zeros. Works for any integer `sec`, including
 * before 1970 and after 2038, without Date's range limits.
 */
export function formatIsoTime(sec: number, nsec: number, precision: number): string {
  const days = Math.floor(sec / SEC_PER_DAY);
  const secOfDay = sec - days * SEC_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const hh = Math.floor(secOfDay / 3600);
  const mm = Math.floor((secOfDay % 3600) / 60);
  const ss = secOfDay % 60;
  const date = `${formatYear(year)}-${pad2(month)}-${pad2(day)}`;
  const time = `${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
  return `${date}T${time}${fraction(nsec, precision)}Z`;
}

/** ".123456" for precision 6, "" for precision 0. */
export function fraction(nsec: number, precision: number): string {
  if (precision <= 0) return '';
  const digits = String(nsec).padStart(9, '0');
  return '.' + (precision <= 9 ? digits.slice(0, precision) : digits.padEnd(precision, '0'));
}

/** Seconds-since-epoch as "sec.fraction" at the given precision (how tshark's frame.time_epoch reads). */
export function formatEpochTime(sec: number, nsec: number, precision: number): string {
  return `${sec}${fraction(nsec, precision)}`;
}

/** Proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's civil_from_days). */
function civilFromDays(z: number): { year: number; month: number; day: number } {
  const zz = z + 719_468; // shift the epoch to 0000-03-01 so leap days fall at the end of a cycle
  const era = Math.floor(zz / 146_097);
  const doe = zz - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Four digits for 0000..9999, ISO-8601 expanded form (+/-YYYYYY) outside that range. */
function formatYear(y: number): string {
  if (y >= 0 && y <= 9999) return String(y).padStart(4, '0');
  return (y < 0 ? '-' : '+') + String(Math.abs(y)).padStart(6, '0');
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

const SEC_PER_DAY = 86_400;
