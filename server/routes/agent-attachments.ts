import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { signedIn } from '../lib/require-agent.js';
import { mailAttachments, sniffType } from '../channels/mail-attachments.js';
import { inboundRaw } from '../repositories/inbound-raw.js';

const Params = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  // Path segments are strings: digits only, so "1e3", "-1" or " 1" are refused, not read as numbers.
  seq: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }),
  index: Type.String({ pattern: '^(0|[1-9][0-9]{0,2})$' }),
});

/**
 * A file a customer sent by e-mail, for the agents (docs/channels.md#attachments):
 * `GET /v1/agent/conversations/{id}/attachments/{seq}/{index}` — the
 * `index`-th attachment of message `seq`, read from the original mail.
 *
 * Served as what its bytes are, never as the sender declared: a sniffed image
 * inline (the inbox shows it as a thumbnail), anything else as a download of
 * `application/octet-stream`; with a CSP that lets nothing run and `nosniff`,
 * so a hostile file cannot act as a page of the console's origin.
 */
export function registerAgentAttachments(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(`${API_PREFIX}/agent/conversations/:id/attachments/:seq/:index`, { onRequest: signedIn(deps), schema: { params: Params } }, async (req, reply) => {
    const seq = Number(req.params.seq);
    const index = Number(req.params.index);
    const raw = await inboundRaw(deps.store, req.params.id, seq);
    if (!raw) throw new ApiError('not_found', 'No such message, or it came with no original.');
    const file = (await mailAttachments(raw))[index];
    if (!file) throw new ApiError('not_found', 'No such attachment.');
    const type = sniffType(file.content);
    const name = (file.filename || `attachment-${index + 1}`).replace(/[\r\n"\\]/g, '_');
    const inline = type?.startsWith('image/');
    return reply
      .header('content-type', type ?? 'application/octet-stream')
      .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, max-age=3600')
      .send(file.content);
  });
}
