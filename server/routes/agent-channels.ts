import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { isoNow } from '../lib/clock.js';
import { managerOnly } from '../lib/manager-only.js';
import { requireAgent } from '../lib/require-agent.js';
import { AGENT_BODY_LIMIT } from './agent.js';
import { accountById, accountsOf, publicAccount, removeAccount, saveAccount, CHANNEL_KINDS, type ChannelSecrets, type ChannelSettings } from '../channels/channel-accounts.js';
import type { ChannelOptions } from '../channels/channel-options.js';
import { mailTransport, sendMail } from '../channels/mail-sender.js';
import { DEFAULT_GRAPH_URL, sendGraph } from '../channels/graph-sender.js';
import { linkIdentity } from '../channels/link-identity.js';

const bad = (path: string, message: string) => new ApiError('invalid_body', `${path}: ${message}`, path);
const text = (v: unknown, path: string, max: number, re?: RegExp): string => {
  if (typeof v !== 'string' || !v.length || v.length > max || (re && !re.test(v))) throw bad(path, `must be a string of 1 to ${max} characters${re ? ' in the documented form' : ''}`);
  return v;
};
const Key = Type.String({ minLength: 1, maxLength: 64 });
const SiteParams = Type.Object({ siteKey: Key });
const AccountParams = Type.Object({ siteKey: Key, id: Key });
const IdentityBody = Type.Object({ anonymousId: Type.String({ minLength: 1, maxLength: 400, pattern: '^(email|messenger|instagram|whatsapp):.' }), userId: Type.String({ minLength: 1, maxLength: 200 }) });
const SECRET_NAMES = ['appSecret', 'accessToken', 'verifyToken', 'inboundPassword'] as const;
const Secret = Type.String({ maxLength: 2000 });
/** `POST …/channels`: an account's kind, address and write-only secrets (docs/channels.md). Empty strings mean "not set". */
const AccountBody = Type.Object(
  {
    kind: Type.Union(CHANNEL_KINDS.map((k) => Type.Literal(k))),
    address: Type.String({ minLength: 1, maxLength: 320 }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    secrets: Type.Optional(Type.Object(Object.fromEntries(SECRET_NAMES.map((k) => [k, Type.Optional(Secret)])) as Record<(typeof SECRET_NAMES)[number], Type.TOptional<typeof Secret>>, { additionalProperties: false })),
    settings: Type.Optional(
      Type.Object(
        {
          fromName: Type.Optional(Type.String({ maxLength: 200 })),
          graphVersion: Type.Optional(Type.String({ pattern: '^(v\\d{1,3}\\.\\d{1,2})?$' })),
          template: Type.Optional(Type.Object({ name: Type.String({ minLength: 1, maxLength: 512, pattern: '^[a-z0-9_]+$' }), language: Type.String({ pattern: '^[a-z]{2,3}(_[A-Z]{2})?$' }) }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
const ADDRESS = { email: /^[^\s@]{1,200}@[^\s@]{1,255}$/, messenger: /^\d{1,32}$/, instagram: /^\d{1,32}$/, whatsapp: /^\d{1,32}$/ } as const;

/**
 * Channel setup for the console (docs/channels.md): owners and admins add a
 * support address or a Meta account, set its tokens — write-only: no answer
 * ever contains them — and send a test through it. Linking a channel identity
 * to a customer by hand is audited (identity_links).
 */
export function registerAgentChannels(fastify: FastifyInstance, deps: Deps, channels: ChannelOptions): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent/sites/:siteKey`;
  const managers = { onRequest: managerOnly(deps, 'Only owners and admins set up channels.'), bodyLimit: AGENT_BODY_LIMIT };
  const manager = async (req: FastifyRequest, params: { siteKey: string }) => {
    const agent = await requireAgent(deps, req);
    const site = await deps.sites.get(params.siteKey);
    if (!site) throw new ApiError('not_found', 'No such site.');
    return { agent, site };
  };
  const own = async (req: FastifyRequest, params: { siteKey: string; id: string }) => {
    const { site, agent } = await manager(req, params);
    const a = await accountById(deps.store, params.id);
    if (!a || a.siteKey !== site.key) throw new ApiError('not_found', 'No such channel account on this site.');
    return { site, agent, account: a };
  };

  app.get(`${P}/channels`, { ...managers, schema: { params: SiteParams } }, async (req, reply) => {
    const { site } = await manager(req, req.params);
    const accounts = (await accountsOf(deps.store, site.key)).map(publicAccount);
    return reply.send({ accounts, smtp: { listening: !!channels.smtp, relay: !!channels.relay } });
  });

  // The schema checks the shape; the address's form depends on the kind, so that one check follows.
  app.post(`${P}/channels`, { ...managers, schema: { params: SiteParams, body: AccountBody } }, async (req, reply) => {
    const { site } = await manager(req, req.params);
    const b = req.body;
    const kind = b.kind;
    const address = text(b.address, '/address', 320, ADDRESS[kind]);
    const secrets: ChannelSecrets = {};
    for (const k of SECRET_NAMES) {
      const v = b.secrets?.[k];
      if (v) secrets[k] = v;
    }
    const st = b.settings ?? {};
    const settings: ChannelSettings = {};
    if (st.fromName) settings.fromName = st.fromName;
    if (st.graphVersion) settings.graphVersion = st.graphVersion;
    if (st.template) settings.template = st.template;
    const name = b.name || undefined;
    const saved = await saveAccount(deps.store, { siteKey: site.key, kind, address, ...(name !== undefined ? { name } : {}), secrets, settings }, isoNow(deps.now));
    if (!saved) throw new ApiError('forbidden', 'This address or account id belongs to another site.');
    return reply.send({ account: publicAccount(saved) });
  });

  app.delete(`${P}/channels/:id`, { ...managers, schema: { params: AccountParams } }, async (req, reply) => {
    const { site, account } = await own(req, req.params);
    await removeAccount(deps.store, site.key, account.id);
    return reply.code(204).send();
  });

  // "Send test": one message through the account now, the platform's answer shown as it is.
  app.post(`${P}/channels/:id/test`, { ...managers, schema: { params: AccountParams, body: Type.Object({ to: Type.String() }) } }, async (req, reply) => {
    const { account: a } = await own(req, req.params);
    const to = text(req.body.to, '/to', 320, a.kind === 'email' ? ADDRESS.email : /^[\w.+-]{1,64}$/);
    const body = 'A test from Touchpoint: this channel can send.';
    let r;
    if (a.kind === 'email') {
      if (!channels.relay) throw new ApiError('forbidden', 'No SMTP relay is configured (TOUCHPOINT_SMTP_RELAY).');
      const transport = mailTransport(channels.relay);
      r = await sendMail(transport, a, { accountId: a.id, conversationId: 'test', seq: 0, to, subject: 'Touchpoint test', text: body, messageId: `<tp.test.${Date.now()}@${a.address.split('@')[1]}>`, references: [] });
      transport.close();
    } else {
      r = await sendGraph(channels.graphUrl ?? DEFAULT_GRAPH_URL, a, { accountId: a.id, conversationId: 'test', seq: 0, localId: 'test', to, text: body, messagingType: 'RESPONSE' });
    }
    return reply.send({ ok: r.status === 200, ...(r.error ? { error: r.error } : {}) });
  });

  // One customer: a channel identity (email:…, whatsapp:…, messenger:…) joined to a user's profile by an agent, audited.
  app.post(`${P}/identities`, { ...managers, schema: { params: SiteParams, body: IdentityBody } }, async (req, reply) => {
    const { site, agent } = await manager(req, req.params);
    const { anonymousId, userId } = req.body;
    await linkIdentity(deps.store, site.key, anonymousId, userId, 'by hand', agent.id, isoNow(deps.now));
    return reply.send({ linked: { anonymousId, userId, by: agent.email } });
  });
}
