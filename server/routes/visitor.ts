import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API_PREFIX, VisitorTokenRequest, VisitorTokenResponse, BatchQuery } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { verifyUserHash } from '../lib/hmac.js';
import { rateLimited } from '../lib/rate-limit-hook.js';
import { requireSite } from '../lib/require-site.js';
import { VISITOR_TOKEN_TTL_S, signVisitorToken } from '../lib/visitor-token.js';

/** `POST /v1/visitor`: a token bound to one anonymous id (and a verified user id). */
export function registerVisitor(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const route = {
    bodyLimit: 8 * 1024,
    onRequest: rateLimited(deps, (req) => `visitor|${req.ip}`),
    schema: { querystring: BatchQuery, body: VisitorTokenRequest, response: { 200: VisitorTokenResponse } },
  };
  app.post(`${API_PREFIX}/visitor`, route, async (req, reply) => {
    const body = req.body;
    const site = await requireSite(deps.sites, req, body.siteKey);
    let verifiedUser: string | undefined;
    if (body.userId !== undefined || body.userHash !== undefined) {
      if (!body.userId || !body.userHash || !site.secrets.some((s) => verifyUserHash(s, body.userId!, body.userHash!))) {
        throw new ApiError('invalid_user_hash', 'userHash does not verify userId.', '/userHash');
      }
      verifiedUser = body.userId;
    }
    const exp = Math.floor(Date.now() / 1000) + VISITOR_TOKEN_TTL_S;
    const token = signVisitorToken(deps.tokenSecret, { s: site.key, a: body.anonymousId, ...(verifiedUser ? { u: verifiedUser } : {}), e: exp });
    const res: VisitorTokenResponse = { token, expiresAt: new Date(exp * 1000).toISOString(), verified: verifiedUser !== undefined };
    return reply.send(res);
  });
}
