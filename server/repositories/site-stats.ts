import type { SiteStats } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';

/** How much a site has stored: what the conformance kit reads to prove a refused request wrote nothing. */
export async function siteStats(db: Queryable, siteKey: string): Promise<SiteStats> {
  const { rows } = await db.query<{ events: number; consent: number }>(
    'SELECT (SELECT count(*)::int FROM events WHERE site_key = $1) AS events, (SELECT count(*)::int FROM consent_records WHERE site_key = $1) AS consent',
    [siteKey],
  );
  return { events: Number(rows[0]!.events), consentRecords: Number(rows[0]!.consent) };
}
