import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX, ATTACHMENT_TYPES, AttachmentParams, AttachmentUploadQuery, ChatEvent, ChatQuery, ConversationParams, LIMITS } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { visitorGuards } from '../chat/visitor-guards.js';
import { requireVisitor } from '../lib/require-visitor.js';
import { requireAgent, signedIn } from '../lib/require-agent.js';
import { getConversation } from '../chat/chat-store.js';
import { findAttachment } from '../repositories/chat-attachments.js';
import { acceptUpload } from '../attachments/accept-upload.js';
import { sendAttachment } from '../attachments/send-attachment.js';
import { serveAttachment } from '../attachments/serve-attachment.js';

/** Room for a file of `attachmentBytes`: Fastify refuses a longer body with 413 before reading it. */
const BODY_LIMIT = LIMITS.attachmentBytes;
const Events = Type.Object({ events: Type.Array(ChatEvent) });
const AgentUploadQuery = Type.Object({ clientId: AttachmentUploadQuery.properties.clientId, name: AttachmentUploadQuery.properties.name });

/**
 * Files in web chat, both ways (docs/protocol.md §10.3, docs/console.md):
 * the visitor uploads to their own conversation and reads only its files;
 * agents upload from the composer (and read any conversation's files
 * through `GET /v1/agent/conversations/{id}/attachments/{seq}/{index}`,
 * agent-attachments.ts). The body is the file's bytes, `Content-Type` the
 * type the sender declares; the server believes only the bytes.
 */
export function registerChatAttachments(fastify: FastifyInstance, deps: Deps): void {
  void fastify.register(async (scope) => {
    // Only here do bodies other than JSON arrive: the declared types we take, read raw (the size is the route's bodyLimit).
    scope.addContentTypeParser([...ATTACHMENT_TYPES, 'image/jpg', 'application/octet-stream'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    const app = scope.withTypeProvider<TypeBoxTypeProvider>();
    const { limit, own } = visitorGuards(deps);

    app.post(
      `${API_PREFIX}/chat/conversations/:id/attachments`,
      { bodyLimit: BODY_LIMIT, schema: { params: ConversationParams, querystring: AttachmentUploadQuery, response: { 200: Events } } },
      async (req, reply) => {
        const q = req.query;
        const v = await requireVisitor(deps, req, q.site, q.token, 'query');
        limit(req, v);
        const c = await own(req.params.id, v);
        const file = await acceptUpload(req.body, req.headers['content-type'], q.name, deps.scan);
        return reply.send({ events: (await sendAttachment(deps, c, { kind: 'visitor' }, q.clientId, file)).events });
      },
    );

    app.get(`${API_PREFIX}/chat/conversations/:id/attachments/:seq/:index`, { schema: { params: AttachmentParams, querystring: ChatQuery } }, async (req, reply) => {
      const v = await requireVisitor(deps, req, req.query.site, req.query.token, 'query');
      const c = await own(req.params.id, v);
      const file = await findAttachment(deps.store, c.id, Number(req.params.seq), Number(req.params.index));
      const bytes = file && (await deps.files.read(file.sha256));
      if (!file || !bytes) throw new ApiError('not_found', 'No such attachment.');
      return serveAttachment(reply, bytes, file.filename);
    });

    app.post(
      `${API_PREFIX}/agent/conversations/:id/attachments`,
      { onRequest: signedIn(deps), bodyLimit: BODY_LIMIT, schema: { params: ConversationParams, querystring: AgentUploadQuery, response: { 200: Events } } },
      async (req, reply) => {
        const agent = await requireAgent(deps, req);
        const c = await getConversation(deps.store, req.params.id);
        if (!c) throw new ApiError('not_found', 'No such conversation.');
        // Channel replies carry text only (channel-outbound.ts): a file in an e-mail or Messenger
        // conversation would show as sent in the console and never reach the customer.
        if (c.channel !== 'web') throw new ApiError('forbidden', `Files are sent in web chat only; this conversation is ${c.channel}: attach the file in a reply from your mail or Meta inbox.`);
        const file = await acceptUpload(req.body, req.headers['content-type'], req.query.name, deps.scan);
        return reply.send({ events: (await sendAttachment(deps, c, { kind: 'agent', name: agent.name, id: agent.id }, req.query.clientId, file)).events });
      },
    );
  });
}
