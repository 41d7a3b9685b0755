import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX, LIMITS } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { readJsonBody } from '../lib/read-json-body.js';
import { openSse } from '../lib/sse.js';
import { AGENT_COOKIE, agentById, login, signSession, touchAgent, verifySession, type Agent } from '../agents.js';
import { eventsAfter, getConversation, type ConversationRow } from '../chat/chat-store.js';
import { isoUtc } from '../store/iso-utc.js';
import { isProduction } from '../server-env.js';

const cookie = (req: FastifyRequest, name: string) =>
  (req.headers.cookie ?? '')
    .split(/;\s*/)
    .map((p) => p.split('='))
    .find(([k]) => k === name)?.[1];

/** The signed-in agent, or `401 unauthorized`. Every console API and page needs one. */
export const requireAgent = async (deps: Deps, req: FastifyRequest): Promise<Agent> => {
  const id = verifySession(deps.tokenSecret, cookie(req, AGENT_COOKIE));
  const agent = id ? await agentById(deps.store, id) : undefined;
  if (!agent) throw new ApiError('unauthorized', 'Sign in to the console first.');
  return agent;
};

/** An agent request's JSON object body (16 KB at most). */
export const json = (req: FastifyRequest): Record<string, unknown> => {
  const b = readJsonBody(req.body, undefined, 16 * 1024);
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw new ApiError('invalid_body', 'Expected a JSON object.', '');
  return b as Record<string, unknown>;
};
const str = (v: unknown, path: string, max: number = LIMITS.chatMessageChars) => {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new ApiError('invalid_body', `${path}: must be a string of 1 to ${max} characters`, path);
  return v;
};

/**
 * The agents' API behind the console (same origin, cookie session,
 * SameSite=Strict). Not part of the browser protocol: docs/console.md.
 */
export function registerAgent(app: FastifyInstance, deps: Deps): void {
  const P = `${API_PREFIX}/agent`;
  const conversation = async (req: FastifyRequest): Promise<ConversationRow> => {
    const c = await getConversation(deps.store, (req.params as { id: string }).id);
    if (!c) throw new ApiError('not_found', 'No such conversation.');
    return c;
  };
  // Secure behind HTTPS (X-Forwarded-Proto counts: trustProxy) and always in production.
  const setCookie = (reply: FastifyReply, value: string, maxAge: number) =>
    reply.header('set-cookie', `${AGENT_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}${reply.request.protocol === 'https' || isProduction() ? '; Secure' : ''}`);

  app.post(`${P}/login`, async (req, reply) => {
    const wait = deps.limiter.take(`login|${req.ip}`);
    if (wait) throw new ApiError('rate_limited', 'Too many attempts.', undefined, { 'retry-after': String(wait) });
    const b = json(req);
    const agent = await login(deps.store, str(b.email, '/email', 320), str(b.password, '/password', 200));
    if (!agent) throw new ApiError('unauthorized', 'Wrong email or password.');
    setCookie(reply, signSession(deps.tokenSecret, agent.id), 12 * 3600);
    return reply.send({ agent });
  });

  app.post(`${P}/logout`, async (_req, reply) => setCookie(reply, '', 0).code(204).send());

  app.get(`${P}/me`, async (req, reply) => reply.send({ agent: await requireAgent(deps, req) }));

  app.get(`${P}/conversations`, async (req, reply) => {
    await requireAgent(deps, req);
    const status = (req.query as { status?: string }).status;
    const { rows } = await deps.store.query(
      `SELECT c.id, c.site_key AS "siteKey", c.status, c.channel, c.anonymous_id AS "anonymousId", c.user_id AS "userId", c.visitor_email AS "visitorEmail",
              c.session_id AS "sessionId", c.page, c.last_seq AS "lastSeq",
              ${isoUtc('c.updated_at')} AS "updatedAt",
              (SELECT body FROM chat_events e WHERE e.conversation_id = c.id AND e.kind = 'message' ORDER BY seq DESC LIMIT 1) AS "lastMessage"
         FROM conversations c
        WHERE ($1::text IS NULL OR c.status = $1)
        ORDER BY c.updated_at DESC LIMIT 200`,
      [status ?? null],
    );
    return reply.send({ conversations: rows });
  });

  app.get(`${P}/conversations/:id`, async (req, reply) => {
    await requireAgent(deps, req);
    const c = await conversation(req);
    return reply.send({ conversation: c, events: await eventsAfter(deps.store, c.id, 0, 5000) });
  });

  app.post(`${P}/conversations/:id/messages`, async (req, reply) => {
    const agent = await requireAgent(deps, req);
    const c = await conversation(req);
    const b = json(req);
    const r = await deps.chat.agentMessage(c, { kind: 'agent', name: agent.name }, str(b.clientId, '/clientId', 64), str(b.body, '/body'));
    return reply.send({ events: r.events });
  });

  app.post(`${P}/conversations/:id/typing`, async (req, reply) => {
    const agent = await requireAgent(deps, req);
    const c = await conversation(req);
    await deps.chat.typing(c, { kind: 'agent', name: agent.name }, json(req).typing === true);
    return reply.code(204).send();
  });

  app.post(`${P}/conversations/:id/read`, async (req, reply) => {
    const agent = await requireAgent(deps, req);
    const c = await conversation(req);
    const seq = json(req).seq;
    if (!Number.isInteger(seq)) throw new ApiError('invalid_body', '/seq: must be an integer', '/seq');
    return reply.send({ events: (await deps.chat.read(c, { kind: 'agent', name: agent.name }, seq as number)).events });
  });

  app.post(`${P}/conversations/:id/close`, async (req, reply) => {
    const agent = await requireAgent(deps, req);
    const c = await conversation(req);
    return reply.send({ events: (await deps.chat.close(c, { kind: 'agent', name: agent.name })).events });
  });

  app.get(`${P}/stream`, async (req, reply) => {
    const agent = await requireAgent(deps, req);
    await touchAgent(deps.store, agent.id);
    const presence = setInterval(() => void touchAgent(deps.store, agent.id).catch(() => {}), 20_000);
    let remove = () => {};
    const write = openSse(req, reply, () => {
      clearInterval(presence);
      remove();
    });
    write(`event: ready\ndata: {}\n\n`);
    // Agents see every site of this server: the reference server has one team.
    const subs = await deps.store.query<{ key: string }>('SELECT key FROM sites');
    const removers = subs.rows.map((s) => deps.hub.subscribe({ siteKey: s.key, agent: true, cursor: new Map(), write }, []));
    remove = () => removers.forEach((r) => r());
  });
}
