import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Type from 'typebox';
import { HelpSettings, SurveyDefinition } from 'touchpoint/protocol';
import { checkHelpSettings } from './help-rules/check-help-settings.js';
import { ApiError } from './lib/api-error.js';
import { checkJson, validate } from './lib/validate.js';
import { checkSettings, configChange, SETTINGS_SECTIONS, settingsOf, type SiteSettings } from './site-settings.js';
import type { Site, Sites } from './sites.js';

/**
 * The site file: `{ "sites": [{ "key", …settings }] }`, each entry the same
 * settings document the console saves (server/site-settings.ts) — so an
 * export imports as is. `config` is the older form (a raw site config: chat,
 * surveys, integrations, goals, retention…), still read; its keys are
 * overridden by the settings beside it.
 */
const Entry = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    config: Type.Optional(Type.Object({ surveys: Type.Optional(Type.Array(SurveyDefinition)) }, { additionalProperties: true })),
  },
  { additionalProperties: true },
);
const SiteFile = Type.Object({ $comment: Type.Optional(Type.String()), sites: Type.Array(Entry, { maxItems: 1000 }) }, { additionalProperties: false });

export interface SiteFileEntry {
  key: string;
  name: string;
  allowedOrigins: string[];
  config: Record<string, unknown>;
  /** Of the entry as written: an unchanged entry is not applied again at start. */
  hash: string;
}

/** Reads and checks a whole site file before anything is written: the first mistake is named by its path (`/sites/1/timeZone`). */
export const parseSiteFile = (raw: unknown): SiteFileEntry[] => {
  checkJson(raw);
  const file = validate(SiteFile, raw);
  const keys = new Set<string>();
  return file.sites.map((e, i) => {
    if (keys.has(e.key)) throw new ApiError('invalid_body', `/sites/${i}/key: "${e.key}" is listed twice`, `/sites/${i}/key`);
    keys.add(e.key);
    const { key, config, ...rest } = e as { key: string; config?: Record<string, unknown> } & Record<string, unknown>;
    // The older form's sections are the settings' own (chat, consent, surveys…): checked by the same
    // schema, so an import can store nothing the site config route or the bot would choke on.
    const older = Object.fromEntries(Object.entries(config ?? {}).filter(([k]) => SETTINGS_SECTIONS.has(k) && !(k in rest)));
    const s: SiteSettings = checkSettings({ ...older, ...rest }, `/sites/${i}`);
    if (config?.help !== undefined) checkHelpSettings(validate(HelpSettings, config.help, `/sites/${i}/config/help`), { ...config, ...configChange(undefined, s) });
    if (!s.name) throw new ApiError('invalid_body', `/sites/${i}/name: a site needs a name`, `/sites/${i}/name`);
    return {
      key,
      name: s.name,
      allowedOrigins: s.allowedOrigins ?? ['*'],
      config: { ...(config ?? {}), ...configChange(undefined, s) },
      hash: createHash('sha256').update(JSON.stringify(e)).digest('hex'),
    };
  });
};

/**
 * Applies a site file at start: creates the sites it lists and updates those
 * whose entry changed since it was last applied. An entry unchanged since then
 * is left alone, so what owners saved in the console survives a restart; edit
 * the file (or import it in the console) to make it win again. A bad file
 * stops the server with the exact path of the mistake, never half-applied.
 */
export async function applySiteFile(sites: Sites, path: string): Promise<string[]> {
  let entries: SiteFileEntry[];
  try {
    entries = parseSiteFile(JSON.parse(readFileSync(path, 'utf8')));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`, { cause: e });
  }
  for (const e of entries) await sites.applyFileEntry(e);
  return entries.map((e) => e.key);
}

/** The export: the same file shape, secrets of integrations included (an owner's backup; the site secret never is). */
export const exportSiteFile = (list: Site[]): { sites: ReturnType<typeof settingsOf>[] } => ({ sites: list.map((s) => settingsOf(s, true)) });
