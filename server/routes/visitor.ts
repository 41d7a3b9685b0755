import type { FastifyInstance } from 'fastify';
import { API_PREFIX, VisitorTokenRequest, type VisitorTokenResponse, BatchQuery } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { verifyUserHash } from '../lib/hmac.js';
import { readJsonBody } from '../lib/read-json-body.js';
import { requireSite } from '../lib/require-site.js';
import { validate, validateQuery } from '../lib/validate.js';
import { VISITOR_TOKEN_TTL_S, signVisitorToken } from '../lib/visitor-token.js';

/** `POST /v1/visitor`: a token bound to one anonymous id (and a verified user id). */
export function registerVisitor(app: FastifyInstance, deps: Deps): void {
  app.post(`${API_PREFIX}/visitor`, { bodyLimit: 8 * 1024 }, async (req, reply) => {
    const query = validateQuery(BatchQuery, req.query);
    const wait = deps.limiter.take(`visitor|${req.ip}`);
    if (wait) throw new ApiError('rate_limited', 'Too many requests.', undefined, { 'retry-after': String(wait) });
    const body = validate(VisitorTokenRequest, readJsonBody(req.body, query.encoding, 8 * 1024));
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
