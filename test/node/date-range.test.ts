import { describe, expect, it } from 'vitest';
import { dateRange } from '../../server/lib/date-range.js';
import { ApiError } from '../../server/lib/api-error.js';

const HOUR = 3_600_000;
const span = (r: { from: string; to: string }) => Date.parse(r.to) - Date.parse(r.from);

describe('report date ranges (UTC days, both ends included)', () => {
  it('defaults to the 30 days ending today, today included, wherever "now" falls in the day', () => {
    for (const now of ['2026-11-30T00:00:00.000Z', '2026-11-30T23:59:59.999Z']) {
      expect(dateRange({}, Date.parse(now))).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    }
  });

  it('crosses a month end, a year end and a leap day without losing or adding a day', () => {
    expect(dateRange({}, Date.parse('2027-01-01T00:00:05.000Z'))).toEqual({ from: '2026-12-03T00:00:00.000Z', to: '2027-01-02T00:00:00.000Z' });
    expect(dateRange({ from: '2026-12-31', to: '2027-01-01' }, 0)).toEqual({ from: '2026-12-31T00:00:00.000Z', to: '2027-01-02T00:00:00.000Z' });
    expect(dateRange({ from: '2028-02-28', to: '2028-03-01' }, 0)).toEqual({ from: '2028-02-28T00:00:00.000Z', to: '2028-03-02T00:00:00.000Z' });
    expect(span(dateRange({ from: '2028-02-01', to: '2028-02-29' }, 0))).toBe(29 * 24 * HOUR);
  });

  it('counts whole 24-hour days across the DST changes of Europe and the US (days are UTC)', () => {
    // 2026-03-29 and 2026-10-25 in the EU, 2026-03-08 and 2026-11-01 in the US: a local day there is 23 or 25 hours.
    for (const day of ['2026-03-29', '2026-10-25', '2026-03-08', '2026-11-01']) expect(span(dateRange({ from: day, to: day }, 0))).toBe(24 * HOUR);
  });

  it('refuses a date that does not exist, a wrong form, one outside 1970-01-01…9999-09-30, or a range that ends before it starts, naming the parameter', () => {
    for (const [q, path] of [
      [{ from: '2026-02-30' }, '?from'],
      [{ to: '2027-13-01' }, '?to'],
      [{ from: '2026-11-1' }, '?from'],
      [{ from: '2026-12-02', to: '2026-12-01' }, '?from'],
      // Outside the years every step can write: a 90-day window after 9999-12-31 grows a sign PostgreSQL refuses, 0001 reads as 1901.
      [{ to: '9999-12-31' }, '?to'],
      [{ from: '0001-01-01' }, '?from'],
      [{ from: '1969-12-31' }, '?from'],
    ] as const) {
      let err: unknown;
      try {
        dateRange(q, Date.parse('2026-12-01T12:00:00Z'));
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(q)).toBeInstanceOf(ApiError);
      expect((err as ApiError).toBody().error, JSON.stringify(q)).toMatchObject({ code: 'invalid_body', path });
    }
  });
});
