import type { Queryable } from '../store/store.js';
import { toCsv } from '../lib/csv.js';
import { CONSENT_CATEGORIES } from 'touchpoint/protocol';
import { isoUtc } from '../store/iso-utc.js';

export interface ConsentEntry {
  recordId: string;
  siteKey: string;
  anonymousId: string;
  userId: string | null;
  timestamp: string;
  receivedAt: string;
  policyVersion: string;
  method: string;
  mode: string | null;
  categories: Record<string, boolean>;
  gpc: boolean;
  locale: string | null;
  url: string | null;
  textHash: string | null;
}

/**
 * A visitor's consent decisions — by anonymous id or user id — oldest first,
 * as the append-only table holds them; without a visitor, the latest 200
 * decisions of every visitor, newest first.
 */
export async function consentHistory(db: Queryable, visitor?: string): Promise<ConsentEntry[]> {
  const { rows } = await db.query<ConsentEntry>(
    `SELECT record_id AS "recordId", site_key AS "siteKey", anonymous_id AS "anonymousId", user_id AS "userId",
            ${isoUtc('timestamp')} AS timestamp, ${isoUtc('received_at')} AS "receivedAt",
            policy_version AS "policyVersion", method, payload ->> 'mode' AS mode, categories,
            coalesce((payload ->> 'gpc')::boolean, false) AS gpc, payload ->> 'locale' AS locale, payload ->> 'url' AS url, payload ->> 'textHash' AS "textHash"
       FROM consent_records
      WHERE $1::text IS NULL OR anonymous_id = $1 OR user_id = $1
      ORDER BY ${visitor ? 'timestamp, id' : 'timestamp DESC, id DESC'} LIMIT ${visitor ? 10_000 : 200}`,
    [visitor ?? null],
  );
  return rows;
}

/** The categories seen, standard ones in their usual order (necessary, functional, analytics, replay, marketing) first. */
export const categoriesOf = (entries: ConsentEntry[]): string[] => {
  const rank = (c: string) => ((CONSENT_CATEGORIES as readonly string[]).indexOf(c) + 1 || 99);
  return [...new Set(entries.flatMap((e) => Object.keys(e.categories)))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
};

/** The same history as CSV, one decision per row, each category its own column. */
export const consentCsv = (entries: ConsentEntry[]): string => {
  const cats = categoriesOf(entries);
  const header = ['recordId', 'timestamp', 'receivedAt', 'siteKey', 'anonymousId', 'userId', 'policyVersion', 'mode', 'method', 'gpc', ...cats.map((c) => `category:${c}`), 'locale', 'url', 'textHash'];
  return toCsv(header, entries.map((e) => ({ ...e, ...Object.fromEntries(cats.map((c) => [`category:${c}`, e.categories[c] === undefined ? '' : e.categories[c] ? 'granted' : 'denied'])) })));
};
