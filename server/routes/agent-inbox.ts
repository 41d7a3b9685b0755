import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX, CONVERSATION_STATUSES, LIMITS, type SurveyDefinition } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { managerOnly } from '../lib/manager-only.js';
import { requireAgent, signedIn } from '../lib/require-agent.js';
import { isoNow } from '../lib/clock.js';
import { getConversation, type ConversationRow } from '../chat/chat-store.js';
import { InboxService } from '../chat/inbox-service.js';
import { INBOX_STATES, INBOX_VIEWS } from '../chat/inbox-state.js';
import { onlineAgents } from '../chat/online-agents.js';
import { ConversationSummary, conversationSummaries, ViewCounts } from '../repositories/conversation-summaries.js';
import { ConversationNote } from '../repositories/conversation-notes.js';
import { CannedReply, cannedReplies, deleteCannedReply, saveCannedReply } from '../repositories/canned-replies.js';
import { deleteTeam, listTeams, saveTeam, Team, teamIdsOf } from '../repositories/teams.js';
import { InboxSettings, inboxSettings, saveInboxSettings } from '../repositories/inbox-settings.js';
import { InboxReport, inboxReport } from '../repositories/inbox-report.js';
import { listAgents } from '../agents.js';
import { siteDateRange } from '../reports/site-days.js';
import { siteZone } from '../lib/site-time.js';

/** Ids in a path or a body: what our ids are made of (UUIDs, site keys), nothing a query or an object key could misread. */
const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$' });
const ConversationParams = Type.Object({ id: Id });
const SiteParams = Type.Object({ siteKey: Id });
const SiteItemParams = Type.Object({ siteKey: Id, itemId: Id });
/** A label: a word or two an agent types; no control characters, no commas (the console splits on them). */
const Label = Type.String({ minLength: 1, maxLength: 40, pattern: '^[^\\u0000-\\u001f\\u007f,]+$' });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const ListQuery = Type.Object({
  view: Type.Optional(Type.Enum(INBOX_VIEWS)),
  state: Type.Optional(Type.Enum(INBOX_STATES)),
  status: Type.Optional(Type.Enum(CONVERSATION_STATUSES)),
  site: Type.Optional(Id),
  team: Type.Optional(Id),
  label: Type.Optional(Label),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Message text (full-text, web-search syntax) or the customer’s name, e-mail or user id.' })),
});
const Ok = Type.Object({ ok: Type.Literal(true) });
const AgentRow = Type.Object({ id: Type.String(), name: Type.String(), email: Type.String(), online: Type.Boolean() });

/** How often snoozes past their time are woken (and the consoles told); lists also wake them when read. */
const WAKE_EVERY_MS = 15_000;

/**
 * The inbox workflow of the agent API (docs/console.md#the-inbox-workflow):
 * views with counts and search, states and snoozes, assignment, labels,
 * private notes, canned replies, teams, the site's assignment rule and SLA,
 * and the report per agent and team.
 */
export function registerAgentInbox(fastify: FastifyInstance, deps: Deps, bodyLimit: number): InboxService {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent`;
  const inbox = new InboxService(deps.store, deps.hub, deps.chat, deps.now);
  const agentOnly = { onRequest: signedIn(deps), bodyLimit };
  const managers = { onRequest: managerOnly(deps), bodyLimit };
  const conversation = async (id: string): Promise<ConversationRow> => {
    const c = await getConversation(deps.store, id);
    if (!c) throw new ApiError('not_found', 'No such conversation.');
    return c;
  };
  const site = async (key: string) => {
    if (!(await deps.sites.get(key))) throw new ApiError('not_found', 'No such site.');
    return key;
  };

  const timer = setInterval(() => void inbox.wake().catch((err) => deps.log.warn({ err }, 'waking snoozed conversations failed')), WAKE_EVERY_MS);
  timer.unref();
  fastify.addHook('onClose', async () => clearInterval(timer));

  app.get(
    `${P}/conversations`,
    { ...agentOnly, schema: { querystring: ListQuery, response: { 200: Type.Object({ conversations: Type.Array(ConversationSummary), counts: ViewCounts }) } } },
    async (req, reply) => {
      const agent = await requireAgent(deps, req);
      await inbox.wake();
      const q = req.query;
      const teams = await teamIdsOf(deps.store, q.site || undefined, agent.id);
      const r = await conversationSummaries(deps.store, agent.id, isoNow(deps.now), teams, { view: q.view, state: q.state, status: q.status, siteKey: q.site, teamId: q.team, label: q.label, q: q.q });
      return reply.send(r);
    },
  );

  app.post(
    `${P}/conversations/:id/state`,
    {
      ...agentOnly,
      schema: {
        params: ConversationParams,
        body: Type.Object({ state: Type.Union([Type.Literal('open'), Type.Literal('pending'), Type.Literal('snoozed'), Type.Literal('resolved')]), until: Type.Optional(Type.String({ format: 'date-time' })) }),
        response: { 200: Ok },
      },
    },
    async (req, reply) => {
      const agent = await requireAgent(deps, req);
      await inbox.setState(await conversation(req.params.id), { kind: 'agent', name: agent.name, id: agent.id }, req.body.state, req.body.until);
      return reply.send({ ok: true });
    },
  );

  app.post(
    `${P}/conversations/:id/assign`,
    { ...agentOnly, schema: { params: ConversationParams, body: Type.Object({ assigneeId: Type.Union([Id, Type.Null()]), teamId: Type.Union([Id, Type.Null()]) }), response: { 200: Ok } } },
    async (req, reply) => {
      await inbox.assign(await conversation(req.params.id), req.body);
      return reply.send({ ok: true });
    },
  );

  app.put(
    `${P}/conversations/:id/labels`,
    { ...agentOnly, schema: { params: ConversationParams, body: Type.Object({ labels: Type.Array(Label, { maxItems: 20 }) }), response: { 200: Type.Object({ labels: Type.Array(Type.String()) }) } } },
    async (req, reply) => reply.send({ labels: await inbox.labels(await conversation(req.params.id), req.body.labels) }),
  );

  app.post(
    `${P}/conversations/:id/notes`,
    { ...agentOnly, schema: { params: ConversationParams, body: Type.Object({ clientId: Text(64), body: Text(LIMITS.chatMessageChars) }), response: { 200: Type.Object({ note: ConversationNote }) } } },
    async (req, reply) => {
      const agent = await requireAgent(deps, req);
      return reply.send({ note: await inbox.note(await conversation(req.params.id), agent, req.body.clientId, req.body.body) });
    },
  );

  app.get(`${P}/inbox/agents`, { ...agentOnly, schema: { response: { 200: Type.Object({ agents: Type.Array(AgentRow) }) } } }, async (_req, reply) => {
    const online = new Set(await onlineAgents(deps.store, ''));
    return reply.send({ agents: (await listAgents(deps.store)).map((a) => ({ id: a.id, name: a.name, email: a.email, online: online.has(a.id) })) });
  });

  app.get(`${P}/sites/:siteKey/teams`, { ...agentOnly, schema: { params: SiteParams, response: { 200: Type.Object({ teams: Type.Array(Team) }) } } }, async (req, reply) =>
    reply.send({ teams: await listTeams(deps.store, await site(req.params.siteKey)) }),
  );
  app.post(
    `${P}/sites/:siteKey/teams`,
    { ...managers, schema: { params: SiteParams, body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }), memberIds: Type.Array(Id, { maxItems: 500 }) }), response: { 200: Type.Object({ team: Team }) } } },
    async (req, reply) => {
      const key = await site(req.params.siteKey);
      return reply.send({ team: await deps.store.transaction((tx) => saveTeam(tx, key, req.body.name.trim(), req.body.memberIds, isoNow(deps.now))) });
    },
  );
  app.delete(`${P}/sites/:siteKey/teams/:itemId`, { ...managers, schema: { params: SiteItemParams } }, async (req, reply) => {
    const key = await site(req.params.siteKey);
    if (!(await deps.store.transaction((tx) => deleteTeam(tx, key, req.params.itemId)))) throw new ApiError('not_found', 'No such team.');
    return reply.code(204).send();
  });

  app.get(`${P}/sites/:siteKey/canned-replies`, { ...agentOnly, schema: { params: SiteParams, response: { 200: Type.Object({ replies: Type.Array(CannedReply) }) } } }, async (req, reply) =>
    reply.send({ replies: await cannedReplies(deps.store, await site(req.params.siteKey)) }),
  );
  app.post(
    `${P}/sites/:siteKey/canned-replies`,
    {
      ...agentOnly,
      schema: {
        params: SiteParams,
        // A shortcut is what follows "/" in the composer: letters, digits, - and _, so it ends at the first space.
        body: Type.Object({ shortcut: Type.String({ pattern: '^[\\p{L}\\p{N}_-]{1,32}$' }), body: Text(LIMITS.chatMessageChars) }),
        response: { 200: Type.Object({ reply: CannedReply }) },
      },
    },
    async (req, reply) => reply.send({ reply: await saveCannedReply(deps.store, await site(req.params.siteKey), req.body.shortcut.toLowerCase(), req.body.body, isoNow(deps.now)) }),
  );
  app.delete(`${P}/sites/:siteKey/canned-replies/:itemId`, { ...agentOnly, schema: { params: SiteItemParams } }, async (req, reply) => {
    if (!(await deleteCannedReply(deps.store, await site(req.params.siteKey), req.params.itemId))) throw new ApiError('not_found', 'No such canned reply.');
    return reply.code(204).send();
  });

  app.get(`${P}/sites/:siteKey/inbox-settings`, { ...agentOnly, schema: { params: SiteParams, response: { 200: InboxSettings } } }, async (req, reply) =>
    reply.send(await inboxSettings(deps.store, await site(req.params.siteKey))),
  );
  app.put(`${P}/sites/:siteKey/inbox-settings`, { ...managers, schema: { params: SiteParams, body: InboxSettings, response: { 200: InboxSettings } } }, async (req, reply) => {
    const key = await site(req.params.siteKey);
    const b = req.body;
    if (b.teamId && !(await listTeams(deps.store, key)).some((t) => t.id === b.teamId)) throw new ApiError('invalid_body', '/teamId: no such team on this site', '/teamId');
    if (b.assignment === 'round_robin' && !b.teamId) throw new ApiError('invalid_body', '/teamId: round-robin assigns within a team', '/teamId');
    await saveInboxSettings(deps.store, key, b);
    return reply.send(await inboxSettings(deps.store, key));
  });

  app.get(
    `${P}/sites/:siteKey/inbox-report`,
    { ...agentOnly, schema: { params: SiteParams, querystring: Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }), response: { 200: InboxReport } } },
    async (req, reply) => {
      const s = await deps.sites.get(req.params.siteKey);
      if (!s) throw new ApiError('not_found', 'No such site.');
      const now = deps.now();
      // The site's local days (lib/site-time), `to` inclusive; 30 days up to today by default; a day that does not exist is a 400.
      const { from, to } = siteDateRange(req.query, now, siteZone(s));
      if (Date.parse(to) - Date.parse(from) > 367 * 86_400_000) throw new ApiError('invalid_body', '?from: from..to may span at most 366 days', '?from');
      const csat = ((s.config.surveys ?? []) as SurveyDefinition[]).flatMap((d) => d.questions.filter((q) => q.type === 'csat').map((q) => `${d.id}/${q.id}`));
      return reply.send(await inboxReport(deps.store, s.key, from, to, new Date(now).toISOString(), csat));
    },
  );

  return inbox;
}
