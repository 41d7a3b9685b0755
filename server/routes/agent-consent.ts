import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { consentCsv, consentHistory } from '../reports/consent-history.js';
import { requireAgent } from '../lib/require-agent.js';

/** Proof of consent for the console: a visitor's decisions, and their export (agent session required). */
export function registerAgentConsent(app: FastifyInstance, deps: Deps): void {
  const P = `${API_PREFIX}/agent/consent`;
  const visitorOf = (q: unknown) => {
    const v = (q as { visitor?: string }).visitor?.trim();
    if (v !== undefined && (v.length === 0 || v.length > 256)) throw new ApiError('invalid_body', '?visitor: an anonymous id or user id of 1 to 256 characters', '?visitor');
    return v;
  };

  app.get(P, async (req, reply) => {
    await requireAgent(deps, req);
    return reply.send({ records: await consentHistory(deps.store, visitorOf(req.query)) });
  });

  app.get(`${P}.csv`, async (req, reply) => {
    await requireAgent(deps, req);
    const visitor = visitorOf(req.query);
    if (!visitor) throw new ApiError('invalid_body', '?visitor: required for an export (one visitor\'s history)', '?visitor');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="consent-${visitor.replace(/[^\w.-]/g, '_')}.csv"`)
      .send(consentCsv(await consentHistory(deps.store, visitor)));
  });
}
