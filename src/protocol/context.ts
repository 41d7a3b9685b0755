import Type, { type Static } from 'typebox';
import { CHANNELS } from './constants.js';

export { CHANNELS, CONSENT_CATEGORIES, type Channel, type ConsentCategory } from './constants.js';

const Str = (maxLength: number, description: string) => Type.String({ maxLength, description });

export const PageContext = Type.Object(
  {
    url: Str(4096, 'Full URL, with PII query values scrubbed by the SDK.'),
    path: Str(2048, '`location.pathname`.'),
    search: Type.Optional(Str(2048, '`location.search`, scrubbed.')),
    hash: Type.Optional(Str(2048, '`location.hash`, kept for hash-routed apps.')),
    title: Type.Optional(Str(1024, '`document.title`.')),
    referrer: Type.Optional(Str(4096, '`document.referrer`, or the previous URL after an SPA navigation.')),
  },
  { description: 'Where the event happened (Segment `context.page`).' },
);
export type PageContext = Static<typeof PageContext>;

export const Campaign = Type.Object(
  {
    name: Type.Optional(Str(512, '`utm_campaign`.')),
    source: Type.Optional(Str(512, '`utm_source`.')),
    medium: Type.Optional(Str(512, '`utm_medium`.')),
    term: Type.Optional(Str(512, '`utm_term`.')),
    content: Type.Optional(Str(512, '`utm_content`.')),
  },
  { description: 'UTM parameters of the current page, as in the Segment spec.' },
);



export const Touch = Type.Object(
  {
    channel: Type.Enum(CHANNELS, { description: 'GA4 default channel group, as classified by the SDK.' }),
    source: Type.Optional(Str(512, 'utm_source, or the referrer host.')),
    medium: Type.Optional(Str(512, 'utm_medium, or `organic` / `referral` / `(none)`.')),
    campaign: Type.Optional(Str(512, 'utm_campaign.')),
    term: Type.Optional(Str(512, 'utm_term.')),
    content: Type.Optional(Str(512, 'utm_content.')),
    clickIdType: Type.Optional(Str(32, 'Which ad click id was on the landing URL (`gclid`, `fbclid`, …).')),
    clickId: Type.Optional(Str(512, 'Its value.')),
    referrer: Type.Optional(Str(4096, 'Referring URL, if any.')),
    landingPage: Type.Optional(Str(4096, 'URL of the first page of the touch.')),
    timestamp: Type.String({ format: 'date-time', description: 'When the touch happened (client clock).' }),
  },
  { description: 'One marketing touch: how a visit arrived.' },
);
export type Touch = Static<typeof Touch>;

export const Attribution = Type.Object(
  {
    first: Type.Optional(Touch),
    session: Type.Optional(Touch),
    last: Type.Optional(Touch),
  },
  {
    description:
      'Touchpoint addition. `first`: the first touch ever seen for this visitor; `session`: the entry touch of the current session; `last`: the latest non-direct touch (last non-direct click).',
  },
);
export type Attribution = Static<typeof Attribution>;



export const CategoryPreferences = Type.Record(Type.String({ maxLength: 64 }), Type.Boolean(), {
  description: 'Category name → granted. The five standard names are `necessary`, `functional`, `analytics`, `replay`, `marketing`; sites MAY add their own.',
});

export const Context = Type.Object(
  {
    page: Type.Optional(PageContext),
    campaign: Type.Optional(Campaign),
    userAgent: Type.Optional(Str(1024, '`navigator.userAgent`.')),
    userAgentData: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'UA Client Hints, where available.' })),
    locale: Type.Optional(Str(64, 'BCP 47 language tag of the browser.')),
    timezone: Type.Optional(Str(64, 'IANA time zone.')),
    screen: Type.Optional(
      Type.Object({ width: Type.Number(), height: Type.Number(), density: Type.Optional(Type.Number()) }),
    ),
    library: Type.Optional(Type.Object({ name: Str(64, 'Library name.'), version: Str(32, 'Library version.') })),
    session: Type.Optional(
      Type.Object(
        {
          id: Str(64, 'Session id (30 min idle, 24 h cap).'),
          windowId: Type.Optional(Str(64, 'Per-tab id.')),
          start: Type.Optional(Type.Boolean({ description: 'True on the first event of the session.' })),
        },
        { description: 'Touchpoint addition: the session the event belongs to; also the replay key.' },
      ),
    ),
    attribution: Type.Optional(Attribution),
    consent: Type.Optional(
      Type.Object(
        {
          categoryPreferences: CategoryPreferences,
          policyVersion: Type.Optional(Str(64, 'Consent policy version the decision was made under.')),
        },
        { description: 'Consent state when the event was made (Segment consent spec).' },
      ),
    ),
    bot: Type.Optional(
      Str(64, 'Touchpoint addition: why the SDK believes the client is automated (`webdriver`, `headless`, `crawler`). Flagged, never dropped.'),
    ),
  },
  { description: 'Facts about the visitor and page at the time of the event. Unknown keys are allowed (Segment compatibility).' },
);
export type Context = Static<typeof Context>;
