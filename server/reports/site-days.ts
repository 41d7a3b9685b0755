import { dateRange } from '../lib/date-range.js';
import { siteDayStart, siteToday } from '../lib/site-time.js';
import type { Range } from './survey-report.js';

const DAY = 86_400_000;

/**
 * `?from=&to=` as the site's local days (both included) → a half-open ISO
 * range of instants: a day in Asia/Shanghai starts at 16:00 UTC the day
 * before. dateRange's defaults (the last 30 days, today included — the
 * site's today) and its errors (`?from`, `?to`).
 */
export const siteDateRange = (q: { from?: string; to?: string }, now: number, zone: string): Range => {
  // dateRange parses and checks the days; noon of the local today gives it the site's "today".
  const days = dateRange(q, Date.parse(`${siteToday(now, zone)}T12:00:00Z`));
  return { from: new Date(siteDayStart(days.from.slice(0, 10), zone)).toISOString(), to: new Date(siteDayStart(days.to.slice(0, 10), zone)).toISOString() };
};

/** The Mondays (`YYYY-MM-DD`) of the `n` weeks ending with the week of `day`, oldest first. */
export const mondays = (day: string, n: number): string[] => {
  const t = Date.parse(`${day}T00:00:00Z`);
  const monday = t - ((new Date(t).getUTCDay() + 6) % 7) * DAY;
  return Array.from({ length: n }, (_, i) => new Date(monday - (n - 1 - i) * 7 * DAY).toISOString().slice(0, 10));
};
