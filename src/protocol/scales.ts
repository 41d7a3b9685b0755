import type { QuestionType } from './constants.js';

// Its own module, not constants.ts: the SDK's entry chunk holds constants.ts,
// and survey scales are needed only by the lazy survey and replay chunks.

/** The scale of each scored question type: never mixed, never inferred from a generic "rating". */
export const SCALES: Partial<Record<QuestionType, readonly [min: number, max: number]>> = {
  ces: [1, 7],
  csat: [1, 5],
  nps: [0, 10],
  cli_buy: [0, 10],
  cli_try: [0, 10],
};
