import { randomUUID } from 'node:crypto';
import type { Queryable } from '../store/store.js';
import { subscribed, type Integrations } from './integrations-config.js';

/**
 * `forward`: an event to a Segment-compatible API; `webhook`: a signed event; `reply`: an agent's reply to an inbound channel;
 * `mail` / `graph`: an agent's reply through a channel account (server/channels/), by SMTP or the Graph API.
 */
export type DeliveryKind = 'forward' | 'webhook' | 'reply' | 'mail' | 'graph';

interface Row {
  kind: DeliveryKind;
  target: string;
  payload: unknown;
}

/**
 * Writes deliveries in the caller's transaction, all in one statement. The
 * target is a URL only: its secret or write key is looked up in the site's
 * config at send time, so no secret is copied into this table and a rotated
 * one applies at once.
 */
const insert = async (tx: Queryable, siteKey: string, rows: Row[]) => {
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO deliveries (site_key, kind, target, payload)
     SELECT $1, x.kind, x.target, x.payload FROM jsonb_to_recordset($2::jsonb) AS x(kind text, target text, payload jsonb)`,
    [siteKey, JSON.stringify(rows)],
  );
};

/**
 * One webhook event to each URL. Its `id` is the same for every endpoint and
 * every retry: receivers dedupe on it.
 */
const webhookRows = (siteKey: string, kind: 'webhook' | 'reply', urls: string[], type: string, data: unknown): Row[] => {
  const event = { id: `evt_${randomUUID()}`, type, createdAt: new Date().toISOString(), siteKey, data };
  return urls.map((target) => ({ kind, target, payload: event }));
};

/** Every newly accepted event, unchanged (its `messageId` lets the destination dedupe), to each forwarding target. */
export const enqueueForward = (tx: Queryable, siteKey: string, integrations: Integrations, events: unknown[]): Promise<void> =>
  insert(tx, siteKey, integrations.forward.flatMap((f) => events.map((payload) => ({ kind: 'forward' as const, target: f.url, payload }))));

/** Webhook events, each to the site's endpoints subscribed to its type. */
export const enqueueEvents = (tx: Queryable, siteKey: string, integrations: Integrations, events: { type: string; data: unknown }[]): Promise<void> =>
  insert(
    tx,
    siteKey,
    events.flatMap(({ type, data }) => webhookRows(siteKey, 'webhook', integrations.webhooks.filter((w) => subscribed(w, type)).map((w) => w.url), type, data)),
  );

/** `conversation.reply` events to an inbound channel's reply URL. */
export const enqueueReplies = (tx: Queryable, siteKey: string, replyUrl: string, replies: unknown[]): Promise<void> =>
  insert(tx, siteKey, replies.flatMap((data) => webhookRows(siteKey, 'reply', [replyUrl], 'conversation.reply', data)));

/** One delivery through a channel account (`target` is the account's id: its relay or token is read at send time). */
export const enqueueDelivery = (tx: Queryable, siteKey: string, kind: 'mail' | 'graph', target: string, payload: unknown): Promise<void> => insert(tx, siteKey, [{ kind, target, payload }]);
