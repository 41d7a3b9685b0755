import { createHash } from 'node:crypto';
import type { Queryable, Store } from '../store/store.js';
import type { Customer } from '../customers/customer-profile.js';
import { enqueueEvents } from '../integrations/enqueue.js';
import type { Integrations } from '../integrations/integrations-config.js';
import { CUSTOMER_TABLES, customerParams } from './customer-tables.js';
import { forgetInSessionSteps } from '../reports/session-steps.js';
import type { AttachmentFiles } from '../attachments/attachment-files.js';
import { referencedHashes } from '../repositories/chat-attachments.js';

export interface Erasure {
  /** Rows removed per table. */
  counts: Record<string, number>;
  erasedAt: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Lets the consent trigger accept DELETE for the rest of this transaction only
 * (migration 7): proof of consent stays append-only for everything else.
 */
export const allowConsentDeletes = (tx: Queryable) => tx.query(`SELECT set_config('touchpoint.erasing', 'on', true)`);

/**
 * Erases one customer (all their anonymous ids, and their verified user id)
 * from every table that holds their data, in one transaction: all of it goes,
 * or none. Writes the audit record (ids kept only as SHA-256 hashes) and, in
 * the same transaction, the `customer.deleted` webhook that tells downstream
 * systems to do the same (its delivery row is removed once delivered).
 */
export async function eraseCustomer(store: Store, c: Customer, o: { requestedBy: string; at: string; integrations: Integrations; files?: AttachmentFiles }): Promise<Erasure> {
  let files: string[] = [];
  const erasure = await store.transaction(async (tx) => {
    await allowConsentDeletes(tx);
    const counts: Record<string, number> = {};
    for (const t of CUSTOMER_TABLES) {
      const r = await tx.query(`DELETE FROM ${t.table} WHERE ${t.where} RETURNING ${t.table === 'chat_attachments' ? 'sha256' : '1'}`, customerParams(t.where, c));
      counts[t.table] = r.rows.length;
      if (t.table === 'chat_attachments') files = (r.rows as { sha256: string }[]).map((x) => x.sha256);
    }
    // Their events in someone else's session are listed in that session's journey (the funnel's summary): rebuilt without them.
    await forgetInSessionSteps(tx, c.siteKey, c.anonymousIds);
    const ids = [...(c.userId ? [c.userId] : []), ...c.anonymousIds];
    await tx.query('INSERT INTO erasures (site_key, subject_hash, requested_by, counts, created_at) VALUES ($1, $2, $3, $4, $5)', [c.siteKey, ids.map(sha256), o.requestedBy, JSON.stringify(counts), o.at]);
    await enqueueEvents(tx, c.siteKey, o.integrations, [{ type: 'customer.deleted', data: { userId: c.userId ?? null, anonymousIds: c.anonymousIds, counts, erasedAt: o.at } }]);
    return { counts, erasedAt: o.at };
  });
  // The bytes of their files, once the rows are gone for good — unless another conversation sent the same file.
  await o.files?.remove(files, (shas) => referencedHashes(store, shas));
  return erasure;
}

/** Whether an id (user or anonymous) was erased on a site, from the audit trail alone. */
export const wasErased = async (db: Queryable, siteKey: string, id: string): Promise<boolean> =>
  (await db.query('SELECT 1 FROM erasures WHERE site_key = $1 AND $2 = ANY(subject_hash) LIMIT 1', [siteKey, sha256(id)])).rows.length > 0;
