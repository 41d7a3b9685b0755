/**
 * A site's own calendar: every day boundary a report, a chart or "today"
 * draws is the site's local day, in the IANA time zone its owner set
 * (Settings → Site; `config.timeZone`, UTC when unset). One place for it, so
 * the overview, the survey report, journeys and attribution cut days alike.
 *
 * SQL: `siteDaySql('e.timestamp', '$3')` is `(e.timestamp AT TIME ZONE $3)::date`
 * — the local calendar day of a `timestamptz`, the same on PGlite and
 * PostgreSQL whatever the session's time zone (the zone is a parameter, never
 * spliced in). Select it as text (`siteDayTextSql`) so the driver does not turn
 * a `date` into a JavaScript Date at the server's local midnight.
 */

/** The zone a site has not set: UTC. */
export const DEFAULT_ZONE = 'UTC';

/** The zones this runtime lists (ICU's canonical names), which PostgreSQL's tz database knows too. */
let listed: Set<string> | undefined;

/**
 * `zone` as a canonical IANA name this runtime lists (`Asia/Kolkata` →
 * `Asia/Calcutta`, ICU's canonical; `US/Pacific-New` → `America/Los_Angeles`),
 * or undefined. Intl accepts links and retired names that PostgreSQL does not
 * know ("time zone \"US/Pacific-New\" not recognized": a 500 on every report
 * cut in it), so a zone is stored and used only in its listed form.
 */
export const canonicalZone = (zone: unknown): string | undefined => {
  if (typeof zone !== 'string' || zone === '' || zone.length > 64) return undefined;
  try {
    const z = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    if (z === 'UTC' || z === 'Etc/UTC' || z === 'Etc/GMT') return 'UTC';
    listed ??= new Set(Intl.supportedValuesOf('timeZone'));
    return listed.has(z) ? z : undefined;
  } catch {
    return undefined;
  }
};

/** Whether `zone` is an IANA time zone this runtime knows (`Asia/Shanghai`, `UTC`); `Intl` decides, as the browser will. */
export const isTimeZone = (zone: unknown): zone is string => canonicalZone(zone) !== undefined;

/** The site's time zone (`config.timeZone`) in its canonical form, or UTC when unset or not a zone this runtime knows. */
export const siteZone = (site: { config: Record<string, unknown> } | undefined): string => canonicalZone(site?.config.timeZone) ?? DEFAULT_ZONE;

/** The site's ISO 4217 currency (`config.currency`), or undefined: revenue is then shown without one. */
export const siteCurrency = (site: { config: Record<string, unknown> } | undefined): string | undefined => {
  const c = site?.config.currency;
  return typeof c === 'string' && /^[A-Z]{3}$/.test(c) ? c : undefined;
};

/** SQL: the local calendar day (`date`) of a timestamptz column in the zone bound at `zoneParam` (e.g. `$2`). */
export const siteDaySql = (column: string, zoneParam: string): string => `(${column} AT TIME ZONE ${zoneParam})::date`;

/** SQL: the same day as `YYYY-MM-DD` text, for selecting and grouping. */
export const siteDayTextSql = (column: string, zoneParam: string): string => `to_char(${column} AT TIME ZONE ${zoneParam}, 'YYYY-MM-DD')`;

const dayFormat = new Map<string, Intl.DateTimeFormat>();
const formatterFor = (zone: string) => {
  let f = dayFormat.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    dayFormat.set(zone, f);
  }
  return f;
};

/** The wall-clock parts of an instant in `zone`. */
export const zonedParts = (ms: number, zone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number } => {
  const p: Record<string, number> = {};
  for (const { type, value } of formatterFor(zone).formatToParts(new Date(ms))) if (type !== 'literal') p[type] = Number(value);
  const weekday = new Date(Date.UTC(p.year!, p.month! - 1, p.day!)).getUTCDay();
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! % 24, minute: p.minute!, second: p.second!, weekday };
};

/** The local day (`YYYY-MM-DD`) of an instant in `zone`. */
export const siteDay = (ms: number, zone: string): string => {
  const p = zonedParts(ms, zone);
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
};

/** "Today" in the site's zone, from the server's clock: `siteToday(deps.now(), siteZone(site))`. */
export const siteToday = (now: number, zone: string): string => siteDay(now, zone);

/** How far `zone`'s wall clock is ahead of UTC at instant `ms`, in ms (+8 h for Asia/Shanghai). */
const offsetAt = (ms: number, zone: string): number => {
  const p = zonedParts(ms, zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
};

/**
 * The instant a local day (`YYYY-MM-DD`) begins in `zone`, in ms. On a DST
 * change the offset of the day's start is used (found in two steps: the offset
 * at the UTC guess, then at the corrected guess), so a 23- or 25-hour day is
 * bounded by its own two midnights.
 */
export const siteDayStart = (day: string, zone: string): number => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - offsetAt(guess, zone);
  return guess - offsetAt(first, zone);
};

/** The day after `day` (`YYYY-MM-DD`), calendar arithmetic only. */
export const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Local days `from`..`to` (both included) in `zone` as a half-open range of ISO instants, for `ts >= from AND ts < to`. */
export const siteDayRange = (from: string, to: string, zone: string): { from: string; to: string } => ({
  from: new Date(siteDayStart(from, zone)).toISOString(),
  to: new Date(siteDayStart(nextDay(to), zone)).toISOString(),
});
