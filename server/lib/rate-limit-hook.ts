import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { ApiError } from './api-error.js';

/**
 * A route's `onRequest` hook taking one token of `key(req)`'s bucket
 * (lib/rate-limiter.ts): a limited client is answered `429` with
 * `Retry-After` before its body is read or its schema checked.
 */
export const rateLimited =
  (deps: Pick<Deps, 'limiter'>, key: (req: FastifyRequest) => string, message = 'Too many requests.') =>
  async (req: FastifyRequest): Promise<void> => {
    const wait = deps.limiter.take(key(req));
    if (wait) throw new ApiError('rate_limited', message, undefined, { 'retry-after': String(wait) });
  };

/** The query as it arrived, before its schema: a bucket key only ever needs its text. */
export const rawQuery = (req: FastifyRequest): Record<string, unknown> => (req.query ?? {}) as Record<string, unknown>;
