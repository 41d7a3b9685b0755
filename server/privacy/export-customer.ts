import type { Queryable } from '../store/store.js';
import type { Customer } from '../customers/customer-profile.js';
import { CUSTOMER_TABLES, customerParams } from './customer-tables.js';

export interface CustomerExport {
  exportedAt: string;
  siteKey: string;
  customer: { userId: string | null; anonymousIds: string[] };
  /** Every row held about the customer, table by table, as stored (replay chunks' gzip bytes in base64). */
  tables: Record<string, Record<string, unknown>[]>;
}

/** Everything held about one customer, for a subject access request: the same tables erasure empties. */
export async function exportCustomer(db: Queryable, c: Customer, at: string): Promise<CustomerExport> {
  const tables: CustomerExport['tables'] = {};
  for (const t of CUSTOMER_TABLES) {
    const { rows } = await db.query<{ row: Record<string, unknown> }>(`SELECT ${t.select ?? 'to_jsonb(t)'} AS row FROM ${t.table} t WHERE ${t.where} ORDER BY ${t.order ?? '1'}`, customerParams(t.where, c));
    tables[t.table] = rows.map((r) => r.row);
  }
  return { exportedAt: at, siteKey: c.siteKey, customer: { userId: c.userId ?? null, anonymousIds: c.anonymousIds }, tables };
}
