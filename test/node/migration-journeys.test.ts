import { describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS } from '../../server/store/migrations.js';
import { appendSessionSteps } from '../../server/reports/session-steps.js';
import type { Queryable } from '../../server/store/store.js';

/** A database with the migrations before `version` and one session, s1 of visitor a1, on site demo. */
const migratedBefore = async (version: number) => {
  const db = new PGlite();
  for (const m of MIGRATIONS.filter((x) => x.version < version).sort((a, b) => a.version - b.version)) await db.exec(m.sql);
  await db.query("INSERT INTO sessions (site_key, session_id, anonymous_id, started_at, last_seen_at, events) VALUES ('demo', 's1', 'a1', '2026-01-05T10:00:00Z', '2026-01-05T10:09:00Z', 7)");
  return db;
};

describe('migration 15 (the struggle report’s summaries) on a database with events in it', () => {
  it('builds each session’s pages and the signal events from the stored events, and turns empty session ids into none', async () => {
    const db = await migratedBefore(15);
    try {
      let n = 0;
      const ev = (session: string | null, at: string, path: string, name?: string, properties: object = {}) =>
        db.query(
          `INSERT INTO events (site_key, message_id, type, name, anonymous_id, session_id, timestamp, original_timestamp, payload) VALUES ('demo', $1, $2, $3, 'a1', $4, $5, $5, $6)`,
          [`m${++n}`, name ? 'track' : 'page', name ?? null, session, at, JSON.stringify({ properties, context: { page: { path } } })],
        );
      await ev('s1', '2026-01-05T10:00:00Z', '/cart');
      await ev('s1', '2026-01-05T10:05:00Z', '/cart');
      await ev('s1', '2026-01-05T10:06:00Z', '/checkout');
      await ev('s1', '2026-01-05T10:07:00Z', '/checkout', 'Rage Click');
      await ev('s1', '2026-01-05T10:08:00Z', '/checkout', 'Web Vital', { name: 'LCP', rating: 'poor' });
      await ev('s1', '2026-01-05T10:08:30Z', '/checkout', 'Web Vital', { name: 'CLS', rating: 'poor' });
      await ev('s1', '2026-01-05T10:09:00Z', '/checkout', 'Element Clicked');
      await ev('', '2026-01-05T11:00:00Z', '/cart');
      await db.query(
        "INSERT INTO survey_answers (site_key, response_id, survey_id, survey_version, question_id, value, anonymous_id, session_id, timestamp, payload) VALUES ('demo', 'r1', 'ces', 1, 'effort', '2', 'a1', '', '2026-01-05T11:00:00Z', '{}')",
      );
      await db.exec(MIGRATIONS.find((x) => x.version === 15)!.sql);
      const pages = await db.query<{ path: string; first_at: Date; last_at: Date }>("SELECT path, first_at, last_at FROM session_pages WHERE session_id = 's1' ORDER BY path");
      expect(pages.rows.map((r) => [r.path, r.first_at.toISOString(), r.last_at.toISOString()])).toEqual([
        ['/cart', '2026-01-05T10:00:00.000Z', '2026-01-05T10:05:00.000Z'],
        ['/checkout', '2026-01-05T10:06:00.000Z', '2026-01-05T10:06:00.000Z'],
      ]);
      expect((await db.query<{ name: string; path: string }>('SELECT name, path FROM struggle_signals ORDER BY timestamp')).rows).toEqual([
        { name: 'Rage Click', path: '/checkout' },
        { name: 'Web Vital', path: '/checkout' },
      ]);
      expect((await db.query("SELECT 1 FROM events WHERE session_id = '' UNION ALL SELECT 1 FROM survey_answers WHERE session_id = ''")).rows).toEqual([]);
      expect((await db.query('SELECT 1 FROM events WHERE session_id IS NULL')).rows).toHaveLength(1);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe('migrations 16 and 17 (each session’s steps in three texts, with their span) on a database with events in it', () => {
  it('rebuilds every journey as page views, tracks and autocaptured events apart with its visitor, span and guests, the same row ingest appends batch by batch', async () => {
    const db = await migratedBefore(16);
    try {
      let n = 0;
      const ev = async (anon: string, at: string, path: string | null, name?: string) =>
        (
          await db.query<{ id: string }>(
            `INSERT INTO events (site_key, message_id, type, name, anonymous_id, session_id, timestamp, original_timestamp, payload) VALUES ('demo', $1, $2, $3, $4, 's1', $5, $5, $6) RETURNING id::text`,
            [`m${++n}`, name ? 'track' : 'page', name ?? null, anon, at, JSON.stringify({ context: path ? { page: { path } } : {} })],
          )
        ).rows[0]!.id;
      const ids = [
        await ev('a1', '2026-01-05T10:00:00.000Z', '/cart'),
        await ev('a1', '2026-01-05T10:01:00.000Z', '/cart', 'Element Clicked'),
        await ev('a1', '2026-01-05T10:02:00.000Z', '/cart', 'Rage Click'),
        await ev('a1', '2026-01-05T10:03:00.000Z', '/cart', 'Web Vital'),
        // Someone else's page view in this session (a shared tab), with no path: '/'.
        await ev('a2', '2026-01-05T10:04:00.500Z', null),
        await ev('a1', '2026-01-05T10:05:00.000Z', '/say "hi"', 'Order Completed'),
      ];
      const ms = (iso: string) => Date.parse(iso);
      await db.exec(MIGRATIONS.find((x) => x.version === 16)!.sql);
      const stored = async () => (await db.query<{ pages: string; tracks: string; autocapture: string }>("SELECT pages, tracks, autocapture FROM session_steps WHERE session_id = 's1'")).rows;
      const [i1, i2, i3, i4, i5, i6] = ids.map(Number);
      expect(await stored()).toEqual([
        {
          pages: `[${i1},${ms('2026-01-05T10:00:00Z')},"/cart"],[${i5},${ms('2026-01-05T10:04:00.500Z')},"/","a2"]`,
          tracks: `[${i3},${ms('2026-01-05T10:02:00Z')},"Rage Click","/cart"],[${i6},${ms('2026-01-05T10:05:00Z')},"Order Completed","/say \\"hi\\""]`,
          autocapture: `[${i2},${ms('2026-01-05T10:01:00Z')},"Element Clicked","/cart"],[${i4},${ms('2026-01-05T10:03:00Z')},"Web Vital","/cart"]`,
        },
      ]);
      const texts = await stored();
      expect((await db.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'session_steps' AND column_name = 'steps'")).rows).toEqual([]);
      // Migration 17 keeps the texts and adds the session's visitor, its first and last step's time and whether a guest's steps are in it.
      await db.exec(MIGRATIONS.find((x) => x.version === 17)!.sql);
      const all = async () =>
        (await db.query<Record<string, unknown>>("SELECT anonymous_id, pages, tracks, autocapture, first_at, last_at, guests FROM session_steps WHERE session_id = 's1'")).rows;
      expect(await all()).toEqual([{ ...texts[0], anonymous_id: 'a1', first_at: ms('2026-01-05T10:00:00Z'), last_at: ms('2026-01-05T10:05:00Z'), guests: true }]);
      // Ingest's append, in two batches (the guest's view in the second), writes the same row.
      const migrated = await all();
      await db.query('DELETE FROM session_steps');
      const tx: Queryable = { query: (sql, params) => db.query(sql, params), exec: async (sql) => void (await db.exec(sql)) };
      await appendSessionSteps(tx, 'demo', ids.slice(0, 3));
      expect((await all())[0]).toMatchObject({ last_at: ms('2026-01-05T10:02:00Z'), guests: false });
      await appendSessionSteps(tx, 'demo', ids.slice(3));
      expect(await all()).toEqual(migrated);
    } finally {
      await db.close();
    }
  }, 120_000);
});
