import { parseDateTime } from 'touchpoint/protocol';
import { ApiError } from './api-error.js';
import type { Range } from '../reports/survey-report.js';

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `?from=YYYY-MM-DD&to=YYYY-MM-DD` (UTC days, both included) → a half-open
 * ISO range. Defaults to the last 30 days; a bad date is a 400 naming it.
 */
export const dateRange = (q: { from?: string; to?: string }, now: number): Range => {
  const day = (v: string | undefined, name: string, fallback: number) => {
    if (v === undefined || v === '') return fallback;
    // The protocol's parser: years 0001–9999 only (year 0000 reached PostgreSQL as a 500).
    const t = DATE.test(v) ? (parseDateTime(`${v}T00:00:00Z`) ?? NaN) : NaN;
    // V8 reads 2026-02-30 as 2 March: a day that does not exist must not round-trip.
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v) throw new ApiError('invalid_body', `?${name}: expected a date as YYYY-MM-DD`, `?${name}`);
    return t;
  };
  const today = Math.floor(now / DAY) * DAY;
  const to = day(q.to, 'to', today) + DAY;
  const from = day(q.from, 'from', today - 29 * DAY);
  if (from >= to) throw new ApiError('invalid_body', '?from must not be after ?to', '?from');
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
};
