import Type, { type Static } from 'typebox';
import { zonedParts, siteDay } from './lib/site-time.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const Time = (description: string) => Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$', description });
const Range = Type.Object({ from: Time('Opens, `HH:MM` in the site\'s zone.'), to: Time('Closes, `HH:MM` (`24:00`: midnight); after `from`.') }, { additionalProperties: false });

/**
 * When people answer chats, per weekday in the site's time zone (Settings →
 * Site), with optional holidays (closed all day). Replaces the free-text
 * `chat.businessHours` string: the server renders that string from this and
 * knows whether the site is open now.
 */
export const BusinessHours = Type.Object(
  {
    days: Type.Object(Object.fromEntries(WEEKDAYS.map((d) => [d, Type.Optional(Type.Array(Range, { maxItems: 4 }))])) as Record<Weekday, ReturnType<typeof Type.Optional<ReturnType<typeof Type.Array<typeof Range>>>>>, {
      additionalProperties: false,
      description: 'Opening ranges per weekday (`mon`…`sun`); a day not listed is closed.',
    }),
    holidays: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 100, description: 'Local days (`YYYY-MM-DD`) closed all day.' })),
  },
  { additionalProperties: false },
);
export type BusinessHours = Static<typeof BusinessHours>;

const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

/** What the schema cannot say: each range ends after it starts and ranges of a day do not overlap. Returns the path and reason of the first fault. */
export const hoursFault = (h: BusinessHours): { path: string; message: string } | undefined => {
  for (const d of WEEKDAYS) {
    const ranges = h.days[d] ?? [];
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i]!;
      if (minutes(r.to) <= minutes(r.from)) return { path: `/days/${d}/${i}/to`, message: `closes (${r.to}) before it opens (${r.from})` };
      const overlap = ranges.findIndex((o, j) => j !== i && minutes(o.from) < minutes(r.to) && minutes(r.from) < minutes(o.to));
      if (overlap >= 0) return { path: `/days/${d}/${i}`, message: `overlaps range ${overlap} of the same day` };
    }
  }
  const bad = (h.holidays ?? []).findIndex((day) => Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day);
  return bad >= 0 ? { path: `/holidays/${bad}`, message: 'not a calendar day' } : undefined;
};

/** Whether the site is open at instant `ms`, in `zone`. */
export const isOpen = (h: BusinessHours, zone: string, ms: number): boolean => {
  if (h.holidays?.includes(siteDay(ms, zone))) return false;
  const p = zonedParts(ms, zone);
  const day = WEEKDAYS[(p.weekday + 6) % 7]!;
  const now = p.hour * 60 + p.minute;
  return (h.days[day] ?? []).some((r) => minutes(r.from) <= now && now < minutes(r.to));
};

const NAMES: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** The hours as one line, e.g. `Mon–Fri 09:00–17:00, Sat 10:00–14:00 (Asia/Shanghai)`: consecutive days with the same ranges share a group. */
export const describeHours = (h: BusinessHours, zone: string): string => {
  const key = (d: Weekday) => (h.days[d] ?? []).map((r) => `${r.from}–${r.to}`).join(', ');
  const groups: { from: Weekday; to: Weekday; ranges: string }[] = [];
  for (const d of WEEKDAYS) {
    const k = key(d);
    const last = groups.at(-1);
    if (last && last.ranges === k && WEEKDAYS.indexOf(last.to) === WEEKDAYS.indexOf(d) - 1) last.to = d;
    else groups.push({ from: d, to: d, ranges: k });
  }
  const open = groups.filter((g) => g.ranges);
  if (!open.length) return 'Closed';
  return `${open.map((g) => `${NAMES[g.from]}${g.to !== g.from ? `–${NAMES[g.to]}` : ''} ${g.ranges}`).join(', ')} (${zone})`;
};
