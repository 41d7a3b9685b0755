import type { ChatAttachment } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import type { Author } from '../chat/chat-service.js';
import type { ConversationRow } from '../chat/chat-store.js';
import { isoNow } from '../lib/clock.js';
import { insertAttachments, referencedHashes } from '../repositories/chat-attachments.js';
import type { AcceptedFile } from './accept-upload.js';
import { makeThumbnail } from './make-thumbnail.js';

/**
 * A file sent in a conversation, by the visitor or an agent: an image's
 * thumbnail made first (make-thumbnail.ts: the event announces its size),
 * then the bytes on disk (content-addressed, written once, the thumbnail
 * beside them), then the message and the file's row in one transaction. If
 * that transaction fails, the file is removed unless another row needs it; if
 * an erasure removed the same bytes between the two steps, they are written
 * again — never a row without its file.
 */
export async function sendAttachment(deps: Pick<Deps, 'files' | 'chat' | 'store' | 'now'>, c: ConversationRow, author: Author, clientId: string, file: AcceptedFile) {
  const thumb = file.contentType.startsWith('image/') ? await makeThumbnail(file.bytes) : undefined;
  const write = async () => {
    const sha = await deps.files.put(file.bytes);
    if (thumb) await deps.files.putThumbnail(sha, thumb.bytes);
    return sha;
  };
  const sha256 = await write();
  const meta: ChatAttachment = { filename: file.filename, contentType: file.contentType, size: file.bytes.length, ...(thumb ? { thumbnail: { width: thumb.width, height: thumb.height } } : {}) };
  const referenced = (shas: string[]) => referencedHashes(deps.store, shas);
  let r;
  try {
    r = await deps.chat.fileMessage(c, author, clientId, { attachments: [meta] }, (tx, seq) => insertAttachments(tx, c.id, seq, [{ ...meta, sha256 }], isoNow(deps.now)));
  } catch (e) {
    await deps.files.remove([sha256], referenced).catch(() => {});
    throw e;
  }
  if (!r.created) await deps.files.remove([sha256], referenced);
  else if (!(await deps.files.has(sha256))) await write();
  return r;
}
