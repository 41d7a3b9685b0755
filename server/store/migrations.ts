/**
 * Schema migrations, applied in order, once, by whichever instance starts
 * first (under an advisory lock). Never edit a shipped migration: add one.
 * Every statement runs unchanged on PGlite and PostgreSQL.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'sites, events and consent records',
    sql: `
CREATE TABLE server_secrets (
  name  text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE sites (
  key             text PRIMARY KEY,
  name            text NOT NULL,
  secret          text NOT NULL,
  allowed_origins jsonb NOT NULL DEFAULT '["*"]',
  config          jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
  id                 bigserial PRIMARY KEY,
  site_key           text NOT NULL,
  message_id         text NOT NULL,
  type               text NOT NULL,
  name               text,
  anonymous_id       text NOT NULL,
  user_id            text,
  session_id         text,
  verified           boolean NOT NULL DEFAULT false,
  timestamp          timestamptz NOT NULL,
  original_timestamp timestamptz NOT NULL,
  sent_at            timestamptz,
  received_at        timestamptz NOT NULL DEFAULT now(),
  payload            jsonb NOT NULL,
  UNIQUE (site_key, message_id)
);
CREATE INDEX events_site_time ON events (site_key, timestamp);
CREATE INDEX events_site_anon ON events (site_key, anonymous_id, timestamp);
CREATE INDEX events_site_user ON events (site_key, user_id, timestamp) WHERE user_id IS NOT NULL;
CREATE INDEX events_site_session ON events (site_key, session_id);

CREATE TABLE consent_records (
  id             bigserial PRIMARY KEY,
  site_key       text NOT NULL,
  record_id      text NOT NULL,
  anonymous_id   text NOT NULL,
  user_id        text,
  timestamp      timestamptz NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  policy_version text NOT NULL,
  method         text NOT NULL,
  categories     jsonb NOT NULL,
  payload        jsonb NOT NULL,
  UNIQUE (site_key, record_id)
);
CREATE INDEX consent_site_anon ON consent_records (site_key, anonymous_id, timestamp);

-- Proof of consent is append-only: the database itself refuses to rewrite history.
CREATE FUNCTION consent_records_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'consent_records is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER consent_records_append_only
  BEFORE UPDATE OR DELETE ON consent_records
  FOR EACH ROW EXECUTE FUNCTION consent_records_append_only();
`,
  },
  {
    version: 2,
    name: 'chat: conversations, events, agents',
    sql: `
CREATE TABLE conversations (
  id            text PRIMARY KEY,
  site_key      text NOT NULL,
  anonymous_id  text NOT NULL,
  user_id       text,                      -- set only from a verified identity
  client_id     text NOT NULL,             -- the creator's idempotency key
  channel       text NOT NULL DEFAULT 'web',
  status        text NOT NULL DEFAULT 'bot',
  last_seq      integer NOT NULL DEFAULT 0,
  session_id    text,
  page          text,
  locale        text,
  visitor_email text,
  assignee      text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  closed_at     timestamptz,
  UNIQUE (site_key, client_id)
);
CREATE INDEX conversations_visitor ON conversations (site_key, anonymous_id, created_at DESC);
CREATE INDEX conversations_user ON conversations (site_key, user_id, created_at DESC) WHERE user_id IS NOT NULL;
CREATE INDEX conversations_status ON conversations (site_key, status, updated_at DESC);

CREATE TABLE chat_events (
  conversation_id text NOT NULL REFERENCES conversations (id),
  seq             integer NOT NULL,
  kind            text NOT NULL,
  author_kind     text NOT NULL,
  author_name     text,
  client_id       text,
  body            text,
  data            jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, seq),
  UNIQUE (conversation_id, client_id)
);

CREATE TABLE agents (
  id            text PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  name          text NOT NULL,
  password_hash text NOT NULL,
  last_seen_at  timestamptz
);
`,
  },
  {
    version: 3,
    name: 'survey answers and replay chunks',
    sql: `
CREATE TABLE survey_answers (
  id               bigserial PRIMARY KEY,
  site_key         text NOT NULL,
  response_id      text NOT NULL,
  survey_id        text NOT NULL,
  survey_version   integer NOT NULL,
  question_id      text NOT NULL,
  value            jsonb,
  anonymous_id     text NOT NULL,
  user_id          text,
  session_id       text,
  replay_ts        bigint,
  conversation_id  text,
  url              text,
  timestamp        timestamptz NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  payload          jsonb NOT NULL,
  UNIQUE (site_key, response_id, question_id)
);
CREATE INDEX survey_answers_survey ON survey_answers (site_key, survey_id, timestamp);
CREATE INDEX survey_answers_visitor ON survey_answers (site_key, anonymous_id, timestamp);

CREATE TABLE replay_chunks (
  site_key     text NOT NULL,
  session_id   text NOT NULL,
  window_id    text NOT NULL,
  seq          integer NOT NULL,
  first_ts     bigint NOT NULL,
  last_ts      bigint NOT NULL,
  anonymous_id text,
  bytes        bytea NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_key, session_id, window_id, seq)
);
`,
  },
  {
    version: 4,
    name: 'customers: identities, sessions, report indexes',
    sql: `
-- Which anonymous ids belong to which user. Only verified links (identify or
-- alias with a valid userHash) stitch histories together; unverified ones are
-- kept to show as a claim on the anonymous visitor's own profile.
CREATE TABLE identities (
  site_key     text NOT NULL,
  anonymous_id text NOT NULL,
  user_id      text NOT NULL,
  verified     boolean NOT NULL,
  linked_at    timestamptz NOT NULL,
  PRIMARY KEY (site_key, anonymous_id, user_id)
);
CREATE INDEX identities_user ON identities (site_key, user_id) WHERE verified;

-- One row per session, kept at ingest: the attribution report and the
-- customer list read this (about a tenth of the events) instead of scanning events.
CREATE TABLE sessions (
  site_key       text NOT NULL,
  session_id     text NOT NULL,
  anonymous_id   text NOT NULL,
  started_at     timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL,
  events         integer NOT NULL,
  entry_url      text,
  user_agent     text,
  channel        text,
  first_channel  text,
  first_source   text,
  first_medium   text,
  first_campaign text,
  last_channel   text,
  last_source    text,
  last_medium    text,
  last_campaign  text,
  PRIMARY KEY (site_key, session_id)
);
CREATE INDEX sessions_site_start ON sessions (site_key, started_at);
CREATE INDEX sessions_site_seen ON sessions (site_key, last_seen_at);
CREATE INDEX sessions_site_anon ON sessions (site_key, anonymous_id, started_at);

CREATE INDEX events_site_name_time ON events (site_key, name, timestamp) WHERE name IS NOT NULL;
CREATE INDEX events_site_identify ON events (site_key, timestamp) WHERE type = 'identify';
CREATE INDEX conversations_site_created ON conversations (site_key, created_at);
CREATE INDEX conversations_site_anon ON conversations (site_key, anonymous_id);
CREATE INDEX consent_site_anon_time ON consent_records (site_key, anonymous_id);

-- Existing data, once.
INSERT INTO identities (site_key, anonymous_id, user_id, verified, linked_at)
SELECT site_key, anonymous_id, user_id, bool_or(verified), min(timestamp)
  FROM events WHERE type IN ('identify', 'alias') AND user_id IS NOT NULL GROUP BY 1, 2, 3;

INSERT INTO sessions
SELECT a.site_key, a.session_id, f.anonymous_id, a.started_at, a.last_seen_at, a.n,
       f.payload #>> '{context,page,url}', f.payload #>> '{context,userAgent}', f.payload #>> '{context,attribution,session,channel}',
       f.payload #>> '{context,attribution,first,channel}', f.payload #>> '{context,attribution,first,source}',
       f.payload #>> '{context,attribution,first,medium}', f.payload #>> '{context,attribution,first,campaign}',
       f.payload #>> '{context,attribution,last,channel}', f.payload #>> '{context,attribution,last,source}',
       f.payload #>> '{context,attribution,last,medium}', f.payload #>> '{context,attribution,last,campaign}'
  FROM (SELECT site_key, session_id, min(timestamp) AS started_at, max(timestamp) AS last_seen_at, count(*)::int AS n
          FROM events WHERE session_id IS NOT NULL GROUP BY 1, 2) a
  JOIN LATERAL (SELECT anonymous_id, payload FROM events e WHERE e.site_key = a.site_key AND e.session_id = a.session_id ORDER BY e.timestamp LIMIT 1) f ON true;
`,
  },
  {
    version: 5,
    name: 'integrations: outbound deliveries (forwarding, webhooks, channel replies)',
    sql: `
-- Everything the server sends out waits here, written in the same transaction
-- as what caused it: nothing is sent that was not stored, nothing stored is
-- forgotten. Workers on every instance claim due rows (SKIP LOCKED); after
-- its last attempt a row is 'dead' and shows in the console's dead letters.
CREATE TABLE deliveries (
  id           bigserial PRIMARY KEY,
  site_key     text NOT NULL,
  kind         text NOT NULL,
  target       text NOT NULL,
  payload      jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'pending',
  attempts     integer NOT NULL DEFAULT 0,
  next_at      timestamptz NOT NULL DEFAULT now(),
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX deliveries_due ON deliveries (next_at) WHERE status = 'pending';
CREATE INDEX deliveries_site_status ON deliveries (site_key, status, created_at);
`,
  },
  {
    version: 6,
    name: 'operators: rotated site secrets with a grace period, agent roles',
    sql: `
-- After a rotation the previous secret still verifies userHash until
-- previous_secret_until (pages rendered before it, backends not yet redeployed).
ALTER TABLE sites ADD COLUMN previous_secret text;
ALTER TABLE sites ADD COLUMN previous_secret_until timestamptz;

-- owner and admin manage sites and agents; agent answers chats. Agents made
-- before roles existed could do everything: they stay owners.
ALTER TABLE agents ADD COLUMN role text NOT NULL DEFAULT 'owner';
ALTER TABLE agents ALTER COLUMN role SET DEFAULT 'agent';
ALTER TABLE agents ADD CONSTRAINT agents_role CHECK (role IN ('owner', 'admin', 'agent'));
`,
  },
  {
    version: 7,
    name: 'privacy: erasure audit, retention indexes',
    sql: `
-- Proof of consent stays append-only, except inside an erasure: the person it
-- proves consent for asked to be forgotten (server/customers/erase-customer.ts
-- sets touchpoint.erasing for that one transaction).
CREATE OR REPLACE FUNCTION consent_records_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('touchpoint.erasing', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'consent_records is append-only';
END;
$$ LANGUAGE plpgsql;

-- One row per erasure: who asked, when, how much went. The subject is kept
-- only as SHA-256 hashes of its ids, so the audit trail can answer "was this
-- person erased?" without keeping who they were.
CREATE TABLE erasures (
  id           bigserial PRIMARY KEY,
  site_key     text NOT NULL,
  subject_hash text[] NOT NULL,
  requested_by text NOT NULL,
  counts       jsonb NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX erasures_site ON erasures (site_key, created_at);

-- Retention deletes by age, a batch at a time: each needs an index on (site, age).
CREATE INDEX replay_chunks_site_received ON replay_chunks (site_key, received_at);
CREATE INDEX conversations_site_updated ON conversations (site_key, updated_at);
CREATE INDEX survey_answers_site_user ON survey_answers (site_key, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX consent_site_user ON consent_records (site_key, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX replay_chunks_site_anon ON replay_chunks (site_key, anonymous_id);
CREATE INDEX deliveries_site_done ON deliveries (site_key, delivered_at) WHERE status = 'done';
`,
  },
  {
    version: 8,
    name: 'channels: e-mail and Meta accounts, platform message ids, identity links',
    sql: `
-- A channel account of a site (docs/channels.md): a support e-mail address, a
-- Facebook Page, an Instagram account or a WhatsApp phone number id. Inbound
-- routing finds the account by (kind, address). Its secrets (app secret, access
-- token, verify token, inbound password) never leave the server.
CREATE TABLE channel_accounts (
  id         text PRIMARY KEY,
  site_key   text NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('email', 'messenger', 'instagram', 'whatsapp')),
  address    text NOT NULL,
  name       text NOT NULL DEFAULT '',
  secrets    jsonb NOT NULL DEFAULT '{}',
  settings   jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  UNIQUE (kind, address)
);
CREATE INDEX channel_accounts_site ON channel_accounts (site_key);

-- Every message in or out of a channel by its platform id (Message-ID, mid,
-- wamid): platforms deliver at least once, so an id is stored once; e-mail
-- threads by finding In-Reply-To / References here. Outbound rows are written
-- in the same transaction as the agent's message and its delivery.
CREATE TABLE channel_messages (
  site_key        text NOT NULL,
  channel         text NOT NULL,
  external_id     text NOT NULL,
  direction       text NOT NULL CHECK (direction IN ('in', 'out')),
  account_id      text,
  conversation_id text,
  seq             integer,
  status          text,
  meta            jsonb,
  raw             bytea,
  sent_at         timestamptz,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (site_key, channel, external_id)
);
CREATE INDEX channel_messages_conversation ON channel_messages (conversation_id, created_at);

-- Who linked a channel identity (email:…, whatsapp:…) to a user, how and when:
-- automatic links from a verified trait and agents' links by hand alike.
CREATE TABLE identity_links (
  id           bigserial PRIMARY KEY,
  site_key     text NOT NULL,
  anonymous_id text NOT NULL,
  user_id      text NOT NULL,
  how          text NOT NULL,
  agent_id     text,
  created_at   timestamptz NOT NULL
);
CREATE INDEX identity_links_site ON identity_links (site_key, user_id);
`,
  },
  {
    version: 9,
    name: 'inbox workflow: states, assignment, teams, notes, canned replies, labels, SLA',
    sql: `
-- The agent's workflow beside the visitor's lifecycle (status: bot, pending,
-- open, closed — the wire's). hold: NULL (open work), 'customer' (waiting for
-- the customer) or 'snoozed' (until snoozed_until). Resolved is status closed.
-- A visitor's message clears the hold; a snooze also ends at its time.
ALTER TABLE conversations ADD COLUMN hold text CHECK (hold IN ('customer', 'snoozed'));
ALTER TABLE conversations ADD COLUMN snoozed_until timestamptz;
ALTER TABLE conversations ADD COLUMN assignee_id text;
ALTER TABLE conversations ADD COLUMN team_id text;
ALTER TABLE conversations ADD COLUMN labels text[] NOT NULL DEFAULT '{}';
-- The first-response clock: from the first hand-over to people (or a channel's
-- first message) to the first agent message after it.
ALTER TABLE conversations ADD COLUMN waiting_since timestamptz;
ALTER TABLE conversations ADD COLUMN first_response_at timestamptz;
ALTER TABLE conversations ADD COLUMN first_responder_id text;
-- Existing rows: the clock from their first hand-over (or, for a channel, their
-- start), the first agent message after it; the agent who sent it is unknown
-- (events kept names, not ids).
UPDATE conversations c SET waiting_since = coalesce(
  (SELECT min(e.created_at) FROM chat_events e WHERE e.conversation_id = c.id AND e.kind = 'status' AND e.data ->> 'status' = 'pending'),
  CASE WHEN c.channel <> 'web' THEN c.created_at END);
UPDATE conversations c SET first_response_at =
  (SELECT min(e.created_at) FROM chat_events e WHERE e.conversation_id = c.id AND e.kind = 'message' AND e.author_kind = 'agent' AND e.created_at >= c.waiting_since)
  WHERE c.waiting_since IS NOT NULL;
CREATE INDEX conversations_assignee ON conversations (site_key, assignee_id, updated_at DESC);
CREATE INDEX conversations_labels ON conversations USING gin (labels);
CREATE INDEX conversations_snoozed ON conversations (snoozed_until) WHERE hold = 'snoozed';
-- Search: message text by full-text ('simple': no language's stemming, visitors write in many).
CREATE INDEX chat_events_text ON chat_events USING gin (to_tsvector('simple', coalesce(body, ''))) WHERE kind = 'message';

CREATE TABLE teams (
  id         text PRIMARY KEY,
  site_key   text NOT NULL,
  name       text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (site_key, name)
);
-- turn: round-robin gives the next conversation to the online member whose
-- last one is oldest (a counter per team, not a time: clocks tie).
CREATE TABLE team_members (
  team_id  text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  agent_id text NOT NULL,
  turn     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (team_id, agent_id)
);

-- Private notes live apart from chat_events: they take no seq, so no visitor
-- API, stream, webhook or channel reply (all read chat_events) can carry one.
-- They go with their conversation (retention, a customer's erasure).
CREATE TABLE conversation_notes (
  id              bigserial PRIMARY KEY,
  conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  agent_id        text NOT NULL,
  author_name     text NOT NULL,
  client_id       text NOT NULL,
  body            text NOT NULL,
  after_seq       integer NOT NULL,
  created_at      timestamptz NOT NULL,
  UNIQUE (conversation_id, client_id)
);

CREATE TABLE canned_replies (
  id         text PRIMARY KEY,
  site_key   text NOT NULL,
  shortcut   text NOT NULL,
  body       text NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (site_key, shortcut)
);

-- Per site: how new work is assigned and the first-response target.
CREATE TABLE inbox_settings (
  site_key     text PRIMARY KEY,
  assignment   text NOT NULL DEFAULT 'manual' CHECK (assignment IN ('manual', 'round_robin')),
  team_id      text,
  sla_first_response_s integer CHECK (sla_first_response_s > 0)
);
`,
  },
  {
    version: 10,
    name: 'agent presence and waiting e-mail',
    sql: `
-- Presence, derived whenever it is read (server/chat/presence.ts): an agent is
-- offline without a console connection seen within the lease, away when they
-- chose it or every console tab has been hidden for the away delay, else online.
-- One row per open console stream, on whichever instance holds it; a crashed
-- instance's rows simply stop being refreshed. hidden_since: since when that
-- tab has been hidden (Page Visibility, as the console reports it), NULL while shown.
CREATE TABLE agent_connections (
  id           text PRIMARY KEY,
  agent_id     text NOT NULL,
  seen_at      timestamptz NOT NULL,
  hidden_since timestamptz
);
CREATE INDEX agent_connections_agent ON agent_connections (agent_id, seen_at);
-- choice: what the agent chose, 'online' (the default) or 'away'. state: the
-- derived presence as an instance last wrote it (on every change and tick), for
-- queries inside a transaction — round-robin reads it there.
CREATE TABLE agent_presence (
  agent_id   text PRIMARY KEY,
  choice     text NOT NULL DEFAULT 'online' CHECK (choice IN ('online', 'away')),
  state      text NOT NULL DEFAULT 'offline',
  updated_at timestamptz NOT NULL
);
-- One e-mail per waiting spell (a conversation's first unanswered customer
-- event, by seq): the instance that inserts the row sends it, no other does.
CREATE TABLE waiting_mail (
  conversation_id text NOT NULL,
  spell_seq       integer NOT NULL,
  claimed_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  recipients      integer,
  PRIMARY KEY (conversation_id, spell_seq)
);
`,
  },
  {
    version: 11,
    name: 'chat attachments: the files of a message, by content hash',
    sql: `
-- A file sent in a chat message (the visitor's or an agent's): index idx of
-- message seq. The bytes live on disk under their SHA-256
-- (server/attachments/attachment-files.ts), written before this row, in the
-- message's transaction; the same bytes sent twice are one file and two rows.
CREATE TABLE chat_attachments (
  conversation_id text NOT NULL REFERENCES conversations (id),
  seq             integer NOT NULL,
  idx             integer NOT NULL,
  sha256          text NOT NULL,
  filename        text NOT NULL,
  content_type    text NOT NULL,
  size            integer NOT NULL,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, seq, idx)
);
-- Whether any row still needs a file (erasure, retention and the orphan sweep ask).
CREATE INDEX chat_attachments_sha ON chat_attachments (sha256);
`,
  },
  {
    version: 12,
    name: 'site settings from the console',
    sql: `
-- Settings are edited in the console now: a site file entry is applied at
-- start only when it changed since it was last applied (its hash), so a
-- restart never undoes an owner's edit. updated_at: when settings last changed.
ALTER TABLE sites ADD COLUMN file_hash text;
ALTER TABLE sites ADD COLUMN updated_at timestamptz;
`,
  },
  {
    version: 14,
    name: 'journeys: the steps of each session, a page-path index',
    sql: `
-- The funnel's summary (server/reports/session-steps.ts): each session's page
-- views and tracked events as one text of JSON arrays, appended by ingest in
-- the batch's transaction. Beside sessions, not in it (the attribution report
-- scans sessions); gone with its session, so erasure and retention take it too.
CREATE TABLE session_steps (
  site_key   text NOT NULL,
  session_id text NOT NULL,
  steps      text NOT NULL,
  PRIMARY KEY (site_key, session_id),
  FOREIGN KEY (site_key, session_id) REFERENCES sessions (site_key, session_id) ON DELETE CASCADE
);
-- Who met a funnel's first step: page views by path (LIKE prefixes use it), and events without a session.
CREATE INDEX events_site_page_path ON events (site_key, (coalesce(payload #>> '{context,page,path}', '/')) text_pattern_ops, timestamp) WHERE type = 'page';
CREATE INDEX events_site_sessionless ON events (site_key, timestamp) WHERE session_id IS NULL AND type IN ('page', 'track');
-- Existing data, once.
INSERT INTO session_steps (site_key, session_id, steps)
SELECT e.site_key, e.session_id,
       string_agg(json_build_array(e.id, (extract(epoch FROM e.timestamp) * 1000)::float8, e.type, e.name,
                  coalesce(e.payload #>> '{context,page,path}', '/'), nullif(e.anonymous_id, s.anonymous_id))::text, ',' ORDER BY e.timestamp, e.id)
  FROM events e JOIN sessions s ON s.site_key = e.site_key AND s.session_id = e.session_id
 WHERE e.type IN ('page', 'track') GROUP BY 1, 2;
`,
  },
  {
    version: 15,
    name: 'journeys: an empty session id is none; pages and signals for the struggle report',
    sql: `
-- A client's context.session.id "" (or a survey answer's sessionId "") is no
-- session: ingest stores NULL since (the funnel missed events stored with '').
UPDATE events SET session_id = NULL WHERE session_id = '';
UPDATE survey_answers SET session_id = NULL WHERE session_id = '';
-- The struggle report's summaries (server/reports/session-pages.ts), written by
-- ingest in the batch's transaction. Each (session, page path) viewed, with its
-- first and last view: a page's sessions are counted from these rows, not from
-- every page view's JSON path. Gone with its session (erasure, retention).
CREATE TABLE session_pages (
  site_key   text NOT NULL,
  session_id text NOT NULL,
  path       text NOT NULL,
  first_at   timestamptz NOT NULL,
  last_at    timestamptz NOT NULL,
  PRIMARY KEY (site_key, session_id, path),
  FOREIGN KEY (site_key, session_id) REFERENCES sessions (site_key, session_id) ON DELETE CASCADE
);
CREATE INDEX session_pages_site_time ON session_pages (site_key, first_at);
-- The events that are struggle signals (friction clicks, poor LCP/INP), a
-- narrow copy of each: gone with its event.
CREATE TABLE struggle_signals (
  event_id   bigint PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  site_key   text NOT NULL,
  session_id text NOT NULL,
  path       text NOT NULL,
  name       text NOT NULL,
  timestamp  timestamptz NOT NULL
);
CREATE INDEX struggle_signals_site_time ON struggle_signals (site_key, timestamp);
-- Existing data, once.
INSERT INTO session_pages (site_key, session_id, path, first_at, last_at)
SELECT e.site_key, e.session_id, coalesce(e.payload #>> '{context,page,path}', '/'), min(e.timestamp), max(e.timestamp)
  FROM events e JOIN sessions s ON s.site_key = e.site_key AND s.session_id = e.session_id
 WHERE e.type = 'page' GROUP BY 1, 2, 3;
INSERT INTO struggle_signals (event_id, site_key, session_id, path, name, timestamp)
SELECT e.id, e.site_key, e.session_id, coalesce(e.payload #>> '{context,page,path}', '/'), e.name, e.timestamp FROM events e
 WHERE e.type = 'track' AND e.session_id IS NOT NULL
   AND (e.name IN ('Rage Click', 'Dead Click', 'Error Click') OR (e.name = 'Web Vital' AND e.payload #>> '{properties,rating}' = 'poor' AND e.payload #>> '{properties,name}' IN ('LCP', 'INP')));
`,
  },
  {
    version: 16,
    name: 'journeys: page views, tracks and autocaptured events apart in each session’s steps',
    sql: `
-- The funnel's summary (server/reports/session-steps.ts) in three texts, so a
-- funnel reads only what can meet its steps: page views [id, ms, path],
-- tracks [id, ms, name, path], and apart from them the autocaptured clicks and
-- web vitals (half of all events, read only when a step names one); an
-- entry's anonymous id last when it is not its session's. A new table rather
-- than an altered one: the old rows would stay behind as dead space a scan
-- reads. Rebuilt from the events, like migration 14.
DROP TABLE session_steps;
CREATE TABLE session_steps (
  site_key    text NOT NULL,
  session_id  text NOT NULL,
  pages       text NOT NULL,
  tracks      text NOT NULL,
  autocapture text NOT NULL,
  PRIMARY KEY (site_key, session_id),
  FOREIGN KEY (site_key, session_id) REFERENCES sessions (site_key, session_id) ON DELETE CASCADE
);
INSERT INTO session_steps (site_key, session_id, pages, tracks, autocapture)
SELECT e.site_key, e.session_id,
       coalesce(string_agg('[' || e.id || ',' || (extract(epoch FROM e.timestamp) * 1000)::float8 || ',' || to_json(coalesce(e.payload #>> '{context,page,path}', '/'))::text
                           || CASE WHEN e.anonymous_id = s.anonymous_id THEN '' ELSE ',' || to_json(e.anonymous_id)::text END || ']', ',' ORDER BY e.timestamp, e.id)
                FILTER (WHERE e.type = 'page'), ''),
       coalesce(string_agg('[' || e.id || ',' || (extract(epoch FROM e.timestamp) * 1000)::float8 || ',' || coalesce(to_json(e.name)::text, 'null') || ',' || to_json(coalesce(e.payload #>> '{context,page,path}', '/'))::text
                           || CASE WHEN e.anonymous_id = s.anonymous_id THEN '' ELSE ',' || to_json(e.anonymous_id)::text END || ']', ',' ORDER BY e.timestamp, e.id)
                FILTER (WHERE e.type = 'track' AND (e.name IN ('Element Clicked', 'Web Vital')) IS NOT TRUE), ''),
       coalesce(string_agg('[' || e.id || ',' || (extract(epoch FROM e.timestamp) * 1000)::float8 || ',' || coalesce(to_json(e.name)::text, 'null') || ',' || to_json(coalesce(e.payload #>> '{context,page,path}', '/'))::text
                           || CASE WHEN e.anonymous_id = s.anonymous_id THEN '' ELSE ',' || to_json(e.anonymous_id)::text END || ']', ',' ORDER BY e.timestamp, e.id)
                FILTER (WHERE e.type = 'track' AND e.name IN ('Element Clicked', 'Web Vital')), '')
  FROM events e JOIN sessions s ON s.site_key = e.site_key AND s.session_id = e.session_id
 WHERE e.type IN ('page', 'track') GROUP BY 1, 2;
ANALYZE session_steps;
-- Who met a funnel's first page step: its sessions by path (LIKE prefixes use
-- it) from the struggle report's pages, a row per session and path viewed.
CREATE INDEX session_pages_site_path ON session_pages (site_key, path text_pattern_ops, first_at);
`,
  },
  {
    version: 17,
    name: 'journeys: each session’s visitor, first and last step time, and whether another visitor’s steps are in it',
    sql: `
-- A customer funnel reads only the sessions that can hold a step of an
-- attempt (server/reports/funnel-journeys.ts): those with a step between the
-- customer's first step 1 and the window after their last, and every session
-- with another visitor's steps (they belong to that visitor's customer). Each
-- session's journey keeps the time (ms) of its first and last entry and that
-- flag, and its visitor (found by it without the sessions table). A new
-- table rather than an altered one, as in migration 16 (no dead rows for a
-- scan to read); migration 16's texts are kept as they are, and only the new
-- columns come from the events.
CREATE TABLE session_steps_17 (
  site_key    text NOT NULL,
  session_id  text NOT NULL,
  anonymous_id text NOT NULL,
  pages       text NOT NULL,
  tracks      text NOT NULL,
  autocapture text NOT NULL,
  first_at    float8 NOT NULL,
  last_at     float8 NOT NULL,
  guests      boolean NOT NULL,
  PRIMARY KEY (site_key, session_id),
  FOREIGN KEY (site_key, session_id) REFERENCES sessions (site_key, session_id) ON DELETE CASCADE
);
INSERT INTO session_steps_17 (site_key, session_id, anonymous_id, pages, tracks, autocapture, first_at, last_at, guests)
SELECT j.site_key, j.session_id, b.anonymous_id, j.pages, j.tracks, j.autocapture, b.first_at, b.last_at, b.guests
  FROM session_steps j
  JOIN (SELECT e.site_key, e.session_id, s.anonymous_id, min((extract(epoch FROM e.timestamp) * 1000)::float8) AS first_at,
               max((extract(epoch FROM e.timestamp) * 1000)::float8) AS last_at, bool_or(e.anonymous_id <> s.anonymous_id) AS guests
          FROM events e JOIN sessions s ON s.site_key = e.site_key AND s.session_id = e.session_id
         WHERE e.type IN ('page', 'track') GROUP BY 1, 2, 3) b ON b.site_key = j.site_key AND b.session_id = j.session_id;
DROP TABLE session_steps;
ALTER TABLE session_steps_17 RENAME TO session_steps;
ALTER TABLE session_steps RENAME CONSTRAINT session_steps_17_pkey TO session_steps_pkey;
ALTER TABLE session_steps RENAME CONSTRAINT session_steps_17_site_key_session_id_fkey TO session_steps_site_key_session_id_fkey;
CREATE INDEX session_steps_site_anon ON session_steps (site_key, anonymous_id);
ANALYZE session_steps;
`,
  },
];
