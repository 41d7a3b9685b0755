import Type, { type Static } from 'typebox';
import { LIMITS, PROTOCOL_VERSION } from './constants.js';
import type { ConsentRecord } from './consent-record.js';
import type { Event } from './event.js';
import type { SurveyAnswer } from './survey.js';

/**
 * The envelope of `POST /v1/batch`. Items are validated one by one against
 * their own schema (by `type` for events), so that an error names the exact
 * item (`/batch/3/event`) and the SDK can drop that item alone and resend the rest.
 */
export const BatchRequest = Type.Object(
  {
    protocol: Type.Literal(PROTOCOL_VERSION, { description: 'Protocol version; a backend MUST refuse versions it does not speak.' }),
    siteKey: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Public site key, unless given as `?site=` in the URL.' })),
    sentAt: Type.String({ format: 'date-time', description: 'Client clock when this request was sent: the base of clock-skew correction.' }),
    batch: Type.Optional(
      Type.Array(Type.Unknown(), { maxItems: LIMITS.batchItems, description: 'Events (`TrackEvent`, `PageEvent`, `IdentifyEvent`, `AliasEvent`, `GroupEvent`).' }),
    ),
    consent: Type.Optional(Type.Array(Type.Unknown(), { maxItems: LIMITS.batchItems, description: '`ConsentRecord`s.' })),
    responses: Type.Optional(Type.Array(Type.Unknown(), { maxItems: LIMITS.batchItems, description: '`SurveyAnswer`s.' })),
  },
  { additionalProperties: false, $id: 'BatchRequest', description: 'Everything the browser sends, in one CORS-simple request.' },
);

/** The typed form the SDK builds. */
export interface Batch extends Omit<Static<typeof BatchRequest>, 'batch' | 'consent' | 'responses'> {
  batch?: Event[];
  consent?: ConsentRecord[];
  responses?: SurveyAnswer[];
}

export const BatchResponse = Type.Object(
  {
    accepted: Type.Integer({ description: 'Items stored by this request.' }),
    duplicates: Type.Integer({ description: 'Items already stored earlier (same `messageId` / `id`), acknowledged and not stored again.' }),
  },
  { additionalProperties: false, $id: 'BatchResponse', description: 'Answer to an accepted batch (HTTP 200).' },
);
export type BatchResponse = Static<typeof BatchResponse>;
