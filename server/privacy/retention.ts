import type { Queryable, Store } from '../store/store.js';
import { allowConsentDeletes } from './erase-customer.js';

const DAY = 86_400_000;

/**
 * How long a site keeps each kind of data, in days (site config `retention`;
 * docs/deploy.md#retention). Defaults: analytics 13 months (the CNIL's ceiling
 * for audience measurement), replays 30 days (they show everything a person did
 * on a page), conversations two years (a support history customers expect),
 * proof of consent five years (kept after the data it covered, to prove it),
 * delivered outbound copies 30 days.
 */
export interface Retention {
  eventsDays: number;
  replaysDays: number;
  conversationsDays: number;
  consentDays: number;
  deliveriesDays: number;
}

export const DEFAULT_RETENTION: Retention = { eventsDays: 395, replaysDays: 30, conversationsDays: 730, consentDays: 1825, deliveriesDays: 30 };

/** The site's retention: each setting a whole number of days ≥ 1, else the default. */
export const retentionOf = (config: Record<string, unknown>): Retention => {
  const r = (config.retention ?? {}) as Partial<Record<keyof Retention, unknown>>;
  const days = (k: keyof Retention) => {
    const v = r[k];
    return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 36_500 ? v : DEFAULT_RETENTION[k];
  };
  return { eventsDays: days('eventsDays'), replaysDays: days('replaysDays'), conversationsDays: days('conversationsDays'), consentDays: days('consentDays'), deliveriesDays: days('deliveriesDays') };
};

interface Rule {
  key: keyof Retention;
  /** Deletes at most $3 rows of site $1 older than $2; returns one row per row deleted. */
  sql: string;
  consent?: boolean;
}

// Each statement deletes one batch, chosen through an index on (site, age), and
// commits on its own: no long lock on a table the ingest path writes to.
const RULES: Rule[] = [
  { key: 'eventsDays', sql: `DELETE FROM events WHERE id IN (SELECT id FROM events WHERE site_key = $1 AND timestamp < $2 LIMIT $3) RETURNING 1` },
  {
    key: 'eventsDays',
    sql: `DELETE FROM sessions WHERE (site_key, session_id) IN (SELECT site_key, session_id FROM sessions WHERE site_key = $1 AND last_seen_at < $2 LIMIT $3) RETURNING 1`,
  },
  { key: 'eventsDays', sql: `DELETE FROM survey_answers WHERE id IN (SELECT id FROM survey_answers WHERE site_key = $1 AND timestamp < $2 LIMIT $3) RETURNING 1` },
  {
    key: 'replaysDays',
    sql: `DELETE FROM replay_chunks WHERE (site_key, session_id, window_id, seq) IN
         (SELECT site_key, session_id, window_id, seq FROM replay_chunks WHERE site_key = $1 AND received_at < $2 LIMIT $3) RETURNING 1`,
  },
  {
    // A conversation goes with its events and its files' rows (the worker then removes the bytes), after its last activity is old enough.
    key: 'conversationsDays',
    sql: `WITH old AS (SELECT id FROM conversations WHERE site_key = $1 AND updated_at < $2 LIMIT $3),
            files AS (DELETE FROM chat_attachments WHERE conversation_id IN (SELECT id FROM old)),
            gone AS (DELETE FROM chat_events WHERE conversation_id IN (SELECT id FROM old))
       DELETE FROM conversations WHERE id IN (SELECT id FROM old) RETURNING 1`,
  },
  { key: 'consentDays', consent: true, sql: `DELETE FROM consent_records WHERE id IN (SELECT id FROM consent_records WHERE site_key = $1 AND timestamp < $2 LIMIT $3) RETURNING 1` },
  { key: 'deliveriesDays', sql: `DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE site_key = $1 AND status = 'done' AND delivered_at < $2 LIMIT $3) RETURNING 1` },
];

/**
 * Deletes what a site keeps longer than its retention, `batch` rows per
 * statement, until nothing is left or `maxBatches` have run (the next run goes on).
 * Returns rows deleted per setting.
 */
export async function applyRetention(store: Store, siteKey: string, retention: Retention, now: number, o: { batch?: number; maxBatches?: number } = {}): Promise<Partial<Record<keyof Retention, number>>> {
  const batch = o.batch ?? 5_000;
  let budget = o.maxBatches ?? 200;
  const deleted: Partial<Record<keyof Retention, number>> = {};
  for (const rule of RULES) {
    const cutoff = new Date(now - retention[rule.key] * DAY).toISOString();
    for (;;) {
      if (budget-- <= 0) return deleted;
      const run = (db: Queryable) => db.query(rule.sql, [siteKey, cutoff, batch]);
      const r = rule.consent ? await store.transaction(async (tx) => (await allowConsentDeletes(tx), run(tx))) : await run(store);
      deleted[rule.key] = (deleted[rule.key] ?? 0) + r.rows.length;
      if (r.rows.length < batch) break;
    }
  }
  return deleted;
}
