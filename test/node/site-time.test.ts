import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/open-store.js';
import { migrate } from '../../server/store/migrate.js';
import type { Store } from '../../server/store/store.js';
import { isTimeZone, siteCurrency, siteDay, siteDayRange, siteDayStart, siteDayTextSql, siteToday, siteZone } from '../../server/lib/site-time.js';
import { STORES } from '../support/stores.js';
import { siteDays } from '../../server/console/site-days.js';

describe('the site time zone helper', () => {
  it('accepts IANA zones Intl knows and refuses anything else', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    for (const bad of ['', 'Mars/Olympus', 'Asia/Shanghai; DROP TABLE sites', 42, null, 'x'.repeat(65)]) expect(isTimeZone(bad)).toBe(false);
  });

  it('reads the zone and currency from the site config, UTC and none when unset or bad', () => {
    expect(siteZone({ config: { timeZone: 'Asia/Shanghai' } })).toBe('Asia/Shanghai');
    expect(siteZone({ config: { timeZone: 'Nowhere/Land' } })).toBe('UTC');
    expect(siteZone(undefined)).toBe('UTC');
    expect(siteCurrency({ config: { currency: 'CNY' } })).toBe('CNY');
    expect(siteCurrency({ config: { currency: 'yuan' } })).toBeUndefined();
  });

  it('puts 20:30 UTC on the next day in Shanghai and "today" follows the clock', () => {
    const t = Date.parse('2026-03-01T20:30:00Z');
    expect(siteDay(t, 'UTC')).toBe('2026-03-01');
    expect(siteDay(t, 'Asia/Shanghai')).toBe('2026-03-02');
    expect(siteToday(t, 'America/Los_Angeles')).toBe('2026-03-01');
  });

  it("offers the console's date inputs the site's last 30 days, not the browser's UTC ones", () => {
    // 10:30 UTC on 3 December is already 4 December at UTC+14, still 2 December at UTC-11.
    const t = Date.parse('2026-12-03T10:30:00Z');
    expect(siteDays('Pacific/Kiritimati', 30, t)).toEqual({ from: '2026-11-05', to: '2026-12-04' });
    expect(siteDays('Pacific/Pago_Pago', 30, t)).toEqual({ from: '2026-11-03', to: '2026-12-02' });
    expect(siteDays('UTC', 30, Date.parse('2027-03-01T00:00:00Z'))).toEqual({ from: '2027-01-31', to: '2027-03-01' });
  });

  it('bounds a DST day by its own two midnights (23 hours in Berlin on 29 March 2026)', () => {
    const start = siteDayStart('2026-03-29', 'Europe/Berlin');
    expect(new Date(start).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    const r = siteDayRange('2026-03-29', '2026-03-29', 'Europe/Berlin');
    expect(r).toEqual({ from: '2026-03-28T23:00:00.000Z', to: '2026-03-29T22:00:00.000Z' });
    expect(siteDayRange('2026-10-25', '2026-10-25', 'Europe/Berlin')).toEqual({ from: '2026-10-24T22:00:00.000Z', to: '2026-10-25T23:00:00.000Z' });
    expect(siteDayRange('2026-03-01', '2026-03-02', 'Asia/Shanghai')).toEqual({ from: '2026-02-28T16:00:00.000Z', to: '2026-03-02T16:00:00.000Z' });
  });
});

for (const s of STORES) {
  describe(`the site's local day in SQL on ${s.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await openStore({ databaseUrl: await s.databaseUrl() });
      await migrate(store);
    });
    afterAll(() => store?.close());

    it('is the same day the helper computes, whatever the session time zone', async () => {
      await store.query("SET TIME ZONE 'America/New_York'");
      const at = '2026-03-01T20:30:00Z';
      const { rows } = await store.query<{ sh: string; utc: string }>(`SELECT ${siteDayTextSql('$1::timestamptz', '$2')} AS sh, ${siteDayTextSql('$1::timestamptz', '$3')} AS utc`, [at, 'Asia/Shanghai', 'UTC']);
      expect(rows[0]).toEqual({ sh: siteDay(Date.parse(at), 'Asia/Shanghai'), utc: '2026-03-01' });
    });
  });
}
