import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX, ChatEvent, LIMITS } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { readJsonBody } from '../lib/read-json-body.js';
import { requireAgent, signedIn } from '../lib/require-agent.js';
import { openSse } from '../lib/sse.js';
import { AGENT_COOKIE, login, signSession } from '../agents.js';
import { ConversationRow, eventsAfter, getConversation } from '../chat/chat-store.js';
import { ALL_SITES } from '../chat/chat-hub.js';
import { ConversationNote, notesOf } from '../repositories/conversation-notes.js';
import { registerAgentInbox } from './agent-inbox.js';
import { isProduction } from '../server-env.js';

/** An agent request's JSON object body (16 KB at most), for routes that do not declare a body schema yet. */
export const json = (req: { body: unknown }): Record<string, unknown> => {
  const b = readJsonBody(req.body, undefined, AGENT_BODY_LIMIT);
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw new ApiError('invalid_body', 'Expected a JSON object.', '');
  return b as Record<string, unknown>;
};

/** Bodies of the agent API: a message of `chatMessageChars` and its JSON escapes fit well. */
export const AGENT_BODY_LIMIT = 16 * 1024;

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Agent = Type.Object({ id: Type.String(), email: Type.String(), name: Type.String(), role: Type.String() });
const ConversationId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Events = Type.Object({ events: Type.Array(ChatEvent) });

/**
 * The agents' API behind the console (same origin, cookie session,
 * SameSite=Strict). Not part of the browser protocol: docs/console.md.
 */
export function registerAgent(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent`;
  const agentOnly = { onRequest: signedIn(deps), bodyLimit: AGENT_BODY_LIMIT };
  const conversation = async (id: string): Promise<ConversationRow> => {
    const c = await getConversation(deps.store, id);
    if (!c) throw new ApiError('not_found', 'No such conversation.');
    return c;
  };
  // Secure behind HTTPS (X-Forwarded-Proto counts: trustProxy) and always in production.
  const setCookie = (reply: FastifyReply, value: string, maxAge: number) =>
    reply.setCookie(AGENT_COOKIE, value, { httpOnly: true, sameSite: 'strict', path: '/', maxAge, secure: reply.request.protocol === 'https' || isProduction() });

  app.post(
    `${P}/login`,
    { bodyLimit: AGENT_BODY_LIMIT, schema: { body: Type.Object({ email: Text(320), password: Text(200) }), response: { 200: Type.Object({ agent: Agent }) } } },
    async (req, reply) => {
      const wait = deps.limiter.take(`login|${req.ip}`);
      if (wait) throw new ApiError('rate_limited', 'Too many attempts.', undefined, { 'retry-after': String(wait) });
      const agent = await login(deps.store, req.body.email, req.body.password);
      if (!agent) throw new ApiError('unauthorized', 'Wrong email or password.');
      setCookie(reply, signSession(deps.tokenSecret, agent.id), 12 * 3600);
      return reply.send({ agent });
    },
  );

  app.post(`${P}/logout`, async (_req, reply) => setCookie(reply, '', 0).code(204).send());

  app.get(`${P}/me`, { ...agentOnly, schema: { response: { 200: Type.Object({ agent: Agent }) } } }, async (req, reply) => reply.send({ agent: await requireAgent(deps, req) }));

  app.get(
    `${P}/conversations/:id`,
    { ...agentOnly, schema: { params: ConversationId, response: { 200: Type.Object({ conversation: ConversationRow, events: Type.Array(ChatEvent), notes: Type.Array(ConversationNote) }) } } },
    async (req, reply) => {
      const c = await conversation(req.params.id);
      return reply.send({ conversation: c, events: await eventsAfter(deps.store, c.id, 0, 5000), notes: await notesOf(deps.store, c.id) });
    },
  );

  app.post(
    `${P}/conversations/:id/messages`,
    { ...agentOnly, schema: { params: ConversationId, body: Type.Object({ clientId: Text(64), body: Text(LIMITS.chatMessageChars) }), response: { 200: Events } } },
    async (req, reply) => {
      const agent = await requireAgent(deps, req);
      const c = await conversation(req.params.id);
      const r = await deps.chat.agentMessage(c, { kind: 'agent', name: agent.name, id: agent.id }, req.body.clientId, req.body.body);
      return reply.send({ events: r.events });
    },
  );

  app.post(
    `${P}/conversations/:id/typing`,
    { ...agentOnly, schema: { params: ConversationId, body: Type.Object({ typing: Type.Optional(Type.Unknown()) }) } },
    async (req, reply) => {
      const agent = await requireAgent(deps, req);
      const c = await conversation(req.params.id);
      await deps.chat.typing(c, { kind: 'agent', name: agent.name }, req.body.typing === true);
      return reply.code(204).send();
    },
  );

  app.post(
    `${P}/conversations/:id/read`,
    { ...agentOnly, schema: { params: ConversationId, body: Type.Object({ seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) }), response: { 200: Events } } },
    async (req, reply) => {
      const agent = await requireAgent(deps, req);
      const c = await conversation(req.params.id);
      return reply.send({ events: (await deps.chat.read(c, { kind: 'agent', name: agent.name }, req.body.seq)).events });
    },
  );

  app.post(`${P}/conversations/:id/close`, { ...agentOnly, schema: { params: ConversationId, response: { 200: Events } } }, async (req, reply) => {
    const agent = await requireAgent(deps, req);
    const c = await conversation(req.params.id);
    return reply.send({ events: (await deps.chat.close(c, { kind: 'agent', name: agent.name })).events });
  });

  registerAgentInbox(fastify, deps, AGENT_BODY_LIMIT);

  app.get(`${P}/stream`, agentOnly, async (req, reply) => {
    const agent = await requireAgent(deps, req);
    // Each console stream is a presence connection (server/chat/presence.ts): its id in `ready`, so the tab can report its visibility.
    const connection = await deps.presence.connect(agent.id, () => reply.raw.destroy());
    let remove = () => {};
    const write = openSse(req, reply, () => {
      remove();
      void connection.end().catch(() => {});
    });
    write(`event: ready\ndata: ${JSON.stringify({ connection: connection.id })}\n\n`);
    // Agents see every site of this server (the reference server has one team), a site added while the console is open too.
    const removers = [deps.hub.subscribe({ siteKey: ALL_SITES, agent: true, cursor: new Map(), write }, [])];
    const unwatch = deps.presence.watchAgents((agents) => write(`event: presence\ndata: ${JSON.stringify({ agents })}\n\n`));
    remove = () => {
      removers.forEach((r) => r());
      unwatch();
    };
  });
}
