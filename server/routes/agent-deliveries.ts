import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { isoUtc } from '../store/iso-utc.js';
import { requireAgent } from '../lib/require-agent.js';
import { json } from './agent.js';

/** Outbound deliveries for the console: counts, dead letters, retry (agent session required). */
export function registerAgentDeliveries(app: FastifyInstance, deps: Deps): void {
  const P = `${API_PREFIX}/agent/sites/:siteKey/deliveries`;

  app.get(P, async (req, reply) => {
    await requireAgent(deps, req);
    const { siteKey } = req.params as { siteKey: string };
    const [counts, dead] = await Promise.all([
      deps.store.query<{ kind: string; status: string; n: string }>('SELECT kind, status, count(*) AS n FROM deliveries WHERE site_key = $1 GROUP BY 1, 2', [siteKey]),
      deps.store.query<{ id: string; kind: string; target: string; attempts: number; last_error: string | null; created_at: string; payload: Record<string, unknown> }>(
        `SELECT id, kind, target, attempts, last_error, ${isoUtc('created_at')} AS created_at, payload FROM deliveries
          WHERE site_key = $1 AND status = 'dead' ORDER BY id DESC LIMIT 200`,
        [siteKey],
      ),
    ]);
    return reply.send({
      counts: counts.rows.map((r) => ({ kind: r.kind, status: r.status, n: Number(r.n) })),
      dead: dead.rows.map((r) => ({
        id: String(r.id),
        kind: r.kind,
        target: r.target,
        attempts: r.attempts,
        lastError: r.last_error,
        createdAt: r.created_at,
        // What it was: an event's messageId and name, or a webhook's id and type.
        summary: String(r.payload.messageId ?? r.payload.id ?? '') + ' ' + String(r.payload.event ?? r.payload.type ?? ''),
      })),
    });
  });

  app.post(`${P}/retry`, async (req, reply) => {
    await requireAgent(deps, req);
    const { siteKey } = req.params as { siteKey: string };
    const { ids } = json(req);
    if (ids !== undefined && (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string' && /^\d+$/.test(x)))) throw new ApiError('invalid_body', '/ids: an array of delivery ids', '/ids');
    // Dead letters go back to the queue with a fresh budget of attempts.
    const r = await deps.store.query(
      `UPDATE deliveries SET status = 'pending', attempts = 0, next_at = now() WHERE site_key = $1 AND status = 'dead' AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[])) RETURNING id`,
      [siteKey, ids ?? null],
    );
    return reply.send({ retried: r.rows.length });
  });
}
