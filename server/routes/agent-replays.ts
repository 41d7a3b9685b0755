import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX, LOW_SCORES, type SurveyDefinition } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { signedIn } from '../lib/require-agent.js';
import { listReplays, ReplayDetail, replayDetail, replayEvents, replaySite, type ReplayFilter } from '../reports/replays.js';
import { resolveCustomer } from '../customers/customer-profile.js';
import { siteZone } from '../lib/site-time.js';
import { siteDateRange } from '../reports/site-days.js';
import { sitesByName } from '../repositories/sites-by-name.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const SessionParams = Type.Object({ sessionId: Id });
// `?site=` picks the site when two have recorded the same session id; by default the first to record it.
const SiteQuery = Type.Object({ site: Type.Optional(Id) });
const Flag = Type.Optional(Type.Enum(['1', '0', 'true', 'false']));
/** The list's filters (docs/console.md#replays): every one optional, all of them combined. */
const ListQuery = Type.Object({
  site: Type.Optional(Id),
  /** The site's local days (UTC without ?site), both included. */
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
  page: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  /** A user id or anonymous id: every device of that customer. */
  customer: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  friction: Flag,
  error: Flag,
  lowScore: Flag,
});
const on = (v: string | undefined) => v === '1' || v === 'true';

/** Replays for the console's player (agent session required): docs/console.md. */
export function registerAgentReplays(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent/replays`;
  const onRequest = signedIn(deps);

  app.get(P, { onRequest, schema: { querystring: ListQuery } }, async (req, reply) => {
    const q = req.query;
    const site = q.site ? await deps.sites.get(q.site) : undefined;
    if (q.site && !site) throw new ApiError('not_found', 'No such site.');
    const f: ReplayFilter = { siteKey: site?.key, page: q.page, friction: on(q.friction), error: on(q.error), lowScore: on(q.lowScore) };
    if (q.from || q.to) f.range = siteDateRange(q, deps.now(), siteZone(site));
    if (q.customer) f.anonymousIds = site ? ((await resolveCustomer(deps.store, site.key, q.customer))?.anonymousIds ?? []) : [q.customer];
    // What a low score is, per question of every survey of the sites listed (LOW_SCORES by question type).
    f.lowScores = {};
    for (const s of site ? [site] : await sitesByName(deps.store)) {
      for (const survey of (s.config.surveys ?? []) as SurveyDefinition[]) {
        for (const question of survey.questions) {
          const low = LOW_SCORES[question.type];
          if (low !== undefined) f.lowScores[`${s.key}|${survey.id}|${question.id}`] = low;
        }
      }
    }
    return reply.send({ replays: await listReplays(deps.store, f) });
  });

  app.get(`${P}/:sessionId`, { onRequest, schema: { params: SessionParams, querystring: SiteQuery, response: { 200: ReplayDetail } } }, async (req, reply) => {
    const d = await replayDetail(deps.store, req.params.sessionId, req.query.site);
    if (!d) throw new ApiError('not_found', 'No recording for this session.');
    return reply.send(d);
  });

  app.get(
    `${P}/:sessionId/events`,
    // ?window: required (a tab id of the session).
    { onRequest, schema: { params: SessionParams, querystring: Type.Object({ site: Type.Optional(Id), window: Id }) } },
    async (req, reply) => {
      const sessionId = req.params.sessionId;
      const site = await replaySite(deps.store, sessionId, req.query.site);
      if (site === undefined) throw new ApiError('not_found', 'No recording for this session.');
      const json = await replayEvents(deps.store, site, sessionId, req.query.window);
      return reply.header('content-type', 'application/json; charset=utf-8').send(json);
    },
  );
}
