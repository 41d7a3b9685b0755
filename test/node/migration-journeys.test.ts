import { describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS } from '../../server/store/migrations.js';

describe('migration 15 (the struggle report’s summaries) on a database with events in it', () => {
  it('builds each session’s pages and the signal events from the stored events, and turns empty session ids into none', async () => {
    const db = new PGlite();
    try {
      for (const m of MIGRATIONS.filter((x) => x.version < 15).sort((a, b) => a.version - b.version)) await db.exec(m.sql);
      await db.query("INSERT INTO sessions (site_key, session_id, anonymous_id, started_at, last_seen_at, events) VALUES ('demo', 's1', 'a1', '2026-01-05T10:00:00Z', '2026-01-05T10:09:00Z', 7)");
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
