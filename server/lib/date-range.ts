import { parseDateTime } from 'touchpoint/protocol';
import { ApiError } from './api-error.js';
import type { Range } from '../reports/survey-report.js';

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The last day a range may name: a day and a 90-day funnel window after it still end in 9999. */
const LAST = Date.UTC(9999, 8, 30);

/**
 * `?from=YYYY-MM-DD&to=YYYY-MM-DD` (UTC days, both included) → a half-open
 * ISO range. Defaults to the last 30 days; a bad date (or one outside
 * 1970-01-01…9999-09-30) is a 400 naming it.
 */
export const dateRange = (q: { from?: string; to?: string }, now: number): Range => {
  const day = (v: string | undefined, name: string, fallback: number) => {
    if (v === undefined || v === '') return fallback;
    // The protocol's parser: years 0001–9999 only (year 0000 reached PostgreSQL as a 500).
    const t = DATE.test(v) ? (parseDateTime(`${v}T00:00:00Z`) ?? NaN) : NaN;
    // V8 reads 2026-02-30 as 2 March: a day that does not exist must not round-trip.
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v) throw new ApiError('invalid_body', `?${name}: expected a date as YYYY-MM-DD`, `?${name}`);
    // A report's range (and a funnel's window after it) must stay inside the years 1970–9999 that every step can
    // write: past 9999 an ISO string grows a sign PostgreSQL refuses (a 500), and years 0–99 read back as 19xx.
    if (t < 0 || t > LAST) throw new ApiError('invalid_body', `?${name}: expected a date from 1970-01-01 to 9999-09-30`, `?${name}`);
    return t;
  };
  const today = Math.floor(now / DAY) * DAY;
  const to = day(q.to, 'to', today) + DAY;
  const from = day(q.from, 'from', today - 29 * DAY);
  if (from >= to) throw new ApiError('invalid_body', '?from must not be after ?to', '?from');
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
};
