const DAY = 86_400_000;

/**
 * Every calendar day from `from` to `to` (`YYYY-MM-DD`, both included): the
 * x axis of a daily chart, empty days too — a day without data is a gap a
 * reader sees, not a day the chart silently drops. At most ten years.
 */
export const daysBetween = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end && out.length < 3660; t += DAY) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
};
