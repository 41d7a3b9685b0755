import type { SurveyDefinition } from 'touchpoint/protocol';
import { ApiError } from './api-error.js';
import { pointer } from './validate.js';

/** The tag Intl writes for `tag`, or undefined when it is no language tag at all. */
const canonical = (tag: string): string | undefined => {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
};

/**
 * What the schema cannot say about a survey's languages (docs/surveys.md#languages):
 * each tag is one Intl writes the same (`he`, not the retired `iw`), no
 * translation repeats the default language, and a translation names only
 * questions and options the survey has (a misspelt id would translate
 * nothing, silently). Throws `invalid_body` at the first fault's path under
 * `base` (the survey's own pointer).
 */
export const checkSurveyLanguages = (survey: SurveyDefinition, base: string): void => {
  const bad = (path: string, why: string) => {
    throw new ApiError('invalid_body', `${path}: ${why}`, path);
  };
  const own = survey.defaultLanguage ?? 'en';
  if (survey.defaultLanguage !== undefined && canonical(own) !== own) bad(`${base}/defaultLanguage`, `"${own}" is not a language tag as Intl writes it (e.g. en, zh-Hant, ar)`);
  for (const [tag, t] of Object.entries(survey.translations ?? {})) {
    const at = pointer(`${base}/translations`, tag);
    const c = canonical(tag);
    if (c !== tag) bad(at, c ? `"${tag}" is written "${c}"` : `"${tag}" is not a language tag (e.g. zh-Hant, ar, ro)`);
    if (tag === own) bad(at, `"${tag}" is the survey's default language: its texts are the survey's own`);
    for (const [qid, qt] of Object.entries(t.questions ?? {})) {
      const q = survey.questions.find((x) => x.id === qid);
      if (!q) bad(pointer(`${at}/questions`, qid), `"${qid}" is not a question of this survey`);
      for (const oid of Object.keys(qt.options ?? {})) {
        if (!q!.options?.some((o) => o.id === oid)) bad(pointer(`${at}/questions/${qid}/options`, oid), `"${oid}" is not an option of question "${qid}"`);
      }
    }
  }
};
