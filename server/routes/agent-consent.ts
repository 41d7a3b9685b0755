import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { consentCsv, consentHistory } from '../reports/consent-history.js';
import { signedIn } from '../lib/require-agent.js';

// A repeated ?visitor= is an array: refused by the schema (`.trim()` of an array was a 500).
const ConsentQuery = Type.Object({ visitor: Type.Optional(Type.String({ maxLength: 300 })) });

/** Proof of consent for the console: a visitor's decisions, and their export (agent session required). */
export function registerAgentConsent(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent/consent`;
  const route = { onRequest: signedIn(deps), schema: { querystring: ConsentQuery } };
  const visitorOf = (q: { visitor?: string }) => {
    const v = q.visitor?.trim();
    if (v !== undefined && (v.length === 0 || v.length > 256)) throw new ApiError('invalid_body', '?visitor: an anonymous id or user id of 1 to 256 characters', '?visitor');
    return v;
  };

  app.get(P, route, async (req, reply) => reply.send({ records: await consentHistory(deps.store, visitorOf(req.query)) }));

  app.get(`${P}.csv`, route, async (req, reply) => {
    const visitor = visitorOf(req.query);
    if (!visitor) throw new ApiError('invalid_body', '?visitor: required for an export (one visitor\'s history)', '?visitor');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="consent-${visitor.replace(/[^\w.-]/g, '_')}.csv"`)
      .send(consentCsv(await consentHistory(deps.store, visitor)));
  });
}
