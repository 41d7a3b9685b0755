import { type ConsentRecord, type Event, type SurveyAnswer, parseDateTime } from 'touchpoint/protocol';
import { correctTimestamp } from './lib/clock-skew.js';

/** A validated protocol date-time as the ISO string the store reads: one meaning of `:60` (the last ms of :59), `t`/`z` and offsets. */
const instant = (s: string): string => new Date(parseDateTime(s)!).toISOString();
import type { Queryable } from './store/store.js';
import { recordVisits } from './customers/record-visits.js';
import { appendSessionSteps } from './reports/session-steps.js';
import { appendSessionPages } from './reports/session-pages.js';
import { enqueueEvents, enqueueForward } from './integrations/enqueue.js';
import type { Integrations } from './integrations/integrations-config.js';

export interface IngestInput {
  siteKey: string;
  sentAt: string;
  receivedAt: Date;
  events: { event: Event; verified: boolean }[];
  consent: ConsentRecord[];
  responses: SurveyAnswer[];
  /** The site's forwarding and webhooks: what is newly stored is queued for them in the same transaction. */
  integrations?: Integrations;
}

/**
 * Writes one batch in the caller's transaction: events, consent records and survey answers,
 * each stored once per id (ON CONFLICT DO NOTHING is the idempotency).
 * Returns how many were new.
 */
export async function ingestBatch(tx: Queryable, input: IngestInput): Promise<number> {
  let accepted = 0;
  const receivedAt = input.receivedAt.toISOString();
  if (input.events.length) {
    const rows = input.events.map(({ event, verified }) => {
      const timestamp = correctTimestamp(event.timestamp, event.sentAt ?? input.sentAt, input.receivedAt).toISOString();
      const payload = { ...event, originalTimestamp: event.timestamp, timestamp, sentAt: event.sentAt ?? input.sentAt, receivedAt };
      return {
        message_id: event.messageId,
        type: event.type,
        name: event.type === 'track' ? event.event : event.type === 'page' ? (event.name ?? null) : null,
        anonymous_id: event.anonymousId,
        user_id: event.userId ?? null,
        // An empty session id is no session (as recordVisits and the funnel read it), not a session named ''.
        session_id: event.context?.session?.id || null,
        verified,
        timestamp,
        original_timestamp: instant(event.timestamp),
        sent_at: instant(event.sentAt ?? input.sentAt),
        payload,
      };
    });
    // One statement for the whole batch: a round trip per batch, not per event.
    const r = await tx.query(
      `INSERT INTO events (site_key, received_at, message_id, type, name, anonymous_id, user_id, session_id, verified, timestamp, original_timestamp, sent_at, payload)
       SELECT $1, $3::timestamptz, x.message_id, x.type, x.name, x.anonymous_id, x.user_id, x.session_id, x.verified, x.timestamp, x.original_timestamp, x.sent_at, x.payload
       FROM jsonb_to_recordset($2::jsonb) AS x(message_id text, type text, name text, anonymous_id text, user_id text, session_id text,
            verified boolean, timestamp timestamptz, original_timestamp timestamptz, sent_at timestamptz, payload jsonb)
       ON CONFLICT (site_key, message_id) DO NOTHING
       RETURNING message_id, id::text AS id`,
      [input.siteKey, JSON.stringify(rows), receivedAt],
    );
    accepted += r.rows.length;
    const fresh = new Set((r.rows as { message_id: string }[]).map((x) => x.message_id));
    await recordVisits(
      tx,
      input.siteKey,
      input.events.flatMap(({ event, verified }, i) => (fresh.has(event.messageId) ? [{ event, verified, timestamp: rows[i]!.timestamp }] : [])),
    );
    // Their sessions' journeys (the funnel's summary), in this transaction so the two never disagree.
    const ids = (r.rows as { id: string }[]).map((x) => x.id);
    await appendSessionSteps(tx, input.siteKey, ids);
    // And the struggle report's: the pages each session viewed, the signals.
    await appendSessionPages(tx, input.siteKey, ids);
    if (input.integrations) await enqueueForward(tx, input.siteKey, input.integrations, input.events.filter(({ event }) => fresh.has(event.messageId)).map(({ event }) => event));
  }
  if (input.consent.length) {
    const rows = input.consent.map((c) => ({
      record_id: c.id,
      anonymous_id: c.anonymousId,
      user_id: c.userId ?? null,
      timestamp: correctTimestamp(c.timestamp, input.sentAt, input.receivedAt).toISOString(),
      policy_version: c.policyVersion,
      method: c.method,
      categories: c.categories,
      payload: { ...c, receivedAt },
    }));
    const r = await tx.query(
      `INSERT INTO consent_records (site_key, received_at, record_id, anonymous_id, user_id, timestamp, policy_version, method, categories, payload)
       SELECT $1, $3::timestamptz, x.record_id, x.anonymous_id, x.user_id, x.timestamp, x.policy_version, x.method, x.categories, x.payload
       FROM jsonb_to_recordset($2::jsonb) AS x(record_id text, anonymous_id text, user_id text, timestamp timestamptz,
            policy_version text, method text, categories jsonb, payload jsonb)
       ON CONFLICT (site_key, record_id) DO NOTHING
       RETURNING record_id`,
      [input.siteKey, JSON.stringify(rows), receivedAt],
    );
    accepted += r.rows.length;
    if (input.integrations) {
      const fresh = new Set((r.rows as { record_id: string }[]).map((x) => x.record_id));
      await enqueueEvents(tx, input.siteKey, input.integrations, input.consent.filter((c) => fresh.has(c.id)).map((c) => ({ type: 'consent.record', data: c })));
    }
  }
  if (input.responses.length) {
    const rows = input.responses.map((a) => ({
      response_id: a.responseId,
      survey_id: a.surveyId,
      survey_version: a.surveyVersion,
      question_id: a.questionId,
      value: a.value === undefined ? null : JSON.stringify(a.value),
      anonymous_id: a.anonymousId,
      user_id: a.userId ?? null,
      session_id: a.sessionId || null,
      replay_ts: a.replayTimestamp ?? null,
      conversation_id: a.conversationId ?? null,
      url: a.url ?? null,
      timestamp: correctTimestamp(a.timestamp, input.sentAt, input.receivedAt).toISOString(),
      payload: { ...a, receivedAt },
    }));
    const r = await tx.query(
      `INSERT INTO survey_answers (site_key, received_at, response_id, survey_id, survey_version, question_id, value, anonymous_id, user_id, session_id, replay_ts, conversation_id, url, timestamp, payload)
       SELECT $1, $3::timestamptz, x.response_id, x.survey_id, x.survey_version, x.question_id, x.value::jsonb, x.anonymous_id, x.user_id, x.session_id, x.replay_ts, x.conversation_id, x.url, x.timestamp, x.payload
       FROM jsonb_to_recordset($2::jsonb) AS x(response_id text, survey_id text, survey_version integer, question_id text, value text, anonymous_id text, user_id text,
            session_id text, replay_ts bigint, conversation_id text, url text, timestamp timestamptz, payload jsonb)
       ON CONFLICT (site_key, response_id, question_id) DO NOTHING
       RETURNING response_id, question_id`,
      [input.siteKey, JSON.stringify(rows), receivedAt],
    );
    accepted += r.rows.length;
    if (input.integrations) {
      const fresh = new Set((r.rows as { response_id: string; question_id: string }[]).map((x) => `${x.response_id}|${x.question_id}`));
      const stored = input.responses.filter((a) => fresh.has(`${a.responseId}|${a.questionId}`));
      await enqueueEvents(tx, input.siteKey, input.integrations, stored.map((a) => ({ type: 'survey.response', data: a })));
    }
  }
  return accepted;
}
