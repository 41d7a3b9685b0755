import type { Score } from 'touchpoint/protocol';

/** Each scored question type's name in the console (the survey results and the funnel's steps). */
export const NAMES: Record<string, string> = {
  ces: 'CES',
  csat: 'CSAT',
  nps: 'NPS',
  cli_buy: 'Buy again (NPS scale)',
  cli_try: 'Try other products (NPS scale)',
  miss: 'Would miss us',
};
/** What each headline figure means, in words (scales are never mixed: each has its own). */
export const MEANING: Record<string, string> = {
  ces: '% answering 5–7 (easy)',
  csat: '% answering 4–5 (satisfied)',
  nps: '% promoters − % detractors',
  cli_buy: '% 9–10 − % 0–6',
  cli_try: '% 9–10 − % 0–6',
  miss: '% very disappointed',
};

/** A headline figure as shown: `72%`, or an NPS with its sign (`+12`); `—` with no answers. */
export const fmt = (s: Score) => (s.score === null ? '—' : s.unit === 'nps' ? `${s.score > 0 ? '+' : ''}${s.score}` : `${s.score}%`);
