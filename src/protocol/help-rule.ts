import Type, { type Static } from 'typebox';
import { CHANNELS } from './constants.js';

const Count = (description: string) => Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description }));
/** At most half: equal groups measure best, and a larger holdout only withholds help without measuring it better. */
const Holdout = (description: string) => Type.Optional(Type.Number({ minimum: 0, maximum: 0.5, description }));

export const HelpRuleAction = Type.Union(
  [
    Type.Object(
      {
        kind: Type.Literal('chat'),
        message: Type.String({ minLength: 1, maxLength: 500, description: 'Shown as the first message of the opened chat panel.' }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('survey'),
        surveyId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'One of the site\'s surveys, shown now (its own eligibility still applies).' }),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('link'),
        text: Type.String({ minLength: 1, maxLength: 200, description: 'The toast\'s text.' }),
        url: Type.String({ minLength: 1, maxLength: 2048, pattern: '^(https?://|/)', description: 'Where its link goes: an http(s) URL or a path of the site.' }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'What the rule does: open the chat with a message, show a survey, or show a help link in a toast.' },
);
export type HelpRuleAction = Static<typeof HelpRuleAction>;

export const HelpRule = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Rule id, unique in the site; recorded with every firing.' }),
    when: Type.Object(
      {
        path: Type.Optional(Type.String({ minLength: 1, maxLength: 500, pattern: '^/', description: 'Page path pattern, `*` = any run of characters, the whole path must match.' })),
        event: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'An event tracked on this page view.' })),
        friction: Type.Optional(
          Type.Object(
            {
              rage: Count('Rage clicks on this page view.'),
              dead: Count('Dead clicks on this page view.'),
              error: Count('Error clicks on this page view.'),
            },
            { additionalProperties: false, description: 'Met when **any** of the counts is reached on this page view (e.g. 2 rage clicks or 1 error click).' },
          ),
        ),
        secondsOnPage: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600, description: 'At least this long on the page view.' })),
        cart: Type.Optional(
          Type.Object(
            {
              property: Type.String({ minLength: 1, maxLength: 100, description: 'A numeric event property, e.g. `cart_value`: its latest value in this session counts.' }),
              min: Type.Optional(Type.Number()),
              max: Type.Optional(Type.Number()),
            },
            { additionalProperties: false },
          ),
        ),
        identified: Type.Optional(Type.Boolean({ description: 'Only signed-in (true) or only anonymous (false) visitors.' })),
        channel: Type.Optional(
          Type.Object(
            {
              touch: Type.Union([Type.Literal('first'), Type.Literal('last')]),
              in: Type.Array(Type.Enum(CHANNELS), { minItems: 1, maxItems: CHANNELS.length }),
            },
            { additionalProperties: false, description: 'The visitor\'s first- or last-touch channel is one of these.' },
          ),
        ),
      },
      { additionalProperties: false, description: 'Every condition given must hold (friction: any of its counts).' },
    ),
    action: HelpRuleAction,
    maxPerSession: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'Firings per session (default 1).' })),
    holdout: Holdout(
      'Share of visitors (0 to 0.5) this rule is held out for: when it matches, nothing is shown, its caps are spent all the same and `Help Rule Held Out` is recorded, so the funnel compares them with those helped. Fixed per visitor and rule. Default: the settings\' `holdout`, else 0.',
    ),
  },
  { additionalProperties: false, $id: 'HelpRule', description: 'A real-time help rule, evaluated in the browser (docs/sdk.md#help-rules).' },
);
export type HelpRule = Static<typeof HelpRule>;

export const HelpSettings = Type.Object(
  {
    rules: Type.Array(HelpRule, { maxItems: 50 }),
    cooldownSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, description: 'After any rule fires, no other fires for this long (default 60).' })),
    holdout: Holdout('The holdout share of every rule that sets none (default 0: no holdout).'),
  },
  { additionalProperties: false, $id: 'HelpSettings', description: 'The site\'s real-time help rules and their global cooldown.' },
);
export type HelpSettings = Static<typeof HelpSettings>;
