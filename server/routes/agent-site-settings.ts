import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { managerOnly } from '../lib/manager-only.js';
import { requireAgent, signedIn } from '../lib/require-agent.js';
import { canManage, inviteAgent, listAgents, removeAgent, ROLES, setRole, agentById } from '../agents.js';
import { SITE_KEY, type Site } from '../sites.js';
import { checkAnswers, checkSettings, configChange, settingsOf, FaqEntry } from '../site-settings.js';
import { exportSiteFile, parseSiteFile } from '../site-file.js';
import { botReply, loadFaq, siteFaq } from '../chat/bot.js';

const SiteParams = Type.Object({ siteKey: Type.String({ pattern: SITE_KEY.source }) });
const AgentParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });
const NewSite = Type.Object(
  { key: Type.Optional(Type.String({ pattern: SITE_KEY.source })), name: Type.String({ minLength: 1, maxLength: 200 }), allowedOrigins: Type.Array(Type.String({ maxLength: 300 }), { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);
const BotTest = Type.Object({ question: Type.String({ minLength: 1, maxLength: 2000 }), answers: Type.Optional(Type.Array(FaqEntry, { maxItems: 200 })) }, { additionalProperties: false });
const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Invite = Type.Object({ email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }), name: Type.String({ minLength: 1, maxLength: 200 }), role: Role }, { additionalProperties: false });
const RoleBody = Type.Object({ role: Role }, { additionalProperties: false });

/** Settings documents carry surveys and the bot's answers: larger than the agent API's other bodies. */
const SETTINGS_BODY_LIMIT = 512 * 1024;

/** A key from a site's name, when the owner gives none: `Acme Shop` → `acme-shop-3f9c`. */
const keyFrom = (name: string) => `${name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'site'}-${Math.random().toString(36).slice(2, 6)}`;

/**
 * The console's settings, stored in the database and effective at once on
 * every instance (Sites NOTIFY): read by any agent, written by owners and
 * admins. `PUT …/site-settings` takes the sections it changes (server/site-settings.ts);
 * the site file is the same document (`GET …/export`, `POST /v1/agent/sites/import`).
 * Agents: invite (a one-time password), role, remove — owners and admins.
 */
export function registerAgentSiteSettings(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent/sites/:siteKey`;
  const managers = { onRequest: managerOnly(deps), bodyLimit: SETTINGS_BODY_LIMIT };
  const siteOf = async (key: string): Promise<Site> => {
    const site = await deps.sites.get(key);
    if (!site) throw new ApiError('not_found', 'No such site.');
    return site;
  };

  app.get(`${P}/site-settings`, { onRequest: signedIn(deps), schema: { params: SiteParams } }, async (req, reply) => {
    const agent = await requireAgent(deps, req);
    return reply.header('cache-control', 'no-store').send({ canManage: canManage(agent.role), settings: settingsOf(await siteOf(req.params.siteKey)) });
  });

  // The schema is checked by checkSettings (after the route's own parse), which also knows zones, currencies, origins and hours.
  app.put(`${P}/site-settings`, { ...managers, schema: { params: SiteParams, body: Type.Unknown() } }, async (req, reply) => {
    const s = checkSettings(req.body);
    const site = await siteOf(req.params.siteKey);
    const saved = await deps.sites.update(site.key, { name: s.name, allowedOrigins: s.allowedOrigins, config: configChange(site, s) });
    if (!saved) throw new ApiError('not_found', 'No such site.');
    return reply.send({ canManage: true, settings: settingsOf(saved) });
  });

  app.post(`${API_PREFIX}/agent/sites`, { ...managers, schema: { body: NewSite } }, async (req, reply) => {
    const key = req.body.key ?? keyFrom(req.body.name);
    checkSettings({ name: req.body.name, allowedOrigins: req.body.allowedOrigins });
    try {
      const site = await deps.sites.create(key, req.body.name, req.body.allowedOrigins);
      return reply.code(201).send({ canManage: true, settings: settingsOf(site) });
    } catch (e) {
      throw new ApiError('invalid_body', (e as Error).message, '/key');
    }
  });

  app.get(`${P}/export`, { ...managers, schema: { params: SiteParams } }, async (req, reply) => {
    const site = await siteOf(req.params.siteKey);
    return reply.header('cache-control', 'no-store').header('content-disposition', `attachment; filename="touchpoint-${site.key}.json"`).send(exportSiteFile([site]));
  });

  app.post(`${API_PREFIX}/agent/sites/import`, { ...managers, schema: { body: Type.Unknown() } }, async (req, reply) => {
    // Every entry is checked before any is written: a mistake names its path and nothing changes.
    const entries = parseSiteFile(req.body);
    for (const e of entries) await deps.sites.configure(e.key, e.name, e.allowedOrigins, e.config);
    return reply.send({ imported: entries.map((e) => e.key) });
  });

  // The test box: which answer a question gets — with the answers being edited (unsaved) or the saved ones.
  app.post(`${P}/bot/test`, { onRequest: signedIn(deps), bodyLimit: SETTINGS_BODY_LIMIT, schema: { params: SiteParams, body: BotTest } }, async (req, reply) => {
    const site = await siteOf(req.params.siteKey);
    checkAnswers(req.body.answers, '/answers');
    const chat = { ...(site.config.chat as Parameters<typeof siteFaq>[1]), ...(req.body.answers ? { answers: req.body.answers } : {}) };
    const faq = siteFaq(loadFaq(), chat);
    const r = botReply(faq, req.body.question);
    const index = r.kind === 'answer' ? faq.answers.findIndex((a) => a.answer === r.text) : -1;
    return reply.send(r.kind === 'handoff' ? { kind: 'handoff' } : { kind: index >= 0 ? 'answer' : 'fallback', text: r.text, ...(index >= 0 ? { entry: index } : {}) });
  });

  app.get(`${API_PREFIX}/agent/agents`, { onRequest: managerOnly(deps) }, async (_req, reply) => reply.header('cache-control', 'no-store').send({ agents: await listAgents(deps.store) }));

  app.post(`${API_PREFIX}/agent/agents`, { ...managers, schema: { body: Invite } }, async (req, reply) => {
    const me = await requireAgent(deps, req);
    if (req.body.role === 'owner' && me.role !== 'owner') throw new ApiError('forbidden', 'Only an owner makes another owner.');
    try {
      const { agent, password } = await inviteAgent(deps.store, req.body.email, req.body.name, req.body.role);
      return reply.code(201).header('cache-control', 'no-store').send({ agent, password });
    } catch (e) {
      throw new ApiError('invalid_body', (e as Error).message, '/email');
    }
  });

  app.put(`${API_PREFIX}/agent/agents/:id/role`, { ...managers, schema: { params: AgentParams, body: RoleBody } }, async (req, reply) => {
    const me = await requireAgent(deps, req);
    const target = await agentById(deps.store, req.params.id);
    if (!target) throw new ApiError('not_found', 'No such agent.');
    if ((req.body.role === 'owner' || target.role === 'owner') && me.role !== 'owner') throw new ApiError('forbidden', 'Only an owner changes an owner\'s role or makes an owner.');
    try {
      await setRole(deps.store, target.id, req.body.role);
    } catch (e) {
      throw new ApiError('invalid_body', (e as Error).message, '/role');
    }
    return reply.send({ agent: await agentById(deps.store, target.id) });
  });

  app.delete(`${API_PREFIX}/agent/agents/:id`, { onRequest: managerOnly(deps), schema: { params: AgentParams } }, async (req, reply) => {
    const me = await requireAgent(deps, req);
    const target = await agentById(deps.store, req.params.id);
    if (!target) throw new ApiError('not_found', 'No such agent.');
    if (target.role === 'owner' && me.role !== 'owner') throw new ApiError('forbidden', 'Only an owner removes an owner.');
    try {
      await removeAgent(deps.store, target.email);
    } catch (e) {
      throw new ApiError('invalid_body', (e as Error).message, '{id}');
    }
    return reply.code(204).send();
  });
}
