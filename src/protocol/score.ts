import type { QuestionType } from './constants.js';
import { SCALES } from './scales.js';

/** How many answers gave each value: `{ 7: 12, 6: 30, … }` or `{ very: 4, … }`. */
export type Histogram = Record<string, number>;

export interface Score {
  /** Answers counted. */
  n: number;
  /** The headline figure, in its own unit (see `unit`); `null` with no answers. */
  score: number | null;
  /** What `score` is: a share of answers in %, or the NPS (−100…100). */
  unit: '%' | 'nps';
  /** Mean answer on the question's own scale; `null` for categorical types. */
  mean: number | null;
  /** Answers per value, as given. */
  histogram: Histogram;
}

/**
 * The headline of each scored type, as defined in docs/surveys.md:
 * CES 2.0 — share of 5–7 ("agree" that it was easy); CSAT — share of 4–5;
 * NPS — % promoters (9–10) − % detractors (0–6); CLI parts — the same NPS
 * arithmetic on their 0–10 scale; "would you miss us" — share of "very".
 */
const RULES: Partial<Record<QuestionType, (v: string) => number>> = {
  ces: (v) => +(+v >= 5),
  csat: (v) => +(+v >= 4),
  nps: (v) => (+v >= 9 ? 1 : +v <= 6 ? -1 : 0),
  cli_buy: (v) => (+v >= 9 ? 1 : +v <= 6 ? -1 : 0),
  cli_try: (v) => (+v >= 9 ? 1 : +v <= 6 ? -1 : 0),
  miss: (v) => +(v === 'very'),
};

/** Values outside a type's scale are not counted (a bad answer never bends a score). */
const valid = (type: QuestionType, v: string): boolean => {
  const scale = SCALES[type];
  if (scale) return /^-?\d+$/.test(v) && +v >= scale[0] && +v <= scale[1];
  return type !== 'miss' || v === 'very' || v === 'somewhat' || v === 'not';
};

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Scores one question from the histogram of its answers. `null` for unscored types (choices, text). */
export const scoreQuestion = (type: QuestionType, histogram: Histogram): Score | null => {
  const rule = RULES[type];
  if (!rule) return null;
  let n = 0;
  let points = 0;
  let sum = 0;
  const kept: Histogram = {};
  for (const [v, count] of Object.entries(histogram)) {
    if (!valid(type, v) || !(count > 0)) continue;
    kept[v] = count;
    n += count;
    points += rule(v) * count;
    sum += +v * count;
  }
  const scaled = SCALES[type];
  return {
    n,
    score: n ? round1((100 * points) / n) : null,
    unit: type === 'ces' || type === 'csat' || type === 'miss' ? '%' : 'nps',
    mean: n && scaled ? Math.round((100 * sum) / n) / 100 : null,
    histogram: kept,
  };
};

/**
 * Customer Loyalty Index of one response: the mean of its three 0–10 answers
 * (recommend, buy again, try other products); `undefined` unless all three were given.
 */
export const cliOf = (nps?: number, buy?: number, tryOther?: number): number | undefined =>
  nps === undefined || buy === undefined || tryOther === undefined ? undefined : (nps + buy + tryOther) / 3;

/**
 * What counts as a low score worth reviewing (the "hard to use" list): a score
 * at or below the number, or exactly the string. One table for the SDK's
 * replay trigger and the console's SQL.
 */
export const LOW_SCORES: Partial<Record<QuestionType, number | string>> = { ces: 3, csat: 2, nps: 6, cli_buy: 6, cli_try: 6, miss: 'not' };

/** Whether an answer counts as a low score. */
export const isLowScore = (type: QuestionType, value: unknown): boolean => {
  const low = LOW_SCORES[type];
  return typeof low === 'number' ? +(value as number) <= low : low !== undefined && value === low;
};
