import Type, { type Static } from 'typebox';
import { QUESTION_TYPES } from './constants.js';

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description });

export const Question = Type.Object(
  {
    id: Id('Question id, unique in its survey.'),
    type: Type.Enum(QUESTION_TYPES, { description: 'See the scales in docs/surveys.md. `miss` answers are `very`, `somewhat`, `not`.' }),
    prompt: Type.Optional(Type.String({ maxLength: 500, description: 'Question text; for `ces`, `{brand}` and `{task}` are filled from the survey.' })),
    options: Type.Optional(
      Type.Array(Type.Object({ id: Id('Option id (the stored value).'), label: Type.String({ maxLength: 200 }) }), { maxItems: 20, description: '`single` / `multi` choices.' }),
    ),
    required: Type.Optional(Type.Boolean({ description: 'Default true for scored types, false for `text`.' })),
    showIf: Type.Optional(
      Type.Object(
        {
          question: Id('An earlier question.'),
          max: Type.Optional(Type.Number({ description: 'Show when its answer is ≤ max.' })),
          min: Type.Optional(Type.Number({ description: 'Show when its answer is ≥ min.' })),
          in: Type.Optional(Type.Array(Type.String(), { description: 'Show when its answer is one of these.' })),
        },
        { description: 'Conditional follow-up, e.g. CES ≤ 3 → "What made it hard?".' },
      ),
    ),
  },
  { additionalProperties: false, $id: 'Question' },
);
export type Question = Static<typeof Question>;

/**
 * A BCP 47 language tag in its canonical case (`zh-Hant`, `ar`, `pt-BR`); the
 * server also refuses a tag `Intl.getCanonicalLocales` does not write the same.
 */
export const LANGUAGE_TAG = '^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$';
const Tag = (description: string) => Type.String({ minLength: 2, maxLength: 35, pattern: LANGUAGE_TAG, description });

/** The same limits as the default texts they translate. */
export const SurveyTranslation = Type.Object(
  {
    brand: Type.Optional(Type.String({ maxLength: 100 })),
    task: Type.Optional(Type.String({ maxLength: 200 })),
    thankYou: Type.Optional(Type.String({ maxLength: 500 })),
    questions: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }),
        Type.Object(
          {
            prompt: Type.Optional(Type.String({ maxLength: 500 })),
            options: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }), Type.String({ maxLength: 200 }), { additionalProperties: false, description: 'Option id → label.' })),
          },
          { additionalProperties: false },
        ),
        { additionalProperties: false, description: 'Question id → its prompt and option labels (follow-ups are questions too).' },
      ),
    ),
  },
  {
    additionalProperties: false,
    $id: 'SurveyTranslation',
    description: 'The texts of a survey in one more language. A text left out shows in the default language; built-in texts (default prompts, scale labels, buttons) come from the element\'s own tables.',
  },
);
export type SurveyTranslation = Static<typeof SurveyTranslation>;

export const SurveyDefinition = Type.Object(
  {
    id: Id('Survey id.'),
    version: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Bump when questions change; answers carry it, so scores never mix versions.' }),
    brand: Type.Optional(Type.String({ maxLength: 100, description: 'For the CES statement: "{brand} made it easy for me to {task}".' })),
    task: Type.Optional(Type.String({ maxLength: 200 })),
    questions: Type.Array(Question, { minItems: 1, maxItems: 20 }),
    presentation: Type.Optional(Type.Union([Type.Literal('floating'), Type.Literal('inline')], { description: 'Corner card (default) or placed by the page.' })),
    trigger: Type.Optional(
      Type.Object(
        {
          event: Type.Optional(Type.String({ maxLength: 256, description: 'A tracked event name, in the current session only.' })),
          chatClosed: Type.Optional(Type.Boolean({ description: 'When a chat conversation is closed by an agent.' })),
          url: Type.Optional(Type.String({ maxLength: 512, description: 'URL path pattern (`*` wildcard) that triggers after `delayMs`.' })),
          delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
          exitIntent: Type.Optional(Type.Boolean({ description: 'Pointer leaving the top of the window (desktop).' })),
        },
        { additionalProperties: false },
      ),
    ),
    targeting: Type.Optional(
      Type.Object(
        {
          url: Type.Optional(Type.String({ maxLength: 512 })),
          identified: Type.Optional(Type.Boolean()),
          traits: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
        },
        { additionalProperties: false },
      ),
    ),
    sampleRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Share of visitors, stable per visitor and survey (a hash, not a roll per trigger).' })),
    cooldownDays: Type.Optional(Type.Number({ minimum: 0, description: 'Global cooldown after any survey (default 14).' })),
    repeat: Type.Optional(Type.Boolean({ description: 'Ask again after the cooldown (default: once per visitor).' })),
    thankYou: Type.Optional(Type.String({ maxLength: 500 })),
    defaultLanguage: Type.Optional(Tag('Language of the texts above (default `en`). With it or `translations`, the survey shows only in its own languages, its buttons too.')),
    translations: Type.Optional(
      Type.Record(Type.String({ pattern: LANGUAGE_TAG, maxLength: 35 }), SurveyTranslation, {
        additionalProperties: false,
        maxProperties: 20,
        description: 'Language tag → `SurveyTranslation`. The element shows the best match for the visitor (its `locale`, `<html lang>`, the browser\'s languages; `zh-TW` → `zh-Hant`), else the default language.',
      }),
    ),
  },
  { additionalProperties: false, $id: 'SurveyDefinition', description: 'A survey, served in the site config (server → browser).' },
);
export type SurveyDefinition = Static<typeof SurveyDefinition>;

export const SurveyAnswer = Type.Object(
  {
    responseId: Id('One showing of a survey to a visitor. Answers of one showing share it.'),
    surveyId: Id('Survey id.'),
    surveyVersion: Type.Integer({ minimum: 1, maximum: 2147483647 }),
    questionId: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^([$]dismissed|[A-Za-z0-9_.:-]+)$',
      description: 'The question answered, or `$dismissed` when the visitor closed the survey.',
    }),
    value: Type.Optional(
      Type.Union([Type.Number(), Type.String({ maxLength: 5000 }), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 })], {
        description: 'Score, option id(s) or text; absent for `$dismissed` and for a skipped optional question.',
      }),
    ),
    anonymousId: Type.String({ minLength: 1, maxLength: 64 }),
    userId: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
    timestamp: Type.String({ format: 'date-time' }),
    sessionId: Type.Optional(Type.String({ maxLength: 64, description: 'Links the answer to the session replay.' })),
    replayTimestamp: Type.Optional(Type.Integer({ minimum: 0, maximum: 253402300799999, description: 'Epoch ms into the replay where the answer was given (at most 9999-12-31).' })),
    conversationId: Type.Optional(Type.String({ maxLength: 64, description: 'When a closed chat conversation triggered the survey.' })),
    url: Type.Optional(Type.String({ maxLength: 4096 })),
    locale: Type.Optional(Type.String({ maxLength: 64, description: 'The language the survey was shown in (a `translations` tag or its default language); reports split by it.' })),
    final: Type.Optional(Type.Boolean({ description: 'The last answer of the showing (the visitor finished).' })),
  },
  {
    additionalProperties: false,
    $id: 'SurveyAnswer',
    description: 'One answer, sent as soon as it is given (a closed tab keeps the answered steps). Idempotent per (responseId, questionId).',
  },
);
export type SurveyAnswer = Static<typeof SurveyAnswer>;
