import type { FastifyRequest } from 'fastify';
import type { Site, Sites } from '../sites.js';
import { ApiError } from './api-error.js';

/**
 * The site a request is for, checked against its origin allow-list.
 * Requests without an `Origin` header (server to server) pass the origin check:
 * the allow-list protects browsers' users, not a secret.
 */
export async function requireSite(sites: Sites, req: FastifyRequest, key: unknown, path = '/siteKey'): Promise<Site> {
  if (typeof key !== 'string' || key === '') throw new ApiError('invalid_body', 'A site key is required, as `?site=` or `siteKey`.', path);
  const site = await sites.get(key);
  if (!site) throw new ApiError('unknown_site', `No site has the key "${key.slice(0, 64)}".`, path);
  const origin = req.headers.origin;
  if (origin && !site.allowedOrigins.includes('*') && !site.allowedOrigins.includes(origin)) {
    throw new ApiError('origin_not_allowed', `The origin ${origin} may not send data for this site.`);
  }
  return site;
}
