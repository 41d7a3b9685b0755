import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ConsentRecord, SurveyAnswer, API_PREFIX, LIMITS, EVENT_SCHEMAS, type Event, BatchRequest, BatchResponse, BatchQuery } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { verifyUserHash } from '../lib/hmac.js';
import { rateLimited, rawQuery } from '../lib/rate-limit-hook.js';
import { requireSite } from '../lib/require-site.js';
import { validate } from '../lib/validate.js';
import { checkSurveyAnswer } from '../lib/check-survey-answer.js';
import { integrationsOf } from '../integrations/integrations-config.js';
import { ingestBatch } from '../ingest.js';

/** `POST /v1/batch`: events, consent records and survey answers, all stored or none. */
export function registerBatch(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const route = {
    // The inflated body too (route-schemas.ts): `batchBytes` applies after gzip (docs/protocol.md §7).
    bodyLimit: LIMITS.batchBytes,
    onRequest: rateLimited(deps, (req) => `${String(rawQuery(req).site)}|${req.ip}`),
    // The envelope by schema (its `protocol` first); each item below, by its own type's schema at its path.
    schema: { querystring: BatchQuery, body: BatchRequest, response: { 200: BatchResponse } },
  };
  app.post(`${API_PREFIX}/batch`, route, async (req, reply) => {
    const receivedAt = new Date(deps.now());
    const query = req.query;
    const envelope = req.body;
    // `?site=` wins over the body's siteKey (docs/protocol.md §2).
    const site = await requireSite(deps.sites, req, query.site ?? envelope.siteKey, query.site === undefined ? '/siteKey' : '?site');

    const events: { event: Event; verified: boolean }[] = [];
    (envelope.batch ?? []).forEach((item, i) => {
      const path = `/batch/${i}`;
      // UTF-8 bytes of the item as re-serialised (what is stored), not UTF-16 units of the request.
      if (Buffer.byteLength(JSON.stringify(item)) > LIMITS.eventBytes) {
        throw new ApiError('payload_too_large', `Event ${i} is over ${LIMITS.eventBytes} bytes.`, path);
      }
      const type = (item as { type?: unknown } | null)?.type;
      const schema = typeof type === 'string' ? EVENT_SCHEMAS[type as keyof typeof EVENT_SCHEMAS] : undefined;
      if (!schema || !Object.hasOwn(EVENT_SCHEMAS, type as string)) {
        throw new ApiError('invalid_body', `${path}/type: must be one of ${Object.keys(EVENT_SCHEMAS).join(', ')}`, `${path}/type`);
      }
      const event = validate(schema, item, path) as Event;
      let verified = false;
      if ((event.type === 'identify' || event.type === 'alias') && event.userHash !== undefined) {
        if (!event.userId || !site.secrets.some((s) => verifyUserHash(s, event.userId!, event.userHash!))) {
          throw new ApiError('invalid_user_hash', 'userHash does not verify userId.', `${path}/userHash`);
        }
        verified = true;
      } else if (event.type === 'identify' && !event.userId) {
        throw new ApiError('invalid_body', `${path}: an identify needs a userId`, `${path}/userId`);
      }
      events.push({ event, verified });
    });
    const consent = (envelope.consent ?? []).map((item, i) => validate(ConsentRecord, item, `/consent/${i}`));
    const responses = (envelope.responses ?? []).map((item, i) => {
      const answer = validate(SurveyAnswer, item, `/responses/${i}`);
      checkSurveyAnswer(site, answer, `/responses/${i}`);
      return answer;
    });

    const total = events.length + consent.length + responses.length;
    const accepted = await deps.store.transaction((tx) =>
      ingestBatch(tx, { siteKey: site.key, sentAt: envelope.sentAt, receivedAt, events, consent, responses, integrations: integrationsOf(site) }),
    );
    return reply.code(200).send({ accepted, duplicates: total - accepted });
  });
}
