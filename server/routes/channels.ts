import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API_PREFIX, InboundMessage, BatchQuery, ChannelParams } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { readJsonBody } from '../lib/read-json-body.js';
import { validate } from '../lib/validate.js';
import { requireSite } from '../lib/require-site.js';
import { conversationsOf, getConversation, hasEventFrom, toConversation } from '../chat/chat-store.js';
import { channelVisitor } from '../chat/channel-visitor.js';
import { integrationsOf } from '../integrations/integrations-config.js';
import { verifySignature } from '../integrations/webhook-signature.js';

const BODY_LIMIT = 32 * 1024;

/**
 * Inbound channels (docs/protocol.md §13): a bridge for email or a messaging
 * app posts a customer's message; it lands in the same conversation model as
 * web chat, marked with its channel, and appears in the inbox. Agents' replies
 * go back to the channel's `replyUrl` as signed `conversation.reply` webhooks.
 */
export function registerChannels(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // No body schema: the body is authenticated as the bytes it is, before anything parses it.
  app.post(`${API_PREFIX}/channels/:channel/messages`, { bodyLimit: BODY_LIMIT, schema: { params: ChannelParams, querystring: BatchQuery } }, async (req, reply) => {
    const { channel } = req.params;
    const site = await requireSite(deps.sites, req, req.query.site ?? '', '?site');
    // Own keys only: a channel named `constructor` or `__proto__` must not find Object's.
    const channels = integrationsOf(site).channels;
    const config = /^[a-z][a-z0-9_-]{0,31}$/.test(channel) && channel !== 'web' && Object.hasOwn(channels, channel) ? channels[channel] : undefined;
    if (!config) throw new ApiError('unknown_channel', `The site has no inbound channel "${channel}".`);
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    // Authenticate before reading: an unsigned body is never parsed, let alone stored.
    if (!verifySignature(config.secret, req.headers['touchpoint-signature'] as string | undefined, raw)) {
      throw new ApiError('invalid_signature', 'Touchpoint-Signature is missing, wrong, or older than 5 minutes.');
    }
    const m = validate(InboundMessage, readJsonBody(req.body, undefined, BODY_LIMIT));
    const v = channelVisitor(site.key, channel, m.externalId);
    // The customer's latest conversation on this channel continues (a closed one reopens); else a new one.
    const [latest] = await conversationsOf(deps.store, v, 1);
    // A message the bridge posts again (a retry) is stored once: its messageId is the idempotency key,
    // and the first message of a conversation was stored under `{messageId}:first`.
    const seen = latest && (await hasEventFrom(deps.store, latest.id, [m.messageId, `${m.messageId}:first`]));
    if (latest && seen) return reply.send({ conversation: toConversation(latest), events: [] });
    const r = latest
      ? await deps.chat.visitorMessage(latest, m.messageId, m.body)
      : await deps.chat.start(v, { clientId: m.messageId, body: m.body, channel, ...(m.subject ? { page: `${channel}: ${m.subject}` } : {}) });
    if (m.from?.email && !latest) await deps.chat.email(r.conversation, m.from.email);
    const now = (await getConversation(deps.store, r.conversation.id))!;
    return reply.send({ conversation: toConversation(now), events: r.events });
  });
}
