import Type, { type Static } from 'typebox';
import { PROTOCOL_VERSION } from './constants.js';

export const VisitorTokenRequest = Type.Object(
  {
    protocol: Type.Literal(PROTOCOL_VERSION),
    siteKey: Type.String({ minLength: 1, maxLength: 64 }),
    anonymousId: Type.String({ minLength: 1, maxLength: 64, description: 'The visitor id the token is bound to.' }),
    userId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    userHash: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Required with `userId`.' })),
  },
  { additionalProperties: false, $id: 'VisitorTokenRequest', description: 'Ask for a visitor token (`POST /v1/visitor`).' },
);
export type VisitorTokenRequest = Static<typeof VisitorTokenRequest>;

export const VisitorTokenResponse = Type.Object(
  {
    token: Type.String({ description: 'Opaque bearer token; send as `?token=` (SSE) or `token` in the body. Never log it.' }),
    expiresAt: Type.String({ format: 'date-time' }),
    verified: Type.Boolean({ description: 'True when the token also carries a verified `userId`.' }),
  },
  { additionalProperties: false, $id: 'VisitorTokenResponse' },
);
export type VisitorTokenResponse = Static<typeof VisitorTokenResponse>;
