import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API_PREFIX, AttachmentParams } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { signedIn } from '../lib/require-agent.js';
import { mailAttachments } from '../channels/mail-attachments.js';
import { findAttachment } from '../repositories/chat-attachments.js';
import { serveAttachment, thumbnailName } from '../attachments/serve-attachment.js';
import { inboundRaw } from '../repositories/inbound-raw.js';

/**
 * A file a customer sent by e-mail, for the agents (docs/channels.md#attachments):
 * `GET /v1/agent/conversations/{id}/attachments/{seq}/{index}` — the
 * `index`-th attachment of message `seq`, read from the original mail; and
 * `…/{index}/thumbnail`, the thumbnail of an image sent in web chat.
 *
 * Served as what its bytes are, never as the sender declared: a sniffed image
 * inline (the inbox shows it as a thumbnail), anything else as a download of
 * `application/octet-stream`; with a CSP that lets nothing run and `nosniff`,
 * so a hostile file cannot act as a page of the console's origin.
 */
export function registerAgentAttachments(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(`${API_PREFIX}/agent/conversations/:id/attachments/:seq/:index`, { onRequest: signedIn(deps), schema: { params: AttachmentParams } }, async (req, reply) => {
    const seq = Number(req.params.seq);
    const index = Number(req.params.index);
    // A file sent in web chat (routes/chat-attachments.ts), else one of a mail's.
    const sent = await findAttachment(deps.store, req.params.id, seq, index);
    const bytes = sent && (await deps.files.read(sent.sha256));
    if (bytes) return serveAttachment(reply, bytes, sent.filename);
    const raw = await inboundRaw(deps.store, req.params.id, seq);
    if (!raw) throw new ApiError('not_found', 'No such message, or it came with no original.');
    const file = (await mailAttachments(raw))[index];
    if (!file) throw new ApiError('not_found', 'No such attachment.');
    return serveAttachment(reply, file.content, file.filename || `attachment-${index + 1}`);
  });
  // The thumbnail the server made of an image sent in web chat (make-thumbnail.ts); mailed files have none.
  app.get(`${API_PREFIX}/agent/conversations/:id/attachments/:seq/:index/thumbnail`, { onRequest: signedIn(deps), schema: { params: AttachmentParams } }, async (req, reply) => {
    const sent = await findAttachment(deps.store, req.params.id, Number(req.params.seq), Number(req.params.index));
    const bytes = sent && (await deps.files.readThumbnail(sent.sha256));
    if (!sent || !bytes) throw new ApiError('not_found', 'No such attachment, or it has no thumbnail.');
    return serveAttachment(reply, bytes, thumbnailName(sent.filename));
  });
}
