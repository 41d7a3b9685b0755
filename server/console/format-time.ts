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
