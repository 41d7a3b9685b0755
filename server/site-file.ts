import { readFileSync } from 'node:fs';
import Type from 'typebox';
import { SurveyDefinition } from 'touchpoint/protocol';
import { validate } from './lib/validate.js';
import type { Sites } from './sites.js';

const SiteFile = Type.Object({
  sites: Type.Array(
    Type.Object({
      key: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
      name: Type.String({ minLength: 1, maxLength: 200 }),
      allowedOrigins: Type.Optional(Type.Array(Type.String())),
      config: Type.Optional(Type.Object({ surveys: Type.Optional(Type.Array(SurveyDefinition)) }, { additionalProperties: true })),
    }),
  ),
});

/**
 * Creates or updates the sites listed in a JSON file (their public config:
 * consent policy, chat, survey definitions). A bad file stops the server at
 * start with the exact path of the mistake, never half-applied.
 */
export async function applySiteFile(sites: Sites, path: string): Promise<string[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`, { cause: e });
  }
  let file;
  try {
    file = validate(SiteFile, raw);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`, { cause: e });
  }
  for (const s of file.sites) await sites.configure(s.key, s.name, s.allowedOrigins ?? ['*'], s.config ?? {});
  return file.sites.map((s) => s.key);
}
