import type { Event } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';

/** An event as ingest stored it: its corrected timestamp and whether its userHash verified. */
export interface StoredEvent {
  event: Event;
  timestamp: string;
  verified: boolean;
}

const touch = (e: Event, which: 'first' | 'last') => e.context?.attribution?.[which];

/**
 * Keeps the `sessions` and `identities` tables in step with newly stored
 * events, in the ingest transaction. Called with accepted events only: a
 * retried batch (ON CONFLICT DO NOTHING) never counts twice.
 */
export async function recordVisits(tx: Queryable, siteKey: string, stored: StoredEvent[]): Promise<void> {
  const sessions = new Map<string, { first: StoredEvent; last: string; n: number }>();
  for (const s of stored) {
    const id = s.event.context?.session?.id;
    if (!id) continue;
    const cur = sessions.get(id);
    if (!cur) sessions.set(id, { first: s, last: s.timestamp, n: 1 });
    else {
      cur.n++;
      if (s.timestamp < cur.first.timestamp) cur.first = s;
      if (s.timestamp > cur.last) cur.last = s.timestamp;
    }
  }
  if (sessions.size) {
    const rows = [...sessions].map(([id, { first, last, n }]) => {
      const e = first.event;
      const f = touch(e, 'first');
      const l = touch(e, 'last');
      return {
        session_id: id,
        anonymous_id: e.anonymousId,
        started_at: first.timestamp,
        last_seen_at: last,
        n,
        entry_url: e.context?.page?.url ?? null,
        user_agent: e.context?.userAgent ?? null,
        channel: e.context?.attribution?.session?.channel ?? null,
        first_channel: f?.channel ?? null,
        first_source: f?.source ?? null,
        first_medium: f?.medium ?? null,
        first_campaign: f?.campaign ?? null,
        last_channel: l?.channel ?? null,
        last_source: l?.source ?? null,
        last_medium: l?.medium ?? null,
        last_campaign: l?.campaign ?? null,
      };
    });
    // An earlier event arriving late (offline outbox) moves the session's start and entry touch.
    const earlier = (col: string) => `${col} = CASE WHEN excluded.started_at < s.started_at THEN excluded.${col} ELSE s.${col} END`;
    const entryCols = ['entry_url', 'user_agent', 'channel', 'first_channel', 'first_source', 'first_medium', 'first_campaign', 'last_channel', 'last_source', 'last_medium', 'last_campaign'];
    await tx.query(
      `INSERT INTO sessions AS s (site_key, session_id, anonymous_id, started_at, last_seen_at, events, ${entryCols.join(', ')})
       SELECT $1, x.session_id, x.anonymous_id, x.started_at, x.last_seen_at, x.n, ${entryCols.map((c) => `x.${c}`).join(', ')}
       FROM jsonb_to_recordset($2::jsonb) AS x(session_id text, anonymous_id text, started_at timestamptz, last_seen_at timestamptz, n integer,
            ${entryCols.map((c) => `${c} text`).join(', ')})
       ON CONFLICT (site_key, session_id) DO UPDATE SET
         events = s.events + excluded.events,
         last_seen_at = greatest(s.last_seen_at, excluded.last_seen_at),
         ${entryCols.map(earlier).join(',\n         ')},
         started_at = least(s.started_at, excluded.started_at)`,
      [siteKey, JSON.stringify(rows)],
    );
  }

  const links: { anonymous_id: string; user_id: string; verified: boolean; linked_at: string }[] = [];
  for (const { event: e, verified, timestamp } of stored) {
    if ((e.type !== 'identify' && e.type !== 'alias') || !e.userId) continue;
    links.push({ anonymous_id: e.anonymousId, user_id: e.userId, verified, linked_at: timestamp });
    // A verified alias also links the id it names (a previous anonymous id, another device's).
    if (e.type === 'alias' && verified && e.previousId && e.previousId !== e.anonymousId) links.push({ anonymous_id: e.previousId, user_id: e.userId, verified, linked_at: timestamp });
  }
  if (links.length) {
    await tx.query(
      `INSERT INTO identities AS i (site_key, anonymous_id, user_id, verified, linked_at)
       SELECT $1, x.anonymous_id, x.user_id, bool_or(x.verified), min(x.linked_at)
       FROM jsonb_to_recordset($2::jsonb) AS x(anonymous_id text, user_id text, verified boolean, linked_at timestamptz)
       GROUP BY x.anonymous_id, x.user_id
       ON CONFLICT (site_key, anonymous_id, user_id) DO UPDATE SET
         verified = i.verified OR excluded.verified,
         linked_at = least(i.linked_at, excluded.linked_at)`,
      [siteKey, JSON.stringify(links)],
    );
  }
}
