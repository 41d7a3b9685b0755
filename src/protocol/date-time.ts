/**
 * What a `date-time` of this protocol is: RFC 3339 §5.6 exactly (`T`/`Z` in
 * either case, any fraction, a numeric offset or `Z`), years 0001–9999 after
 * the offset is applied, and nothing after it (no RFC 9557 `[zone]` suffix).
 * A leap second (`:60`) is valid RFC 3339 that JavaScript's Date cannot hold:
 * it is read as the last millisecond of its minute's second 59.
 * Kept apart from the schemas so that the SDK could use it without TypeBox.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the instants every store and `Date` can hold. */
export const MIN_INSTANT_MS = -62_135_596_800_000;
export const MAX_INSTANT_MS = 253_402_300_799_999;

const daysIn = (y: number, m: number) => (m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

/** Epoch milliseconds of a protocol date-time; `undefined` for anything else. */
export function parseDateTime(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 60) return undefined;
  const oh = m[10] === undefined ? 0 : Number(m[10]);
  const om = m[11] === undefined ? 0 : Number(m[11]);
  if (oh > 23 || om > 59) return undefined;
  const ms = sec === 60 ? 999 : Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, mo - 1, d, h, mi, Math.min(sec, 59), ms));
  date.setUTCFullYear(y);
  const t = date.getTime() - (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  return t >= MIN_INSTANT_MS && t <= MAX_INSTANT_MS ? t : undefined;
}
