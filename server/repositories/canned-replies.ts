import { randomUUID } from 'node:crypto';
import Type, { type Static } from 'typebox';
import type { Queryable } from '../store/store.js';
import { isoUtc } from '../store/iso-utc.js';

/** A site's saved answer: `/shortcut` in the composer inserts `body` with its placeholders filled (console/canned-placeholders.ts). */
export const CannedReply = Type.Object({ id: Type.String(), shortcut: Type.String(), body: Type.String(), updatedAt: Type.String({ format: 'date-time' }) });
export type CannedReply = Static<typeof CannedReply>;

const COLUMNS = `id, shortcut, body, ${isoUtc('updated_at')} AS "updatedAt"`;

export const cannedReplies = async (db: Queryable, siteKey: string): Promise<CannedReply[]> =>
  (await db.query<CannedReply>(`SELECT ${COLUMNS} FROM canned_replies WHERE site_key = $1 ORDER BY shortcut`, [siteKey])).rows;

/** Creates a reply, or replaces the body of the one with this shortcut. */
export const saveCannedReply = async (db: Queryable, siteKey: string, shortcut: string, body: string, at: string): Promise<CannedReply> =>
  (
    await db.query<CannedReply>(
      `INSERT INTO canned_replies (id, site_key, shortcut, body, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (site_key, shortcut) DO UPDATE SET body = EXCLUDED.body, updated_at = EXCLUDED.updated_at RETURNING ${COLUMNS}`,
      [randomUUID(), siteKey, shortcut, body, at],
    )
  ).rows[0]!;

export const deleteCannedReply = async (db: Queryable, siteKey: string, id: string): Promise<boolean> =>
  (await db.query('DELETE FROM canned_replies WHERE site_key = $1 AND id = $2 RETURNING id', [siteKey, id])).rows.length > 0;
