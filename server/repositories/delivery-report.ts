import Type, { type Static } from 'typebox';
import type { Queryable } from '../store/store.js';
import { isoUtc } from '../store/iso-utc.js';
import { Nullable } from '../lib/nullable.js';

export const DeadDelivery = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  target: Type.String(),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  /** What it was: an event's messageId and name, or a webhook's id and type. */
  summary: Type.String(),
});

/** A site's outbound deliveries for the console: counts by kind and status, and the last 200 dead letters. */
export const DeliveryReport = Type.Object({
  counts: Type.Array(Type.Object({ kind: Type.String(), status: Type.String(), n: Type.Integer() })),
  dead: Type.Array(DeadDelivery),
});
export type DeliveryReport = Static<typeof DeliveryReport>;

export async function deliveryReport(db: Queryable, siteKey: string): Promise<DeliveryReport> {
  const [counts, dead] = await Promise.all([
    db.query<{ kind: string; status: string; n: string }>('SELECT kind, status, count(*) AS n FROM deliveries WHERE site_key = $1 GROUP BY 1, 2', [siteKey]),
    db.query<{ id: string; kind: string; target: string; attempts: number; last_error: string | null; created_at: string; payload: Record<string, unknown> }>(
      `SELECT id, kind, target, attempts, last_error, ${isoUtc('created_at')} AS created_at, payload FROM deliveries
        WHERE site_key = $1 AND status = 'dead' ORDER BY id DESC LIMIT 200`,
      [siteKey],
    ),
  ]);
  return {
    counts: counts.rows.map((r) => ({ kind: r.kind, status: r.status, n: Number(r.n) })),
    dead: dead.rows.map((r) => ({
      id: String(r.id),
      kind: r.kind,
      target: r.target,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
      summary: String(r.payload.messageId ?? r.payload.id ?? '') + ' ' + String(r.payload.event ?? r.payload.type ?? ''),
    })),
  };
}
