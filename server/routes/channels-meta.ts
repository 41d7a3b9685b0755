import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { accountById, type ChannelAccount } from '../channels/channel-accounts.js';
import { cleanJson } from '../channels/clean-text.js';
import { hubChallenge, verifyHubSignature } from '../channels/meta-webhooks.js';
import { mapMetaWebhook } from '../channels/meta-mapping.js';
import { applyMetaItems } from '../channels/meta-inbound.js';

/** Meta's webhooks are small (a batch of events); anything larger is not one. */
const BODY_LIMIT = 1024 * 1024;
/** Any account text: one not in the documented form is `unknown_channel`, like one that does not exist. */
const AccountParams = Type.Object({ account: Type.String() });
/** The subscription handshake's query (Meta's names). */
const HubQuery = Type.Object({ 'hub.mode': Type.Optional(Type.String()), 'hub.verify_token': Type.Optional(Type.String()), 'hub.challenge': Type.Optional(Type.String()) });

/**
 * Meta's webhooks for one channel account (docs/channels.md): the callback
 * URL of a Messenger Page, an Instagram account or a WhatsApp number is
 * `/v1/channels/meta/{accountId}`. GET is the subscription handshake; POST is
 * verified (X-Hub-Signature-256 over the raw body) before it is parsed, and
 * answered 200 only after everything in it is stored — Meta retries otherwise.
 */
export function registerChannelsMeta(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const account = async (id: string): Promise<ChannelAccount & { kind: 'messenger' | 'instagram' | 'whatsapp' }> => {
    const a = /^[\w-]{1,64}$/.test(id) ? await accountById(deps.store, id) : undefined;
    if (!a || a.kind === 'email') throw new ApiError('unknown_channel', 'No Messenger, Instagram or WhatsApp channel account has this id.');
    return a as ChannelAccount & { kind: 'messenger' | 'instagram' | 'whatsapp' };
  };

  app.get(`${API_PREFIX}/channels/meta/:account`, { schema: { params: AccountParams, querystring: HubQuery } }, async (req, reply) => {
    const a = await account(req.params.account);
    const challenge = hubChallenge(a.secrets.verifyToken, req.query);
    if (challenge === undefined) throw new ApiError('forbidden', 'hub.mode must be subscribe and hub.verify_token the account\'s verify token.');
    return reply.type('text/plain').send(challenge);
  });

  // No body schema: the signature is checked over the raw bytes before anything parses them.
  app.post(`${API_PREFIX}/channels/meta/:account`, { bodyLimit: BODY_LIMIT, schema: { params: AccountParams } }, async (req, reply) => {
    const a = await account(req.params.account);
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!verifyHubSignature(a.secrets.appSecret, req.headers['x-hub-signature-256'], raw)) {
      throw new ApiError('invalid_signature', 'X-Hub-Signature-256 is missing or is not the HMAC-SHA256 of the body with the app secret.');
    }
    let body: unknown;
    try {
      body = cleanJson(JSON.parse(raw.toString('utf8')));
    } catch {
      throw new ApiError('invalid_json', 'The body is not valid JSON.');
    }
    const { items, skipped } = mapMetaWebhook(body, a.kind, a.address);
    const r = await applyMetaItems(deps, a, items);
    return reply.send({ received: items.length, stored: r.stored, duplicates: r.duplicates, skipped });
  });
}
