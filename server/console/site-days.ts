import { siteToday } from '../lib/site-time.js';

/**
 * The last `n` days of a site's calendar, today included (`YYYY-MM-DD`), as
 * a report cuts them when no range is given (siteDateRange: the site's local
 * days). The date inputs start from the site's today, not the browser's UTC
 * day: a UTC+8 site at 07:00 its time was offered yesterday as the last day.
 */
export const siteDays = (zone: string, n = 30, now = Date.now()): { from: string; to: string } => {
  const to = siteToday(now, zone);
  return { from: new Date(Date.parse(`${to}T12:00:00Z`) - (n - 1) * 86_400_000).toISOString().slice(0, 10), to };
};
