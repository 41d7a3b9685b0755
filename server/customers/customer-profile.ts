import Type, { type Static } from 'typebox';
import type { Queryable } from '../store/store.js';
import { isoUtc } from '../store/iso-utc.js';
import { FRICTION } from '../reports/friction.js';
import { describeUserAgent } from '../lib/describe-user-agent.js';
import { LINKED, ONLINE_MS, customerConversions, type FigureSettings } from '../reports/definitions.js';

/** Who a profile is about: a verified user and their linked anonymous ids, or one anonymous visitor. */
export interface Customer {
  siteKey: string;
  /** Verified user id; absent for an anonymous visitor. */
  userId?: string;
  anonymousIds: string[];
  /** User ids an anonymous visitor claimed without a valid userHash: shown, never merged. */
  unverifiedClaims: string[];
}

const Str = Type.String();
const NullStr = Type.Union([Type.String(), Type.Null()]);

export const TouchSummary = Type.Object({ channel: NullStr, source: NullStr, medium: NullStr, campaign: NullStr, at: Str });
export type TouchSummary = Static<typeof TouchSummary>;

export const SessionSummary = Type.Object({
  sessionId: Str,
  anonymousId: Str,
  startedAt: Str,
  lastSeenAt: Str,
  events: Type.Integer(),
  entryUrl: NullStr,
  device: Str,
  channel: NullStr,
  replay: Type.Boolean(),
});
export type SessionSummary = Static<typeof SessionSummary>;

export const TimelineKind = Type.Union([
  Type.Literal('page'),
  Type.Literal('event'),
  Type.Literal('identify'),
  Type.Literal('friction'),
  Type.Literal('error'),
  Type.Literal('vital'),
  Type.Literal('conversation'),
  Type.Literal('survey'),
  Type.Literal('consent'),
]);
export type TimelineKind = Static<typeof TimelineKind>;

export const TimelineItem = Type.Object({
  at: Str,
  kind: TimelineKind,
  label: Str,
  detail: Type.Optional(Str),
  sessionId: Type.Optional(NullStr),
  conversationId: Type.Optional(Str),
  /** Survey answers: the value; vitals: the measured value. */
  value: Type.Optional(Type.Unknown()),
  /** Conversations: the transcript, oldest first. */
  transcript: Type.Optional(Type.Array(Type.Object({ at: Str, author: Str, body: Str }))),
});
/** Optional fields may be `undefined` as well as absent (exactOptionalPropertyTypes): the items are built from nullable columns. */
export type TimelineItem = Omit<Static<typeof TimelineItem>, 'detail' | 'sessionId' | 'conversationId' | 'transcript'> & { detail?: string | undefined; sessionId?: string | null | undefined; conversationId?: string | undefined; transcript?: { at: string; author: string; body: string }[] | undefined };

/** One customer's profile: the route's response schema (agent-customers.ts) and the console's type. */
export const CustomerProfile = Type.Object({
  siteKey: Str,
  /** Verified user id; absent for an anonymous visitor. */
  userId: Type.Optional(Str),
  anonymousIds: Type.Array(Str),
  /** User ids an anonymous visitor claimed without a valid userHash: shown, never merged. */
  unverifiedClaims: Type.Array(Str),
  traits: Type.Record(Type.String(), Type.Unknown()),
  verified: Type.Boolean(),
  firstSeen: NullStr,
  lastSeen: NullStr,
  online: Type.Boolean(),
  firstTouch: Type.Union([TouchSummary, Type.Null()]),
  lastTouch: Type.Union([TouchSummary, Type.Null()]),
  devices: Type.Array(Str),
  sessions: Type.Array(SessionSummary),
  /** Goal events of this customer, all time, and their revenue in `currency` (docs/console.md#definitions). */
  conversions: Type.Integer(),
  revenue: Type.Number(),
  currency: NullStr,
  /** Newest first. */
  timeline: Type.Array(TimelineItem),
});
export type CustomerProfile = Omit<Static<typeof CustomerProfile>, 'timeline' | 'userId'> & Customer & { timeline: TimelineItem[] };

/**
 * Resolves a user id or an anonymous id to one customer. Histories are merged
 * only through verified links: an anonymous id that claimed a user id without
 * a valid userHash stays its own visitor, and never shows the user's history.
 */
export async function resolveCustomer(db: Queryable, siteKey: string, id: string): Promise<Customer | undefined> {
  // The devices whose customer is this user (definitions.ts LINKED: each id's latest verified link).
  const linked = async (userId: string) =>
    (await db.query<{ anonymous_id: string }>(`WITH ${LINKED} SELECT anonymous_id FROM linked WHERE user_id = $2 ORDER BY linked_at`, [siteKey, userId])).rows.map((r) => r.anonymous_id);
  let anon = await linked(id);
  if (anon.length) return { siteKey, userId: id, anonymousIds: anon, unverifiedClaims: [] };
  const { rows } = await db.query<{ user_id: string; verified: boolean }>('SELECT user_id, verified FROM identities WHERE site_key = $1 AND anonymous_id = $2 ORDER BY linked_at DESC, verified DESC', [siteKey, id]);
  const owner = rows.find((r) => r.verified);
  if (owner) {
    anon = await linked(owner.user_id);
    return { siteKey, userId: owner.user_id, anonymousIds: anon, unverifiedClaims: [] };
  }
  const seen = await db.query(
    `SELECT 1 FROM sessions WHERE site_key = $1 AND anonymous_id = $2
     UNION ALL SELECT 1 FROM conversations WHERE site_key = $1 AND anonymous_id = $2
     UNION ALL SELECT 1 FROM events WHERE site_key = $1 AND anonymous_id = $2 LIMIT 1`,
    [siteKey, id],
  );
  if (!seen.rows.length) return undefined;
  return { siteKey, anonymousIds: [id], unverifiedClaims: rows.map((r) => r.user_id) };
}

const IS_FRICTION = new Set<string>(FRICTION);

const eventItem = (r: { at: string; type: string; name: string | null; session_id: string | null; path: string | null; props: Record<string, unknown> | null; traits: Record<string, unknown> | null }): TimelineItem | undefined => {
  const base = { at: r.at, sessionId: r.session_id };
  if (r.type === 'page') return { ...base, kind: 'page', label: r.path ?? '/', detail: r.name ?? undefined };
  if (r.type === 'identify') return { ...base, kind: 'identify', label: 'Identified', detail: r.traits ? Object.keys(r.traits).join(', ') : undefined };
  if (r.type !== 'track' || !r.name) return undefined;
  if (IS_FRICTION.has(r.name)) return { ...base, kind: 'friction', label: r.name, detail: [r.path, r.props?.text ?? r.props?.selector].filter(Boolean).join(' · ') };
  if (r.name === 'Error Occurred') return { ...base, kind: 'error', label: 'Error', detail: String(r.props?.message ?? '') };
  if (r.name === 'Web Vital') return { ...base, kind: 'vital', label: `${String(r.props?.name)} poor`, detail: r.path ?? undefined, value: r.props?.value };
  return { ...base, kind: 'event', label: r.name, detail: r.path ?? undefined };
};

/**
 * One view of a customer: traits, touches, devices, sessions and one
 * timeline of everything they did across every touchpoint — newest first,
 * at most `limit` items. SQL in the storage layer, the same on both stores.
 */
export async function customerProfile(db: Queryable, c: Customer, now: number, settings: Pick<FigureSettings, 'goals' | 'currency'>, limit = 300): Promise<CustomerProfile> {
  const p = [c.siteKey, c.anonymousIds];
  const [figures, traits, sessions, events, conversations, answers, consent, replays] = await Promise.all([
    customerConversions(db, c.siteKey, c.anonymousIds, settings),
    db.query<{ traits: Record<string, unknown> | null }>(
      `SELECT payload -> 'traits' AS traits FROM events WHERE site_key = $1 AND anonymous_id = ANY($2) AND type = 'identify' ${c.userId ? 'AND verified' : ''} ORDER BY timestamp`,
      p,
    ),
    db.query<{ session_id: string; anonymous_id: string; started_at: string; last_seen_at: string; events: number; entry_url: string | null; user_agent: string | null; channel: string | null; first_channel: string | null; first_source: string | null; first_medium: string | null; first_campaign: string | null; last_channel: string | null; last_source: string | null; last_medium: string | null; last_campaign: string | null }>(
      `SELECT session_id, anonymous_id, ${isoUtc('started_at')} AS started_at, ${isoUtc('last_seen_at')} AS last_seen_at, events, entry_url, user_agent, channel,
              first_channel, first_source, first_medium, first_campaign, last_channel, last_source, last_medium, last_campaign
         FROM sessions WHERE site_key = $1 AND anonymous_id = ANY($2) ORDER BY started_at DESC`,
      p,
    ),
    // Good and average web vitals are noise on a timeline: only poor ones are outliers worth showing.
    db.query<{ at: string; type: string; name: string | null; session_id: string | null; path: string | null; props: Record<string, unknown> | null; traits: Record<string, unknown> | null }>(
      `SELECT ${isoUtc('timestamp')} AS at, type, name, session_id, payload #>> '{context,page,path}' AS path, payload -> 'properties' AS props, payload -> 'traits' AS traits
         FROM events WHERE site_key = $1 AND anonymous_id = ANY($2)
          AND NOT (type = 'track' AND name = 'Web Vital' AND coalesce(payload #>> '{properties,rating}', '') <> 'poor')
          AND type IN ('page', 'track', 'identify')
        ORDER BY timestamp DESC LIMIT $3`,
      [...p, limit],
    ),
    db.query<{ id: string; status: string; channel: string; session_id: string | null; at: string; transcript: { at: string; author: string; body: string }[] | null }>(
      `SELECT c.id, c.status, c.channel, c.session_id, ${isoUtc('c.created_at')} AS at,
              (SELECT json_agg(json_build_object('at', ${isoUtc('e.created_at')}, 'author', coalesce(e.author_name, initcap(e.author_kind)), 'body', e.body) ORDER BY e.seq)
                 FROM chat_events e WHERE e.conversation_id = c.id AND e.kind = 'message') AS transcript
         FROM conversations c WHERE c.site_key = $1 AND (c.anonymous_id = ANY($2) OR ($3::text IS NOT NULL AND c.user_id = $3))
        ORDER BY c.created_at DESC LIMIT 50`,
      [...p, c.userId ?? null],
    ),
    db.query<{ at: string; survey_id: string; question_id: string; value: unknown; session_id: string | null; conversation_id: string | null }>(
      `SELECT ${isoUtc('timestamp')} AS at, survey_id, question_id, value, session_id, conversation_id
         FROM survey_answers WHERE site_key = $1 AND anonymous_id = ANY($2) AND question_id <> '$dismissed' ORDER BY timestamp DESC LIMIT 100`,
      p,
    ),
    db.query<{ at: string; method: string; categories: Record<string, boolean> }>(
      `SELECT ${isoUtc('timestamp')} AS at, method, categories FROM consent_records WHERE site_key = $1 AND anonymous_id = ANY($2) ORDER BY timestamp DESC LIMIT 50`,
      p,
    ),
    db.query<{ session_id: string }>('SELECT DISTINCT session_id FROM replay_chunks WHERE site_key = $1 AND anonymous_id = ANY($2)', p),
  ]);

  const withReplay = new Set(replays.rows.map((r) => r.session_id));
  const timeline: TimelineItem[] = [
    ...events.rows.flatMap((r) => eventItem(r) ?? []),
    ...conversations.rows.map((r) => ({
      at: r.at,
      kind: 'conversation' as const,
      label: `Conversation (${r.channel}, ${r.status})`,
      detail: r.transcript?.[0]?.body,
      sessionId: r.session_id,
      conversationId: r.id,
      transcript: r.transcript ?? [],
    })),
    ...answers.rows.map((r) => ({ at: r.at, kind: 'survey' as const, label: `${r.survey_id} · ${r.question_id}`, value: r.value, sessionId: r.session_id, conversationId: r.conversation_id ?? undefined })),
    ...consent.rows.map((r) => ({
      at: r.at,
      kind: 'consent' as const,
      label: `Consent (${r.method})`,
      detail: Object.entries(r.categories)
        .map(([k, v]) => `${k} ${v ? '✓' : '✗'}`)
        .join(', '),
    })),
  ]
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, limit);

  const s = sessions.rows;
  const first = s.at(-1);
  const last = s[0];
  const lastSeen = s.reduce<string | null>((m, r) => (m === null || r.last_seen_at > m ? r.last_seen_at : m), null);
  return {
    ...c,
    verified: !!c.userId,
    traits: Object.assign({}, ...traits.rows.map((r) => r.traits ?? {})) as Record<string, unknown>,
    firstSeen: first?.started_at ?? null,
    lastSeen,
    online: !!lastSeen && now - Date.parse(lastSeen) < ONLINE_MS,
    firstTouch: first ? { channel: first.first_channel, source: first.first_source, medium: first.first_medium, campaign: first.first_campaign, at: first.started_at } : null,
    lastTouch: last ? { channel: last.last_channel, source: last.last_source, medium: last.last_medium, campaign: last.last_campaign, at: last.started_at } : null,
    devices: [...new Set(s.map((r) => describeUserAgent(r.user_agent)))],
    sessions: s.map((r) => ({
      sessionId: r.session_id,
      anonymousId: r.anonymous_id,
      startedAt: r.started_at,
      lastSeenAt: r.last_seen_at,
      events: r.events,
      entryUrl: r.entry_url,
      device: describeUserAgent(r.user_agent),
      channel: r.channel,
      replay: withReplay.has(r.session_id),
    })),
    ...figures,
    timeline,
  };
}
