/**
 * The console's one way to show a moment: the viewer's locale and time zone
 * (Intl), so a de-DE agent reads "01.12.2026, 08:15" and an en-US one
 * "Dec 1, 2026, 8:15 AM". Formatters are made once: building one costs more
 * than using it, and tables format hundreds of cells.
 */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** A moment (ISO 8601 or epoch ms) as date and time. */
export const when = (at: string | number): string => dateTime.format(new Date(at));

/** A moment as time of day only (tabs of one recording, messages of today). */
export const clockTime = (at: string | number): string => timeOnly.format(new Date(at));

const calendarDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const shortDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/**
 * A calendar day the server already cut in the site's time zone
 * (`YYYY-MM-DD`), in the viewer's words: read at UTC so no zone moves it.
 */
export const dayName = (day: string): string => calendarDay.format(new Date(`${day}T00:00:00Z`));

/** A calendar day on a chart's axis ("Nov 30", "30. Nov."). */
export const axisDay = (day: string): string => shortDay.format(new Date(`${day}T00:00:00Z`));

/** A length of time (ms) as m:ss, or h:mm:ss from an hour. */
export const duration = (ms: number): string => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const mmss = `${Math.floor(s / 60) % 60}:${String(s % 60).padStart(2, '0')}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss.padStart(5, '0')}` : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
