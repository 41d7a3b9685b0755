import Type, { type Static } from 'typebox';

/**
 * The optional admin read API (`Authorization: Bearer <admin token>`): what
 * the conformance kit needs to prove what a backend stored. A backend MAY
 * omit it; checks that need it are then skipped, and say so.
 */
export const StoredEvent = Type.Object(
  {
    messageId: Type.String(),
    type: Type.String(),
    timestamp: Type.String({ format: 'date-time', description: 'Skew-corrected time.' }),
    originalTimestamp: Type.String({ format: 'date-time', description: 'The client clock value as received.' }),
    receivedAt: Type.String({ format: 'date-time' }),
    verified: Type.Boolean({ description: 'Whether a valid `userHash` verified the identity on this event.' }),
    event: Type.Record(Type.String(), Type.Unknown(), { description: 'The event as stored.' }),
  },
  { additionalProperties: false, $id: 'StoredEvent', description: '`GET /v1/admin/sites/{siteKey}/events/{messageId}`: one stored event.' },
);
export type StoredEvent = Static<typeof StoredEvent>;

export const SiteStats = Type.Object(
  {
    events: Type.Integer({ description: 'Events stored for the site.' }),
    consentRecords: Type.Integer({ description: 'Consent records stored for the site.' }),
  },
  { additionalProperties: false, $id: 'SiteStats', description: '`GET /v1/admin/sites/{siteKey}/stats`: how much is stored, to prove a refused request wrote nothing.' },
);
export type SiteStats = Static<typeof SiteStats>;
