import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';
import { AGENT_COOKIE, agentById, verifySession, type Agent } from '../agents.js';
import { ApiError } from './api-error.js';

/**
 * The signed-in agent, or `401 unauthorized`. Every console API and page
 * needs one. Read once per request (the cookie by @fastify/cookie, checked
 * against our own HMAC with its expiry), then kept on the request.
 */
export const requireAgent = async (deps: Pick<Deps, 'store' | 'tokenSecret'>, req: FastifyRequest): Promise<Agent> => {
  if (req.agent) return req.agent;
  const id = verifySession(deps.tokenSecret, req.cookies[AGENT_COOKIE]);
  const agent = id ? await agentById(deps.store, id) : undefined;
  if (!agent) throw new ApiError('unauthorized', 'Sign in to the console first.');
  return (req.agent = agent);
};

/**
 * The route's `onRequest` hook: the session is checked before the schema
 * reads anything, so a stranger learns `401`, never what a body should hold.
 */
export const signedIn = (deps: Pick<Deps, 'store' | 'tokenSecret'>) => async (req: FastifyRequest): Promise<void> => {
  await requireAgent(deps, req);
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in agent, once `requireAgent` has found one. */
    agent?: Agent;
  }
}
