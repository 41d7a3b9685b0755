import Type, { type Static } from 'typebox';
import { CategoryPreferences } from './context.js';
import { CONSENT_METHODS } from './constants.js';

export { CONSENT_METHODS, type ConsentMethod } from './constants.js';



export const ConsentRecord = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, description: 'Unique per decision: the idempotency key.' }),
    anonymousId: Type.String({ minLength: 1, maxLength: 64, description: 'Visitor the decision belongs to.' }),
    userId: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
    timestamp: Type.String({ format: 'date-time', description: 'When the visitor decided (client clock, skew-corrected like events).' }),
    policyVersion: Type.String({ minLength: 1, maxLength: 64, description: 'Version of the consent policy shown.' }),
    mode: Type.Union([Type.Literal('opt-in'), Type.Literal('opt-out'), Type.Literal('none')], {
      description: '`opt-in` (GDPR), `opt-out` (CCPA/CPRA) or `none`.',
    }),
    categories: CategoryPreferences,
    method: Type.Enum(CONSENT_METHODS, {
        description:
        '`banner`: a click in the banner; `api`: `touchpoint.consent.set()`; `gpc`: derived from Global Privacy Control; `default`: the mode\'s default applied without a decision; `carried`: the decision this device already held, recorded again: for the new anonymous id after `reset()` (logout), or under the site\'s consent policy version when the visitor decided on a page that did not know it yet (docs/consent.md).',
    }),
    locale: Type.Optional(Type.String({ maxLength: 64, description: 'Language the banner was shown in.' })),
    url: Type.Optional(Type.String({ maxLength: 4096, description: 'Page where the decision was made.' })),
    gpc: Type.Optional(Type.Boolean({ description: 'Whether the browser sent Global Privacy Control.' })),
    textHash: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 (hex) of the banner text shown: proof of what the visitor read (EDPB guidance).' })),
    library: Type.Optional(Type.String({ maxLength: 32, description: 'SDK version that recorded the decision.' })),
  },
  { additionalProperties: false, $id: 'ConsentRecord', description: 'Proof of one consent decision or withdrawal. Stored append-only.' },
);
export type ConsentRecord = Static<typeof ConsentRecord>;
