import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { canManage } from '../agents.js';
import { ApiError } from './api-error.js';
import { requireAgent } from './require-agent.js';

/** A route's `onRequest` hook: signed in (`401`) as an owner or admin (`403 forbidden` for an agent), before any schema. */
export const managerOnly =
  (deps: Pick<Deps, 'store' | 'tokenSecret'>, message = 'Only owners and admins manage the site.') =>
  async (req: FastifyRequest): Promise<void> => {
    if (!canManage((await requireAgent(deps, req)).role)) throw new ApiError('forbidden', message);
  };
