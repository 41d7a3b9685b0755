import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API_PREFIX, ChatActionRequest, CreateConversationRequest, SendMessageRequest, ChatQuery, ConversationParams } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { visitorGuards } from '../chat/visitor-guards.js';
import { requireVisitor } from '../lib/require-visitor.js';
import { openSse } from '../lib/sse.js';
import { conversationsOf, eventsAfter, toConversation } from '../chat/chat-store.js';
import { formatCursor, parseCursor } from '../chat/chat-hub.js';

const BODY_LIMIT = 16 * 1024;

/** The visitor's side of chat: docs/protocol.md §10. */
export function registerChat(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/chat`;
  const { limit, own } = visitorGuards(deps);

  app.post(`${P}/conversations`, { bodyLimit: BODY_LIMIT, schema: { body: CreateConversationRequest } }, async (req, reply) => {
    const b = req.body;
    const v = await requireVisitor(deps, req, b.siteKey, b.token);
    limit(req, v);
    const { conversation, events } = await deps.chat.start(v, b);
    return reply.send({ conversation: toConversation({ ...conversation, last_seq: Math.max(conversation.last_seq, events.at(-1)?.seq ?? 0) }), events });
  });

  app.get(`${P}/conversations`, { schema: { querystring: ChatQuery } }, async (req, reply) => {
    const q = req.query;
    const v = await requireVisitor(deps, req, q.site, q.token, 'query');
    return reply.send({ conversations: (await conversationsOf(deps.store, v)).map(toConversation) });
  });

  app.get(`${P}/conversations/:id/events`, { schema: { params: ConversationParams, querystring: ChatQuery } }, async (req, reply) => {
    const q = req.query;
    const v = await requireVisitor(deps, req, q.site, q.token, 'query');
    const c = await own(req.params.id, v);
    const after = Number(q.after ?? 0);
    return reply.send({ events: await eventsAfter(deps.store, c.id, after) });
  });

  app.post(`${P}/conversations/:id/messages`, { bodyLimit: BODY_LIMIT, schema: { params: ConversationParams, body: SendMessageRequest } }, async (req, reply) => {
    const b = req.body;
    const v = await requireVisitor(deps, req, b.siteKey, b.token);
    limit(req, v);
    const c = await own(req.params.id, v);
    const { events } = await deps.chat.visitorMessage(c, b.clientId, b.body);
    return reply.send({ events });
  });

  for (const action of ['typing', 'read', 'handoff', 'email'] as const) {
    app.post(`${P}/conversations/:id/${action}`, { bodyLimit: BODY_LIMIT, schema: { params: ConversationParams, body: ChatActionRequest } }, async (req, reply) => {
      const b = req.body;
      const v = await requireVisitor(deps, req, b.siteKey, b.token);
      const c = await own(req.params.id, v);
      if (action === 'typing') {
        if (typeof b.typing !== 'boolean') throw new ApiError('invalid_body', '/typing: required', '/typing');
        await deps.chat.typing(c, { kind: 'visitor' }, b.typing);
        return reply.code(204).send();
      }
      limit(req, v);
      if (action === 'read') {
        if (b.seq === undefined) throw new ApiError('invalid_body', '/seq: required', '/seq');
        return reply.send({ events: (await deps.chat.read(c, { kind: 'visitor' }, b.seq)).events });
      }
      if (action === 'email') {
        if (!b.email) throw new ApiError('invalid_body', '/email: required', '/email');
        return reply.send({ events: (await deps.chat.email(c, b.email)).events });
      }
      return reply.send({ events: (await deps.chat.handoff(c)).events });
    });
  }

  app.get(`${P}/stream`, { schema: { querystring: ChatQuery } }, async (req, reply) => {
    const q = req.query;
    const v = await requireVisitor(deps, req, q.site, q.token, 'query');
    // EventSource sends the last `id:` it saw as Last-Event-ID: that is our cursor.
    const cursor = parseCursor(req.headers['last-event-id']) ?? parseCursor(q.cursor);
    const convs = await conversationsOf(deps.store, v);
    let catchUp: string[] = [];
    const start = new Map<string, number>();
    if (cursor) {
      // Resume: everything after the cursor, and in full any conversation the client does not know yet.
      for (const c of convs) start.set(c.id, cursor.get(c.id) ?? 0);
      catchUp = convs.map((c) => c.id);
    } else for (const c of convs) start.set(c.id, Number(c.last_seq)); // a fresh stream starts now; history is GET …/events
    let remove = () => {};
    const write = openSse(req, reply, () => remove());
    write(`event: ready\ndata: ${JSON.stringify({ cursor: formatCursor(start) })}\n\n`);
    const unsubscribe = deps.hub.subscribe({ siteKey: v.siteKey, visitor: v, cursor: start, write }, catchUp);
    // Whether someone can answer: now, and again whenever that changes (docs/protocol.md §10).
    const unwatch = deps.presence.watchSite(v.siteKey, (online) => write(`event: presence\ndata: ${JSON.stringify({ online })}\n\n`));
    remove = () => {
      unsubscribe();
      unwatch();
    };
  });
}
