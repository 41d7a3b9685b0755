import type { Queryable } from '../store/store.js';
import type { ChatAttachment } from 'touchpoint/protocol';

/** A stored file of a chat message: what the event shows, and where the bytes are. */
export interface StoredAttachment extends ChatAttachment {
  sha256: string;
}

/** The files of message `seq`, in its transaction (after the file itself is on disk: attachment-files.ts). */
export async function insertAttachments(tx: Queryable, conversationId: string, seq: number, files: StoredAttachment[], at: string): Promise<void> {
  for (const [i, f] of files.entries()) {
    await tx.query(
      `INSERT INTO chat_attachments (conversation_id, seq, idx, sha256, filename, content_type, size, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING`,
      [conversationId, seq, i, f.sha256, f.filename, f.contentType, f.size, at],
    );
  }
}

/** The files of message `seq` of a conversation, in index order. */
export async function attachmentsOf(db: Queryable, conversationId: string, seq: number): Promise<StoredAttachment[]> {
  const { rows } = await db.query<{ sha256: string; filename: string; content_type: ChatAttachment['contentType']; size: number }>(
    'SELECT sha256, filename, content_type, size FROM chat_attachments WHERE conversation_id = $1 AND seq = $2 ORDER BY idx',
    [conversationId, seq],
  );
  return rows.map((r) => ({ sha256: r.sha256, filename: r.filename, contentType: r.content_type, size: Number(r.size) }));
}

/** The `index`-th file of message `seq` of a conversation (a message has a handful at most). */
export async function findAttachment(db: Queryable, conversationId: string, seq: number, index: number): Promise<StoredAttachment | undefined> {
  return (await attachmentsOf(db, conversationId, seq))[index];
}

/** The SHA-256s of the files of some conversations: what erasure or retention is about to delete. */
export async function attachmentHashesOf(db: Queryable, conversationIds: string[]): Promise<string[]> {
  if (!conversationIds.length) return [];
  const { rows } = await db.query<{ sha256: string }>('SELECT DISTINCT sha256 FROM chat_attachments WHERE conversation_id = ANY($1)', [conversationIds]);
  return rows.map((r) => r.sha256);
}

/** Which of these files some row still refers to (the same picture sent in another conversation). */
export async function referencedHashes(db: Queryable, sha256s: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ sha256: string }>('SELECT DISTINCT sha256 FROM chat_attachments WHERE sha256 = ANY($1)', [sha256s]);
  return new Set(rows.map((r) => r.sha256));
}
