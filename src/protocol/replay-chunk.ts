import Type, { type Static } from 'typebox';

/**
 * The query of `POST /v1/replay`: a chunk's identity travels in the URL so the
 * body can be the gzip bytes themselves (CORS-simple `text/plain`, no base64).
 */
export const ReplayChunkQuery = Type.Object(
  {
    site: Type.String({ minLength: 1, maxLength: 64, description: 'Site key.' }),
    session: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Session id (the same as `context.session.id` of events).' }),
    window: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Tab (window) id: a session can be recorded in several tabs.' }),
    seq: Type.String({ pattern: '^(0|[1-9][0-9]{0,8})$', description: 'Chunk number in its window: 0, 1, 2… The idempotency key with session and window.' }),
    first: Type.String({ pattern: '^[0-9]{1,15}$', description: 'Epoch ms of the chunk\'s first rrweb event.' }),
    last: Type.String({ pattern: '^[0-9]{1,15}$', description: 'Epoch ms of its last rrweb event.' }),
    anon: Type.Optional(Type.String({ maxLength: 64, description: 'Anonymous id of the visitor.' })),
    encoding: Type.Literal('gzip', { description: 'The body is gzip: required, and the only encoding.' }),
  },
  { additionalProperties: false, $id: 'ReplayChunkQuery', description: '`POST /v1/replay?…`: the body is the gzip of a JSON array of rrweb events.' },
);
export type ReplayChunkQuery = Static<typeof ReplayChunkQuery>;

export const ReplayChunkResponse = Type.Object(
  { stored: Type.Boolean({ description: 'False when this (session, window, seq) was already stored: acknowledged, not stored again.' }) },
  { additionalProperties: false, $id: 'ReplayChunkResponse' },
);
export type ReplayChunkResponse = Static<typeof ReplayChunkResponse>;
