import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { requireAgent, signedIn } from '../lib/require-agent.js';
import { AgentPresence } from '../repositories/agent-presence.js';

const PresenceList = Type.Object({ agents: Type.Array(AgentPresence) });

/**
 * Presence in the console (docs/console.md): who is online, away or offline,
 * and the console's own reports — its tab shown or hidden, the agent's choice.
 */
export function registerAgentPresence(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent/presence`;
  const agentOnly = { onRequest: signedIn(deps), bodyLimit: 4 * 1024 };

  app.get(P, { ...agentOnly, schema: { response: { 200: PresenceList } } }, async (_req, reply) => reply.send({ agents: await deps.presence.list() }));

  app.post(
    P,
    {
      ...agentOnly,
      schema: {
        body: Type.Object(
          {
            connection: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The console stream\'s id (its `ready` event): whose tab is shown or hidden.' })),
            visible: Type.Optional(Type.Boolean({ description: 'Whether that tab shows (Page Visibility).' })),
            choice: Type.Optional(Type.Union([Type.Literal('online'), Type.Literal('away')], { description: 'The agent sets themself online or away.' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: PresenceList },
      },
    },
    async (req, reply) => {
      const agent = await requireAgent(deps, req);
      const b = req.body;
      if ((b.connection === undefined) !== (b.visible === undefined)) throw new ApiError('invalid_body', b.connection === undefined ? '/connection: required with visible' : '/visible: required with connection', b.connection === undefined ? '/connection' : '/visible');
      if (b.connection === undefined && b.choice === undefined) throw new ApiError('invalid_body', '/choice: required (or connection and visible)', '/choice');
      // Someone else's connection, or one already closed: "not found", never whose it is.
      if (b.connection !== undefined && !(await deps.presence.setVisible(agent.id, b.connection, b.visible!))) throw new ApiError('not_found', 'No such console connection.');
      if (b.choice) await deps.presence.choose(agent.id, b.choice);
      return reply.send({ agents: await deps.presence.list() });
    },
  );
}
