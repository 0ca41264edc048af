const MS_PER_DAY = 86_400_000;
/** 1000-01-01 and 10000-01-01: four-digit years, the only ones written here by hand. */
const FIRST_FOUR_DIGIT_MS = Date.UTC(1000, 0, 1);
const PAST_FOUR_DIGIT_MS = Date.UTC(10_000, 0, 1);

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/**
 * `date.toISOString()`, four times as fast: a page of workers with their samples and alerts
 * writes some 1,500 timestamps, and V8's own formatting of them took a tenth of the answer's CPU.
 * Years outside 1000-9999 (and invalid dates) go to toISOString itself.
 */
export function isoTimestamp(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= FIRST_FOUR_DIGIT_MS && ms < PAST_FOUR_DIGIT_MS)) {
    return date.toISOString();
  }
  const days = Math.floor(ms / MS_PER_DAY);
  let rest = ms - days * MS_PER_DAY;
  // The proleptic Gregorian date of a day number (Howard Hinnant's civil_from_days).
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[millis]}Z`;
}

const ZERO = 48;

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index += 1) {
    const digit = text.charCodeAt(index) - ZERO;
    if (digit < 0 || digit > 9) {
      return Number.NaN;
    }
    value = value * 10 + digit;
  }
  return value;
}

/**
 * A `timestamptz` as PostgreSQL writes it in the ISO date style (`2026-12-03 12:00:00.123456+00`,
 * any `±HH` or `±HH:MM` offset), read without a regular expression; undefined for any other
 * form (BC, infinity, more than four year digits, an offset in seconds), for the caller's
 * general parser. Digits past the millisecond are dropped, as a Date keeps none.
 */
export function parseIsoTimestamptz(text: string): Date | undefined {
  if (text.length < 22 || text.charCodeAt(10) !== 32 || text.charCodeAt(4) !== 45) {
    return undefined;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hours = digitsAt(text, 11, 2);
  const minutes = digitsAt(text, 14, 2);
  const seconds = digitsAt(text, 17, 2);
  let index = 19;
  let millis = 0;
  if (text.charCodeAt(index) === 46) {
    index += 1;
    let scale = 100;
    while (index < text.length) {
      const digit = text.charCodeAt(index) - ZERO;
      if (digit < 0 || digit > 9) {
        break;
      }
      millis += digit * scale;
      scale /= 10;
      index += 1;
    }
    millis = Math.floor(millis);
  }
  const sign = text.charCodeAt(index);
  const offsetLength = text.length - index;
  const withMinutes = offsetLength === 6 && text.charCodeAt(index + 3) === 58;
  if ((sign !== 43 && sign !== 45) || (offsetLength !== 3 && !withMinutes)) {
    return undefined;
  }
  const offsetHours = digitsAt(text, index + 1, 2);
  const offsetMinutes = withMinutes ? digitsAt(text, index + 4, 2) : 0;
  const offsetMs = (sign === 43 ? 1 : -1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const ms = Date.UTC(year, month - 1, day, hours, minutes, seconds, millis) - offsetMs;
  return Number.isNaN(ms) || year < 1000 ? undefined : new Date(ms);
}
