import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX, ATTACHMENT_TYPES, AttachmentParams, AttachmentUploadQuery, ChatEvent, ChatQuery, ConversationParams, LIMITS } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { visitorGuards } from '../chat/visitor-guards.js';
import { requireVisitor } from '../lib/require-visitor.js';
import { requireAgent } from '../lib/require-agent.js';
import { validate } from '../lib/validate.js';
import { getConversation, type ConversationRow } from '../chat/chat-store.js';
import { takesAgentFiles } from '../channels/channel-outbound.js';
import { findAttachment } from '../repositories/chat-attachments.js';
import { acceptUpload, refuseDeclaredOversize } from '../attachments/accept-upload.js';
import { sendAttachment } from '../attachments/send-attachment.js';
import { serveAttachment, thumbnailName } from '../attachments/serve-attachment.js';

/** Room for a file of `attachmentBytes`: a chunked body longer than that is cut off as it streams in. */
const BODY_LIMIT = LIMITS.attachmentBytes;
const Events = Type.Object({ events: Type.Array(ChatEvent) });
const AgentUploadQuery = Type.Object({ clientId: AttachmentUploadQuery.properties.clientId, name: AttachmentUploadQuery.properties.name });

/** The conversation an upload's `onRequest` found the caller may post to, for its handler. */
const target = new WeakMap<FastifyRequest, ConversationRow>();
const targetOf = (req: FastifyRequest): ConversationRow => target.get(req)!;

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

    // Every refusal an upload's URL and headers decide — too big, a bad token, someone else's
    // conversation — is made in `onRequest`, before a byte of the body is read (up to 10 MiB each).
    const visitorMayUpload = async (req: FastifyRequest): Promise<void> => {
      refuseDeclaredOversize(req.headers['content-length']);
      const { id } = validate(ConversationParams, req.params, '{}');
      const q = validate(AttachmentUploadQuery, req.query, '?');
      const v = await requireVisitor(deps, req, q.site, q.token, 'query');
      limit(req, v);
      target.set(req, await own(id, v));
    };
    app.post(
      `${API_PREFIX}/chat/conversations/:id/attachments`,
      { onRequest: visitorMayUpload, bodyLimit: BODY_LIMIT, schema: { params: ConversationParams, querystring: AttachmentUploadQuery, response: { 200: Events } } },
      async (req, reply) => {
        const file = await acceptUpload(req.body, req.headers['content-type'], req.query.name, deps.scan);
        return reply.send({ events: (await sendAttachment(deps, targetOf(req), { kind: 'visitor' }, req.query.clientId, file)).events });
      },
    );

    for (const thumbnail of [false, true]) {
      app.get(`${API_PREFIX}/chat/conversations/:id/attachments/:seq/:index${thumbnail ? '/thumbnail' : ''}`, { schema: { params: AttachmentParams, querystring: ChatQuery } }, async (req, reply) => {
        const v = await requireVisitor(deps, req, req.query.site, req.query.token, 'query');
        const c = await own(req.params.id, v);
        const file = await findAttachment(deps.store, c.id, Number(req.params.seq), Number(req.params.index));
        const bytes = file && (await (thumbnail ? deps.files.readThumbnail(file.sha256) : deps.files.read(file.sha256)));
        if (!file || !bytes) throw new ApiError('not_found', thumbnail ? 'No such attachment, or it has no thumbnail.' : 'No such attachment.');
        return serveAttachment(reply, bytes, thumbnail ? thumbnailName(file.filename) : file.filename);
      });
    }

    const agentMayUpload = async (req: FastifyRequest): Promise<void> => {
      await requireAgent(deps, req);
      refuseDeclaredOversize(req.headers['content-length']);
      const { id } = validate(ConversationParams, req.params, '{}');
      validate(AgentUploadQuery, req.query, '?');
      const c = await getConversation(deps.store, id);
      if (!c) throw new ApiError('not_found', 'No such conversation.');
      // A file leaves by web chat or in an e-mail reply (channel-outbound.ts); in a Messenger or bridge
      // conversation it would show as sent in the console and never reach the customer.
      if (!(await takesAgentFiles(deps.store, c))) throw new ApiError('forbidden', `Files are sent in web chat and by e-mail only; this conversation is ${c.channel}: attach the file in a reply from that channel's own inbox.`);
      target.set(req, c);
    };
    app.post(
      `${API_PREFIX}/agent/conversations/:id/attachments`,
      { onRequest: agentMayUpload, bodyLimit: BODY_LIMIT, schema: { params: ConversationParams, querystring: AgentUploadQuery, response: { 200: Events } } },
      async (req, reply) => {
        const agent = req.agent!;
        const file = await acceptUpload(req.body, req.headers['content-type'], req.query.name, deps.scan);
        return reply.send({ events: (await sendAttachment(deps, targetOf(req), { kind: 'agent', name: agent.name, id: agent.id }, req.query.clientId, file)).events });
      },
    );
  });
}
