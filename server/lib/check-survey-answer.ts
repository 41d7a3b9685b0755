import { SCALES, type SurveyAnswer, type SurveyDefinition } from 'touchpoint/protocol';
import type { Site } from '../sites.js';
import { ApiError } from './api-error.js';

const MISS = ['very', 'somewhat', 'not'];

/**
 * An answer against its survey's definition in the site config
 * (docs/protocol.md §3.5): a question of the current version must exist and
 * the value fit its type (a CES is an integer 1–7, never 999). An answer to a
 * survey the site does not define, or to an older version (whose questions
 * the server no longer has), is stored as sent; a version newer than the
 * site's is refused.
 */
export function checkSurveyAnswer(site: Site, a: SurveyAnswer, path: string): void {
  const defs = (Array.isArray(site.config.surveys) ? site.config.surveys : []) as SurveyDefinition[];
  const def = defs.find((d) => d.id === a.surveyId);
  if (!def) return;
  const bad = (field: string, why: string) => new ApiError('invalid_body', `${path}/${field}: ${why}`, `${path}/${field}`);
  if (a.surveyVersion > def.version) throw bad('surveyVersion', `survey "${def.id}" is at version ${def.version}`);
  if (a.surveyVersion < def.version) return;
  if (a.questionId === '$dismissed') {
    if (a.value !== undefined) throw bad('value', 'a dismissal has no value');
    return;
  }
  const q = def.questions.find((x) => x.id === a.questionId);
  if (!q) throw bad('questionId', `survey "${def.id}" version ${def.version} has no question "${a.questionId}"`);
  const v = a.value;
  if (v === undefined) return;
  const scale = Object.hasOwn(SCALES, q.type) ? SCALES[q.type] : undefined;
  const options = q.options?.map((o) => o.id);
  if (scale) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < scale[0] || v > scale[1]) throw bad('value', `a ${q.type} answer is an integer from ${scale[0]} to ${scale[1]}`);
  } else if (q.type === 'miss') {
    if (typeof v !== 'string' || !MISS.includes(v)) throw bad('value', `a miss answer is one of ${MISS.join(', ')}`);
  } else if (q.type === 'single') {
    if (typeof v !== 'string' || (options && !options.includes(v))) throw bad('value', 'a single-choice answer is one option id of the question');
  } else if (q.type === 'multi') {
    if (!Array.isArray(v) || (options && v.some((x) => !options.includes(x)))) throw bad('value', 'a multiple-choice answer is an array of option ids of the question');
  } else if (typeof v !== 'string') {
    throw bad('value', 'a text answer is a string');
  }
}
