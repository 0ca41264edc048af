import { isoTimestamp, parseIsoTimestamptz } from '../../src/lib/timestamps';
import { typeParsers } from '../../src/database/type-parsers';
import { types } from 'pg';

const parsePostgresDate = types.getTypeParser(types.builtins.TIMESTAMPTZ, 'text') as (
  text: string,
) => Date | number;

/** Deterministic spread of instants over four-digit years, with every millisecond digit. */
function instants(count: number): Date[] {
  const first = Date.UTC(1000, 0, 1);
  const span = Date.UTC(9999, 11, 31, 23, 59, 59, 999) - first;
  return Array.from({ length: count }, (_, index) => {
    const fraction = ((index * 2_654_435_761) % 4_294_967_296) / 4_294_967_296;
    return new Date(first + Math.floor(fraction * span));
  });
}

/** PostgreSQL's ISO text of an instant at an offset, with `digits` fractional digits. */
function postgresText(date: Date, offsetMinutes: number, digits: number): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString();
  const fraction = digits === 0 ? '' : `.${`${local.slice(20, 23)}456`.slice(0, digits)}`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const minutes = Math.abs(offsetMinutes) % 60;
  const offset =
    minutes === 0 ? `${sign}${hours}` : `${sign}${hours}:${String(minutes).padStart(2, '0')}`;
  return `${local.slice(0, 10)} ${local.slice(11, 19)}${fraction}${offset}`;
}

describe(isoTimestamp.name, () => {
  it('should write what toISOString writes, across four-digit years', () => {
    for (const date of [...instants(20_000), new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999))]) {
      expect(isoTimestamp(date)).toBe(date.toISOString());
    }
  });

  it('should leave other years to toISOString, and refuse an invalid date as it does', () => {
    const ancient = new Date(Date.UTC(999, 11, 31, 23, 59, 59, 999));
    const far = new Date(Date.UTC(10_000, 0, 1));

    expect(isoTimestamp(ancient)).toBe(ancient.toISOString());
    expect(isoTimestamp(far)).toBe('+010000-01-01T00:00:00.000Z');
    expect(() => isoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe(parseIsoTimestamptz.name, () => {
  it("should read PostgreSQL's text as pg's own parser does, at any offset and precision", () => {
    const offsets = [0, 60, -480, 330, -570, 840];
    instants(3_000).forEach((date, index) => {
      const text = postgresText(date, offsets[index % offsets.length] ?? 0, index % 7);

      expect(parseIsoTimestamptz(text)?.getTime()).toBe(parsePostgresDate(text).valueOf());
    });
  });

  it.each([
    'infinity',
    '-infinity',
    '0044-03-15 12:00:00+00 BC',
    '12345-01-01 00:00:00+00',
    '1890-01-01 00:00:00+00:09:21',
    '2026-12-03T12:00:00Z',
    '2026-12-03 12:00:00+0000',
  ])('should leave %s to the general parser', (text) => {
    expect(parseIsoTimestamptz(text)).toBeUndefined();
  });

  it('should be what the service reads timestamptz with, falling back to pg for the rest', () => {
    const parse = typeParsers.getTypeParser(types.builtins.TIMESTAMPTZ, 'text');

    expect(parse('2026-12-03 12:00:00.123456+00')).toEqual(new Date('2026-12-03T12:00:00.123Z'));
    expect(parse('infinity')).toBe(Infinity);
    expect(typeParsers.getTypeParser(types.builtins.INT4, 'text')('42')).toBe(42);
  });
});
