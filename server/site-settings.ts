import { randomBytes } from 'node:crypto';
import Type, { type Static } from 'typebox';
import { CONSENT_CATEGORIES, SurveyDefinition } from 'touchpoint/protocol';
import { checkSurveyLanguages } from './lib/check-survey-languages.js';
import { ApiError } from './lib/api-error.js';
import { checkJson, validate } from './lib/validate.js';
import { canonicalZone, siteZone } from './lib/site-time.js';
import { BusinessHours, describeHours, hoursFault } from './business-hours.js';
import { normalizeOrigin, type Site } from './sites.js';
import { integrationsOf } from './integrations/integrations-config.js';
import { QualifiedGoal } from './reports/definitions.js';

const Text = (maxLength: number, description?: string) => Type.String({ maxLength, ...(description ? { description } : {}) });
const Url = Type.String({ minLength: 1, maxLength: 2048, pattern: '^https?://', description: 'An http(s) URL.' });

export const FaqEntry = Type.Object(
  {
    keywords: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 20, description: 'Answers a message in which one of these starts a word.' }),
    answer: Type.String({ minLength: 1, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

/**
 * A site's settings: one document, one schema, for the console's Settings
 * (each section saved on its own: a body holds only the sections it changes)
 * and for the site file's import and export (`{ "sites": [{ key, …this }] }`).
 * Stored as the `sites` row's name and origins and top-level keys of its
 * `config`; keys this schema does not know (goals, retention…) are kept.
 */
export const SiteSettings = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    timeZone: Type.Optional(Type.String({ maxLength: 64, description: 'IANA time zone of the site\'s days (`Asia/Shanghai`); validated with Intl.' })),
    currency: Type.Optional(Type.Union([Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. `CNY`.' }), Type.Null()])),
    allowedOrigins: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 100 })),
    chat: Type.Optional(
      Type.Object(
        {
          greeting: Type.Optional(Text(500, 'The bot\'s first message.')),
          hours: Type.Optional(Type.Union([BusinessHours, Type.Null()])),
          businessHours: Type.Optional(Text(200, 'Legacy free text; read when `hours` is unset.')),
          offlineForm: Type.Optional(Type.Boolean({ description: 'Offer the e-mail form while no one is available (default true).' })),
          answers: Type.Optional(Type.Array(FaqEntry, { maxItems: 200, description: 'The bot\'s answers, first match wins; unset: the server\'s FAQ file.' })),
          fallback: Type.Optional(Text(2000, 'What the bot says when no answer matches.')),
        },
        { additionalProperties: false },
      ),
    ),
    consent: Type.Optional(
      Type.Object(
        {
          mode: Type.Union([Type.Literal('opt-in'), Type.Literal('opt-out'), Type.Literal('none')]),
          policyVersion: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Bump to ask every visitor again.' }),
          categories: Type.Array(Type.Enum(CONSENT_CATEGORIES), { minItems: 1, maxItems: CONSENT_CATEGORIES.length }),
          text: Type.Optional(Text(5000, 'The policy as the banner words it (kept with the version as proof).')),
        },
        { additionalProperties: false },
      ),
    ),
    qualified: Type.Optional(Type.Union([QualifiedGoal, Type.Null()], { description: 'What makes a customer qualified in attribution (docs/console.md#attribution); null: no such stage.' })),
    surveys: Type.Optional(Type.Array(SurveyDefinition, { maxItems: 50, description: 'Published surveys: served to browsers.' })),
    pausedSurveys: Type.Optional(Type.Array(SurveyDefinition, { maxItems: 50, description: 'Paused surveys: kept with their versions, served to no one.' })),
    integrations: Type.Optional(
      Type.Object(
        {
          forward: Type.Optional(Type.Array(Type.Object({ url: Url, writeKey: Type.Optional(Text(256)) }, { additionalProperties: false }), { maxItems: 10 })),
          webhooks: Type.Optional(
            Type.Array(Type.Object({ url: Url, secret: Type.Optional(Type.String({ minLength: 16, maxLength: 256 })), events: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }), { maxItems: 20 }),
          ),
          channels: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z0-9_-]{1,32}$' }), Type.Object({ secret: Type.Optional(Type.String({ minLength: 16, maxLength: 256 })), replyUrl: Url }, { additionalProperties: false }))),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, $id: 'SiteSettings' },
);
export type SiteSettings = Static<typeof SiteSettings>;

const currencies = new Set(Intl.supportedValuesOf('currency'));
const bad = (path: string, message: string): never => {
  throw new ApiError('invalid_body', `${path}: ${message}`, path);
};

/**
 * A keyword with no letter or digit ("?!") is empty once the bot folds a
 * message to words, and an empty keyword matches every message: refused,
 * at its path, here and in the bot's test box.
 */
export const checkAnswers = (answers: readonly { keywords: readonly string[] }[] | undefined, base: string): void =>
  answers?.forEach((a, i) =>
    a.keywords.forEach((k, j) => {
      if (!/[\p{L}\p{N}]/u.test(k)) bad(`${base}/${i}/keywords/${j}`, `"${k}" has no letter or digit, so it would match every message`);
    }),
  );

/**
 * Checks a settings document (the schema, then what a schema cannot say: a
 * zone Intl knows, an ISO 4217 code, origins, hours that close after they
 * open, unique survey ids), under `base` in error paths. Throws the first
 * fault as `invalid_body` with its JSON Pointer; writes nothing.
 */
export const checkSettings = (raw: unknown, base = ''): SiteSettings => {
  checkJson(raw);
  const s = validate(SiteSettings, raw, base);
  if (s.timeZone !== undefined) {
    // Stored in its canonical form (lib/site-time.ts): PostgreSQL does not know every name Intl accepts.
    const zone = canonicalZone(s.timeZone);
    if (!zone) bad(`${base}/timeZone`, `"${s.timeZone}" is not an IANA time zone (e.g. Asia/Shanghai, Europe/Berlin, UTC)`);
    else s.timeZone = zone;
  }
  if (typeof s.currency === 'string' && !currencies.has(s.currency)) bad(`${base}/currency`, `"${s.currency}" is not an ISO 4217 currency code (e.g. CNY, EUR, USD)`);
  s.allowedOrigins?.forEach((o, i) => {
    try {
      normalizeOrigin(o);
    } catch (e) {
      bad(`${base}/allowedOrigins/${i}`, (e as Error).message);
    }
  });
  checkAnswers(s.chat?.answers, `${base}/chat/answers`);
  const f = s.chat?.hours ? hoursFault(s.chat.hours) : undefined;
  if (f) bad(`${base}/chat/hours${f.path}`, f.message);
  if (s.consent && !s.consent.categories.includes('necessary')) bad(`${base}/consent/categories`, 'must include "necessary"');
  const ids = [...(s.surveys ?? []), ...(s.pausedSurveys ?? [])].map((x) => x.id);
  const dup = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  const n = s.surveys?.length ?? 0;
  if (dup >= 0) bad(dup < n ? `${base}/surveys/${dup}/id` : `${base}/pausedSurveys/${dup - n}/id`, `"${ids[dup]}" is the id of another survey`);
  for (const [list, name] of [[s.surveys, 'surveys'], [s.pausedSurveys, 'pausedSurveys']] as const) {
    list?.forEach((survey, i) => {
      const qids = survey.questions.map((q) => q.id);
      survey.questions.forEach((q, j) => {
        if (qids.indexOf(q.id) !== j) bad(`${base}/${name}/${i}/questions/${j}/id`, `"${q.id}" is the id of another question`);
        // A follow-up follows an earlier question: the survey shows questions in order.
        if (q.showIf && !qids.slice(0, j).includes(q.showIf.question)) bad(`${base}/${name}/${i}/questions/${j}/showIf/question`, `"${q.showIf.question}" is not an earlier question of this survey`);
        if ((q.type === 'single' || q.type === 'multi') && !q.options?.length) bad(`${base}/${name}/${i}/questions/${j}/options`, 'a choice question needs options');
      });
      checkSurveyLanguages(survey, `${base}/${name}/${i}`);
    });
  }
  return s;
};

const secret = () => randomBytes(24).toString('hex');

/**
 * The config change a settings document makes to `site`: each section given
 * replaces that key. Secrets the console never sees (webhook and channel
 * secrets, forward write keys) are kept from the stored integration of the
 * same URL or name, else made.
 */
export const configChange = (site: Site | undefined, s: SiteSettings): Record<string, unknown> => {
  const c: Record<string, unknown> = {};
  if (s.timeZone !== undefined) c.timeZone = s.timeZone;
  if (s.currency !== undefined) c.currency = s.currency;
  if (s.qualified !== undefined) c.qualified = s.qualified;
  if (s.chat) c.chat = Object.fromEntries(Object.entries(s.chat).filter(([, v]) => v !== null));
  if (s.consent) c.consent = s.consent;
  if (s.surveys) c.surveys = s.surveys;
  if (s.pausedSurveys) c.pausedSurveys = s.pausedSurveys;
  // The hours as one line in the site's zone, kept beside them for every reader of the older free-text shape (the panel, the hand-off message); re-made when the hours or the zone change.
  const chat = (c.chat ?? site?.config.chat) as { hours?: BusinessHours } | undefined;
  if (chat?.hours && (c.chat || s.timeZone !== undefined)) c.chat = { ...chat, businessHours: describeHours(chat.hours, s.timeZone ?? siteZone(site)) };
  else if (c.chat && !chat?.hours && site?.config.chat && (site.config.chat as { hours?: unknown }).hours) delete (c.chat as { businessHours?: string }).businessHours;
  if (s.integrations) {
    const old = integrationsOf(site);
    const i = s.integrations;
    c.integrations = {
      forward: (i.forward ?? old.forward).map((f) => ({ url: f.url, writeKey: f.writeKey ?? old.forward.find((o) => o.url === f.url)?.writeKey ?? '' })),
      webhooks: (i.webhooks ?? old.webhooks).map((w) => ({ url: w.url, events: w.events, secret: w.secret ?? old.webhooks.find((o) => o.url === w.url)?.secret ?? secret() })),
      channels: Object.fromEntries(Object.entries(i.channels ?? old.channels).map(([name, ch]) => [name, { replyUrl: ch.replyUrl, secret: ch.secret ?? old.channels[name]?.secret ?? secret() }])),
    };
  }
  return c;
};

/** The config keys a settings section owns. */
export const SETTINGS_SECTIONS = new Set(['timeZone', 'currency', 'qualified', 'chat', 'consent', 'surveys', 'pausedSurveys', 'integrations']);

/** A site's settings as the console shows them: secrets left out unless `withSecrets` (the owner's export). */
export const settingsOf = (site: Site, withSecrets = false): SiteSettings & { key: string; config?: Record<string, unknown> } => {
  const c = site.config as Record<string, unknown>;
  const i = integrationsOf(site);
  const out: SiteSettings & { key: string; config?: Record<string, unknown> } = { key: site.key, name: site.name, allowedOrigins: site.allowedOrigins };
  // Keys no settings section owns (goals, retention, sampling…) travel as the site file's `config`, so an export imports whole.
  const rest = Object.fromEntries(Object.entries(c).filter(([k]) => !SETTINGS_SECTIONS.has(k)));
  if (Object.keys(rest).length) out.config = rest;
  if (typeof c.timeZone === 'string') out.timeZone = c.timeZone;
  if (typeof c.currency === 'string') out.currency = c.currency;
  if (c.qualified) out.qualified = c.qualified as SiteSettings['qualified'];
  if (c.chat) out.chat = c.chat as SiteSettings['chat'];
  if (c.consent) out.consent = c.consent as SiteSettings['consent'];
  if (Array.isArray(c.surveys)) out.surveys = c.surveys as SiteSettings['surveys'];
  if (Array.isArray(c.pausedSurveys)) out.pausedSurveys = c.pausedSurveys as SiteSettings['pausedSurveys'];
  if (c.integrations) {
    out.integrations = withSecrets
      ? { forward: i.forward, webhooks: i.webhooks, channels: i.channels }
      : {
          forward: i.forward.map((f) => ({ url: f.url })),
          webhooks: i.webhooks.map((w) => ({ url: w.url, events: w.events })),
          channels: Object.fromEntries(Object.entries(i.channels).map(([n, ch]) => [n, { replyUrl: ch.replyUrl }])),
        };
  }
  return out;
};
