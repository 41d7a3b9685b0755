import Type, { type Static } from 'typebox';
import { PROTOCOL_VERSION } from './constants.js';
import { SurveyDefinition } from './survey.js';
import { HelpSettings } from './help-rule.js';

export const SiteConfig = Type.Object(
  {
    protocol: Type.Literal(PROTOCOL_VERSION),
    siteKey: Type.String(),
    consent: Type.Object(
      {
        mode: Type.Union([Type.Literal('opt-in'), Type.Literal('opt-out'), Type.Literal('none')]),
        policyVersion: Type.String({ description: 'Bump to re-prompt every visitor.' }),
        categories: Type.Array(Type.String(), { description: 'Categories the banner asks about (always includes `necessary`).' }),
      },
      { description: 'Consent policy of the site.' },
    ),
    sampling: Type.Object(
      {
        replay: Type.Number({ minimum: 0, maximum: 1, description: 'Share of sessions recorded in full.' }),
        replayOnError: Type.Number({ minimum: 0, maximum: 1, description: 'Share of sessions kept in the on-error ring buffer.' }),
      },
      { description: 'Sampling rates.' },
    ),
    chat: Type.Optional(
      Type.Object(
        {
          greeting: Type.Optional(Type.String({ description: 'The bot\'s first message, also shown in an empty panel before the visitor writes.' })),
          businessHours: Type.Optional(Type.String({ description: 'Human-readable, e.g. `Mon–Fri 9:00–17:00 CET`: shown in the panel while no one is online and beside the offline email form.' })),
          online: Type.Optional(Type.Boolean({ description: 'Whether an agent is available now (filled in by the server at request time).' })),
        },
        { description: 'Chat panel settings.' },
      ),
    ),
    surveys: Type.Optional(Type.Array(SurveyDefinition, { description: 'Active survey definitions.' })),
    help: Type.Optional(HelpSettings),
  },
  { $id: 'SiteConfig', description: 'Public configuration of a site (`GET /v1/sites/{siteKey}/config`), cacheable for a minute (chat presence is live).' },
);
export type SiteConfig = Static<typeof SiteConfig>;
