import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import type { Visitor } from '../chat/chat-store.js';
import { ApiError } from './api-error.js';
import { requireSite } from './require-site.js';
import { verifyVisitorToken } from './visitor-token.js';

/** The visitor a request speaks for, from its token; `invalid_token` when missing, forged, expired or for another site. */
export const requireVisitor = async (deps: Deps, req: FastifyRequest, siteKey: unknown, token: unknown, from: 'body' | 'query' = 'body'): Promise<Visitor> => {
  const site = await requireSite(deps.sites, req, siteKey, from === 'body' ? '/siteKey' : '?site');
  const claims = verifyVisitorToken(deps.tokenSecret, token, deps.now());
  if (!claims || claims.s !== site.key) throw new ApiError('invalid_token', 'A valid visitor token for this site is required.', from === 'body' ? '/token' : '?token');
  return { siteKey: site.key, anonymousId: claims.a, ...(claims.u ? { userId: claims.u } : {}) };
};
