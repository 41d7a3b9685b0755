import Type, { type Static } from 'typebox';
import { Nullable } from '../lib/nullable.js';
import { CONVERSATION_STATUSES } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';
import { isoUtc } from '../store/iso-utc.js';
import { INBOX_STATES, INBOX_VIEWS, stateSql, type InboxState, type InboxView } from '../chat/inbox-state.js';

/** One row of the console's inbox: the response schema, the SQL aliases and the console's type in one place. */
export const ConversationSummary = Type.Object({
  id: Type.String(),
  siteKey: Type.String(),
  status: Type.Enum(CONVERSATION_STATUSES),
  state: Type.Enum(INBOX_STATES),
  channel: Type.String(),
  anonymousId: Type.String(),
  userId: Nullable(Type.String()),
  visitorEmail: Nullable(Type.String()),
  customerName: Nullable(Type.String()),
  sessionId: Nullable(Type.String()),
  page: Nullable(Type.String()),
  lastSeq: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
  /** The customer's last words (never the bot's or a system line): what the agent answers. */
  lastMessage: Nullable(Type.String()),
  assigneeId: Nullable(Type.String()),
  assigneeName: Nullable(Type.String()),
  teamId: Nullable(Type.String()),
  teamName: Nullable(Type.String()),
  labels: Type.Array(Type.String()),
  snoozedUntil: Nullable(Type.String({ format: 'date-time' })),
  waitingSince: Nullable(Type.String({ format: 'date-time' })),
  firstResponseAt: Nullable(Type.String({ format: 'date-time' })),
  /** When the first response is due by the site's target (none: no target, or not handed to people). */
  slaDueAt: Nullable(Type.String({ format: 'date-time' })),
  slaBreached: Type.Boolean(),
});
export type ConversationSummary = Static<typeof ConversationSummary>;

export const ViewCounts = Type.Object({ mine: Type.Integer(), unassigned: Type.Integer(), all: Type.Integer(), team: Type.Integer() });
export type ViewCounts = Static<typeof ViewCounts>;

export interface InboxQuery {
  view?: InboxView | undefined;
  state?: InboxState | undefined;
  /** The wire status (the older filter, kept for API clients). */
  status?: string | undefined;
  siteKey?: string | undefined;
  /** The team view's team; none: all of the agent's teams. */
  teamId?: string | undefined;
  label?: string | undefined;
  /** Message text (full-text, websearch syntax) or the customer's name, e-mail or user id (substring). */
  q?: string | undefined;
}

/** `%`, `_` and `\` stand for themselves in a substring search. */
const likeEscape = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One place for the filters: $1 agent id, $2 now, $3 the agent's team ids, $4 state, $5 status,
 * $6 site, $7 team, $8 label, $9 full-text query, $10 LIKE pattern. The view is the caller's.
 */
const FILTERS = `($4::text IS NULL OR ${stateSql('c', '$2::timestamptz')} = $4)
  AND ($5::text IS NULL OR c.status = $5)
  AND ($6::text IS NULL OR c.site_key = $6)
  AND ($8::text IS NULL OR $8 = ANY(c.labels))
  AND ($10::text IS NULL
       OR c.visitor_email ILIKE $10 OR c.user_id ILIKE $10
       OR EXISTS (SELECT 1 FROM chat_events n WHERE n.conversation_id = c.id AND n.author_kind = 'visitor' AND n.author_name ILIKE $10)
       OR EXISTS (SELECT 1 FROM events i WHERE i.site_key = c.site_key AND i.anonymous_id = c.anonymous_id AND i.type = 'identify' AND i.payload -> 'traits' ->> 'name' ILIKE $10)
       OR ($9::text <> '' AND EXISTS (SELECT 1 FROM chat_events m WHERE m.conversation_id = c.id AND m.kind = 'message'
              AND to_tsvector('simple', coalesce(m.body, '')) @@ websearch_to_tsquery('simple', $9))))`;

const VIEW: Record<InboxView, string> = {
  mine: 'c.assignee_id = $1',
  unassigned: 'c.assignee_id IS NULL',
  all: 'TRUE',
  team: '($7::text IS NULL AND c.team_id = ANY($3::text[]) OR c.team_id = $7)',
};

const params = (agentId: string, now: string, teamIds: string[], q: InboxQuery) => {
  const text = q.q?.trim() || null;
  return [agentId, now, teamIds, q.state ?? null, q.status ?? null, q.siteKey ?? null, q.teamId ?? null, q.label ?? null, text ?? '', text ? likeEscape(text) : null];
};

/**
 * The inbox: the 200 conversations updated last in one view, with the count
 * of every view under the same filters (so a tab's number is what it would list).
 */
export const conversationSummaries = async (
  db: Queryable,
  agentId: string,
  now: string,
  teamIds: string[],
  q: InboxQuery,
): Promise<{ conversations: ConversationSummary[]; counts: ViewCounts }> => {
  const p = params(agentId, now, teamIds, q);
  const [rows, counts] = await Promise.all([
    db.query<ConversationSummary>(
      `SELECT c.id, c.site_key AS "siteKey", c.status, ${stateSql('c', '$2::timestamptz')} AS state, c.channel, c.anonymous_id AS "anonymousId", c.user_id AS "userId",
              c.visitor_email AS "visitorEmail",
              coalesce((SELECT n.author_name FROM chat_events n WHERE n.conversation_id = c.id AND n.author_kind = 'visitor' AND n.author_name IS NOT NULL ORDER BY n.seq DESC LIMIT 1),
                       (SELECT i.payload -> 'traits' ->> 'name' FROM events i WHERE i.site_key = c.site_key AND i.anonymous_id = c.anonymous_id AND i.type = 'identify'
                           AND i.payload -> 'traits' ->> 'name' IS NOT NULL ORDER BY i.timestamp DESC LIMIT 1)) AS "customerName",
              c.session_id AS "sessionId", c.page, c.last_seq AS "lastSeq", ${isoUtc('c.updated_at')} AS "updatedAt",
              (SELECT e.body FROM chat_events e WHERE e.conversation_id = c.id AND e.kind = 'message' AND e.author_kind = 'visitor' ORDER BY e.seq DESC LIMIT 1) AS "lastMessage",
              c.assignee_id AS "assigneeId", a.name AS "assigneeName", c.team_id AS "teamId", t.name AS "teamName", c.labels,
              ${isoUtc('c.snoozed_until')} AS "snoozedUntil", ${isoUtc('c.waiting_since')} AS "waitingSince", ${isoUtc('c.first_response_at')} AS "firstResponseAt",
              ${isoUtc("(c.waiting_since + s.sla_first_response_s * interval '1 second')")} AS "slaDueAt",
              coalesce(c.waiting_since + s.sla_first_response_s * interval '1 second' < coalesce(c.first_response_at, c.closed_at, $2::timestamptz), false) AS "slaBreached"
         FROM conversations c
         LEFT JOIN agents a ON a.id = c.assignee_id
         LEFT JOIN teams t ON t.id = c.team_id
         LEFT JOIN inbox_settings s ON s.site_key = c.site_key
        WHERE CASE $11::text WHEN 'mine' THEN ${VIEW.mine} WHEN 'unassigned' THEN ${VIEW.unassigned} WHEN 'team' THEN ${VIEW.team} ELSE TRUE END AND ${FILTERS}
        ORDER BY c.updated_at DESC LIMIT 200`,
      [...p, q.view ?? 'all'],
    ),
    db.query<ViewCounts>(
      `SELECT count(*) FILTER (WHERE ${VIEW.mine})::int AS mine, count(*) FILTER (WHERE ${VIEW.unassigned})::int AS unassigned,
              count(*)::int AS "all", count(*) FILTER (WHERE ${VIEW.team})::int AS team
         FROM conversations c WHERE ${FILTERS}`,
      p,
    ),
  ]);
  return { conversations: rows.rows, counts: counts.rows[0]! };
};

export { INBOX_VIEWS };
