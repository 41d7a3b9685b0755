import { describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS } from '../../server/store/migrations.js';

describe('migration 9 (the inbox workflow) on a database with conversations in it', () => {
  it('gives existing conversations their first-response clock from their stored events, and leaves the bot’s alone', async () => {
    const db = new PGlite();
    try {
      for (const m of MIGRATIONS.filter((x) => x.version < 9).sort((a, b) => a.version - b.version)) await db.exec(m.sql);
      const conv = (id: string, channel = 'web', status = 'open') =>
        db.query("INSERT INTO conversations (id, site_key, anonymous_id, client_id, channel, status, created_at, updated_at) VALUES ($1, 'demo', $1, $1, $2, $3, '2026-01-05T10:00:00Z', '2026-01-05T10:00:00Z')", [id, channel, status]);
      const ev = (c: string, seq: number, kind: string, author: string, at: string, data?: object) =>
        db.query('INSERT INTO chat_events (conversation_id, seq, kind, author_kind, data, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [c, seq, kind, author, data ? JSON.stringify(data) : null, at]);
      await conv('handed');
      await ev('handed', 1, 'message', 'visitor', '2026-01-05T10:00:00Z');
      await ev('handed', 2, 'status', 'system', '2026-01-05T10:01:00Z', { status: 'pending' });
      await ev('handed', 3, 'message', 'agent', '2026-01-05T10:04:00Z');
      await ev('handed', 4, 'message', 'agent', '2026-01-05T10:09:00Z');
      await conv('mail', 'email', 'pending');
      await ev('mail', 1, 'status', 'system', '2026-01-05T10:00:00Z', { status: 'pending' });
      await conv('bot', 'web', 'bot');
      await ev('bot', 1, 'message', 'bot', '2026-01-05T10:00:00Z');
      await db.exec(MIGRATIONS.find((x) => x.version === 9)!.sql);
      const rows = (await db.query<{ id: string; waiting_since: Date | null; first_response_at: Date | null; hold: string | null; labels: string[] }>('SELECT id, waiting_since, first_response_at, hold, labels FROM conversations ORDER BY id')).rows;
      const by = Object.fromEntries(rows.map((r) => [r.id, r]));
      expect(by.handed!.waiting_since?.toISOString()).toBe('2026-01-05T10:01:00.000Z');
      expect(by.handed!.first_response_at?.toISOString()).toBe('2026-01-05T10:04:00.000Z');
      expect(by.mail!.waiting_since?.toISOString()).toBe('2026-01-05T10:00:00.000Z');
      expect(by.mail!.first_response_at).toBeNull();
      expect(by.bot).toMatchObject({ waiting_since: null, first_response_at: null, hold: null, labels: [] });
    } finally {
      await db.close();
    }
  }, 120_000);
});
