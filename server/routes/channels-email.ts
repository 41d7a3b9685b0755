import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { accountById } from '../channels/channel-accounts.js';
import { cleanJson } from '../channels/clean-text.js';
import { fromPostmark } from '../channels/inbound-parse.js';
import { receiveMail } from '../channels/inbound-mail.js';
import { MAX_MAIL_BYTES } from '../channels/smtp-listener.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Basic auth's password against the account's, in constant time (hashes of equal length). */
const passwordOk = (want: string | undefined, header: string | undefined): boolean => {
  if (!want || !header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i >= 0 && timingSafeEqual(digest(want), digest(decoded.slice(i + 1)));
};

/**
 * E-mail by webhook (docs/channels.md): a mail service's inbound parse
 * (Postmark's JSON format) posts each received mail here, authenticated with
 * basic auth in the webhook URL (https://inbound:<password>@…). Answered 200
 * once stored, or once known not to be for us (so the service stops retrying);
 * a wrong password 401 and nothing read.
 */
export function registerChannelsEmail(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // Any account text: one not in the documented form is `unknown_channel`, like one that does not exist (the mail service stops retrying).
  // No body schema: nothing is parsed before the password is checked.
  const schema = { params: Type.Object({ account: Type.String() }) };
  app.post(`${API_PREFIX}/channels/email/:account/postmark`, { bodyLimit: MAX_MAIL_BYTES * 2, schema }, async (req, reply) => {
    const id = req.params.account;
    const account = /^[\w-]{1,64}$/.test(id) ? await accountById(deps.store, id) : undefined;
    if (!account || account.kind !== 'email') throw new ApiError('unknown_channel', 'No e-mail channel account has this id.');
    if (!passwordOk(account.secrets.inboundPassword, req.headers.authorization)) throw new ApiError('invalid_signature', 'The inbound webhook\'s basic-auth password is missing or wrong.');
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let body: unknown;
    try {
      body = cleanJson(JSON.parse(raw.toString('utf8')));
    } catch {
      throw new ApiError('invalid_json', 'The body is not valid JSON.');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ApiError('invalid_body', 'Expected Postmark\'s inbound JSON object.', '');
    const r = await receiveMail(deps, fromPostmark(body as Record<string, unknown>, raw), account);
    return reply.send(r.stored ? { stored: true, conversationId: r.conversationId, threadedBy: r.threadedBy } : { stored: false, reason: r.reason });
  });
}
