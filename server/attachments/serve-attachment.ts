import type { FastifyReply } from 'fastify';
import { sniffType } from '../channels/mail-attachments.js';

/**
 * The one way a file a customer or an agent sent leaves the server (chat
 * uploads and mailed attachments alike): as what its bytes are, never as the
 * sender declared — a sniffed image inline (shown as a thumbnail), anything
 * else a download of `application/octet-stream` — with a CSP that lets
 * nothing run and `nosniff`, so a hostile file cannot act as a page of the
 * console's (or the API's) origin.
 */
export const serveAttachment = (reply: FastifyReply, bytes: Buffer, filename: string): FastifyReply => {
  const type = sniffType(bytes);
  const name = filename.replace(/[\r\n"\\]/g, '_');
  const inline = type?.startsWith('image/');
  return reply
    .header('content-type', type ?? 'application/octet-stream')
    .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, max-age=3600')
    .send(bytes);
};

/** A thumbnail's download name: the file's, marked, as the WebP it is ("damage.png" → "damage-thumbnail.webp"). */
export const thumbnailName = (filename: string): string => `${filename.replace(/\.[^.]*$/, '') || 'image'}-thumbnail.webp`;
