/**
 * Where a customer's data lives: every table that holds something of theirs,
 * with the condition that finds it. The one list behind erasure and export
 * (and the test that seeds every table and then searches all of them), so a
 * table added later is forgotten by neither — or by both, visibly.
 *
 * Parameters: $1 the site key, $2 the customer's anonymous ids (text[]),
 * $3 their verified user id or NULL. Only verified links make the anonymous
 * ids one customer (customer-profile.ts resolveCustomer): an unverified claim
 * to be this user is somebody else's data, and stays theirs.
 */
export interface CustomerTable {
  table: string;
  where: string;
  /** What export reads (bytes become base64). */
  select?: string;
  order?: string;
}

const CONVERSATIONS = `SELECT id FROM conversations WHERE site_key = $1 AND (anonymous_id = ANY($2) OR user_id = $3)`;
const SESSIONS = `SELECT session_id FROM sessions WHERE site_key = $1 AND anonymous_id = ANY($2)`;

/** In erasure order: what refers to a row goes before it (chat events before conversations, replays before sessions). */
export const CUSTOMER_TABLES: CustomerTable[] = [
  {
    // Outbound copies waiting to go (forwarded events, webhooks about this customer, replies to them).
    table: 'deliveries',
    where: `site_key = $1 AND (payload ->> 'anonymousId' = ANY($2) OR payload #>> '{data,anonymousId}' = ANY($2)
            OR payload #>> '{data,conversation,anonymousId}' = ANY($2) OR payload ->> 'userId' = $3 OR payload #>> '{data,conversation,userId}' = $3
            OR payload ->> 'conversationId' IN (${CONVERSATIONS}))`,
    order: 'id',
  },
  {
    // E-mail and Meta messages of their conversations by platform id, raw message included (docs/channels.md).
    table: 'channel_messages',
    where: `site_key = $1 AND conversation_id IN (${CONVERSATIONS})`,
    select: `(to_jsonb(t) - 'raw') || jsonb_build_object('rawBase64', encode(t.raw, 'base64'))`,
    order: 'created_at',
  },
  // Files sent in their conversations: the rows here, the bytes on disk (eraseCustomer removes those after commit).
  { table: 'chat_attachments', where: `conversation_id IN (${CONVERSATIONS})`, order: 'conversation_id, seq, idx' },
  { table: 'chat_events', where: `conversation_id IN (${CONVERSATIONS})`, order: 'conversation_id, seq' },
  {
    table: 'replay_chunks',
    where: `site_key = $1 AND (anonymous_id = ANY($2) OR session_id IN (${SESSIONS}))`,
    select: `(to_jsonb(t) - 'bytes') || jsonb_build_object('gzipBase64', encode(t.bytes, 'base64'))`,
    order: 'session_id, window_id, seq',
  },
  { table: 'conversations', where: `site_key = $1 AND (anonymous_id = ANY($2) OR user_id = $3)`, order: 'created_at' },
  { table: 'events', where: `site_key = $1 AND anonymous_id = ANY($2)`, order: 'timestamp, id' },
  { table: 'sessions', where: `site_key = $1 AND anonymous_id = ANY($2)`, order: 'started_at' },
  { table: 'identities', where: `site_key = $1 AND anonymous_id = ANY($2)`, order: 'linked_at' },
  // Who linked a channel identity to them, and how: verified or by an agent, so theirs.
  { table: 'identity_links', where: `site_key = $1 AND (anonymous_id = ANY($2) OR user_id = $3)`, order: 'created_at' },
  { table: 'survey_answers', where: `site_key = $1 AND anonymous_id = ANY($2)`, order: 'timestamp, id' },
  { table: 'consent_records', where: `site_key = $1 AND anonymous_id = ANY($2)`, order: 'timestamp, id' },
];

/** The parameters a condition above uses ($1…$n of site, anonymous ids, user id): a statement takes exactly those it names. */
export const customerParams = (where: string, c: { siteKey: string; anonymousIds: string[]; userId?: string | undefined }): unknown[] =>
  [c.siteKey, c.anonymousIds, c.userId ?? null].slice(0, Math.max(...[...where.matchAll(/\$(\d)/g)].map((m) => Number(m[1]))));
