import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { getConversation, visibleTo, type ConversationRow, type Visitor } from './chat-store.js';

/** The chat routes' guards for a verified visitor: one bucket per visitor and address, and their own conversations only. */
export const visitorGuards = (deps: Deps) => ({
  /** Takes a token from the visitor's bucket, or refuses with Retry-After. */
  limit(req: FastifyRequest, v: Visitor): void {
    const wait = deps.limiter.take(`chat|${v.siteKey}|${v.anonymousId}|${req.ip}`);
    if (wait) throw new ApiError('rate_limited', 'Too many requests.', undefined, { 'retry-after': String(wait) });
  },
  /** The conversation, if this visitor may see it; another visitor's is "not found", never "forbidden" (no probing). */
  async own(id: string, v: Visitor): Promise<ConversationRow> {
    const c = await getConversation(deps.store, id);
    if (!c || !visibleTo(c, v)) throw new ApiError('not_found', 'No such conversation.');
    return c;
  },
});
