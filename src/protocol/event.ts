import Type, { type Static } from 'typebox';
import { Context } from './context.js';

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const Props = (description: string) => Type.Record(Type.String({ maxLength: 256 }), Type.Unknown(), { description });

/** Fields every event has, in the order of the Segment spec. */
const common = {
  messageId: Id('Unique per event, stable across retries: the idempotency key.'),
  anonymousId: Id('Visitor id before (and after) identification.'),
  userId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()], { description: 'Known user id, once identified.' })),
  timestamp: Type.String({ format: 'date-time', description: 'When the event happened, by the client clock (`originalTimestamp`).' }),
  sentAt: Type.Optional(Type.String({ format: 'date-time', description: 'Per-event send time; normally sent once per batch instead.' })),
  context: Type.Optional(Context),
  integrations: Type.Optional(Props('Segment compatibility: per-destination switches.')),
};

const strict = { additionalProperties: false } as const;

export const TrackEvent = Type.Object(
  {
    type: Type.Literal('track'),
    event: Type.String({ minLength: 1, maxLength: 256, description: 'Event name, e.g. `Order Completed`.' }),
    properties: Type.Optional(Props('Free-form event properties.')),
    ...common,
  },
  { ...strict, $id: 'TrackEvent', description: 'Something the visitor did.' },
);

export const PageEvent = Type.Object(
  {
    type: Type.Literal('page'),
    name: Type.Optional(Type.String({ maxLength: 256, description: 'Page name, if the site names its pages.' })),
    category: Type.Optional(Type.String({ maxLength: 256 })),
    properties: Type.Optional(Props('Page properties (the SDK copies url, path, title, referrer, search here as Segment does).')),
    ...common,
  },
  { ...strict, $id: 'PageEvent', description: 'A page view, including SPA route changes.' },
);

export const IdentifyEvent = Type.Object(
  {
    type: Type.Literal('identify'),
    traits: Type.Optional(Props('Traits of the user (email, name, plan…).')),
    userHash: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{64}$',
        description: 'Hex HMAC-SHA256 of `userId` keyed with the site secret, computed by the site backend. Makes the identity *verified*.',
      }),
    ),
    ...common,
  },
  { ...strict, $id: 'IdentifyEvent', description: 'Who the visitor is. `userId` is required.' },
);

export const AliasEvent = Type.Object(
  {
    type: Type.Literal('alias'),
    previousId: Type.String({ minLength: 1, maxLength: 256, description: 'The id being merged into `userId`.' }),
    userHash: IdentifyEvent.properties.userHash,
    ...common,
  },
  { ...strict, $id: 'AliasEvent', description: 'Merge two identities.' },
);

export const GroupEvent = Type.Object(
  {
    type: Type.Literal('group'),
    groupId: Type.String({ minLength: 1, maxLength: 256, description: 'Account, company or team id.' }),
    traits: Type.Optional(Props('Traits of the group.')),
    ...common,
  },
  { ...strict, $id: 'GroupEvent', description: 'Associate the user with a group.' },
);

export const EVENT_SCHEMAS = {
  track: TrackEvent,
  page: PageEvent,
  identify: IdentifyEvent,
  alias: AliasEvent,
  group: GroupEvent,
} as const;
export type EventType = keyof typeof EVENT_SCHEMAS;

export type TrackEvent = Static<typeof TrackEvent>;
export type PageEvent = Static<typeof PageEvent>;
export type IdentifyEvent = Static<typeof IdentifyEvent>;
export type AliasEvent = Static<typeof AliasEvent>;
export type GroupEvent = Static<typeof GroupEvent>;
/** Any event of the wire protocol. */
export type Event = TrackEvent | PageEvent | IdentifyEvent | AliasEvent | GroupEvent;
