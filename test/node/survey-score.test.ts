import { describe, expect, it } from 'vitest';
import { cliOf, isLowScore, scoreQuestion } from '../../src/protocol/score.js';
import { ineligible, matchPath, sampleSlot } from '../../src/survey/eligibility.js';
import type { SurveyDefinition } from '../../src/protocol/survey.js';

describe('survey scoring (hand-computed tables)', () => {
  it.each([
    // CES 2.0: share of 5–7; mean on the 1–7 scale.
    ['ces', { 1: 1, 2: 1, 3: 2, 4: 1, 5: 2, 6: 2, 7: 1 }, 10, 50, 4.2], // (1+2+6+4+10+12+7)/10
    ['ces', { 7: 3 }, 3, 100, 7],
    // CSAT: share of 4–5.
    ['csat', { 1: 1, 2: 1, 3: 1, 4: 3, 5: 2 }, 8, 62.5, 3.5],
    // NPS: 5 promoters, 3 passives, 2 detractors of 10 → 50 − 20 = 30.
    ['nps', { 10: 3, 9: 2, 8: 2, 7: 1, 6: 1, 0: 1 }, 10, 30, 7.7], // (30+18+16+7+6)/10
    ['nps', { 0: 4 }, 4, -100, 0],
    // "Would you miss us": share of "very disappointed" (Sean Ellis test).
    ['miss', { very: 2, somewhat: 3, not: 3 }, 8, 25, null],
  ] as const)('%s %j → n %d, score %d, mean %s', (type, hist, n, score, mean) => {
    const s = scoreQuestion(type, hist)!;
    expect(s.n).toBe(n);
    expect(s.score).toBe(score);
    expect(s.mean).toBe(mean);
  });

  it('ignores values outside a scale instead of bending the score', () => {
    expect(scoreQuestion('ces', { 0: 5, 8: 5, '4.5': 2, x: 1, 6: 1 })).toMatchObject({ n: 1, score: 100 });
    expect(scoreQuestion('miss', { maybe: 3, very: 1 })).toMatchObject({ n: 1, score: 100 });
  });

  it('has no score without answers, and none for unscored types', () => {
    expect(scoreQuestion('nps', {})).toMatchObject({ n: 0, score: null, mean: null });
    expect(scoreQuestion('text', { hello: 1 })).toBeNull();
    expect(scoreQuestion('single', { a: 1 })).toBeNull();
  });

  it('computes the loyalty index of a response only from all three answers', () => {
    expect(cliOf(9, 6, 3)).toBe(6);
    expect(cliOf(9, 6, undefined)).toBeUndefined();
  });

  it('flags low scores per scale', () => {
    expect([1, 3, 4].map((v) => isLowScore('ces', v))).toEqual([true, true, false]);
    expect([2, 3].map((v) => isLowScore('csat', v))).toEqual([true, false]);
    expect([6, 7].map((v) => isLowScore('nps', v))).toEqual([true, false]);
    expect(isLowScore('miss', 'not')).toBe(true);
  });
});

describe('survey eligibility', () => {
  const def: SurveyDefinition = { id: 'ces', version: 1, questions: [{ id: 'q', type: 'ces' }] };
  const v = { anonymousId: 'a1', sessionId: 's1', path: '/checkout/done' };
  const now = Date.parse('2026-11-22T12:00:00Z');
  const DAY = 86_400_000;

  it('samples by a hash of visitor and survey: the same answer every time, about the right share', () => {
    expect(sampleSlot('visitor-1', 'ces')).toBe(sampleSlot('visitor-1', 'ces'));
    expect(sampleSlot('visitor-1', 'ces')).not.toBe(sampleSlot('visitor-1', 'nps'));
    const inSample = Array.from({ length: 10_000 }, (_, i) => sampleSlot(`v${i}`, 'ces') < 0.3).filter(Boolean).length;
    expect(inSample).toBeGreaterThan(2_800);
    expect(inSample).toBeLessThan(3_200);
  });

  it('matches URL patterns with * wildcards, whole path only', () => {
    expect(matchPath('/checkout/*', '/checkout/done')).toBe(true);
    expect(matchPath('/checkout', '/checkout/done')).toBe(false);
    expect(matchPath('/a.b', '/axb')).toBe(false);
  });

  it('says why a survey may not show', () => {
    expect(ineligible(def, v, {}, now)).toBeUndefined();
    expect(ineligible({ ...def, targeting: { url: '/pricing' } }, v, {}, now)).toBe('url');
    expect(ineligible({ ...def, targeting: { identified: true } }, v, {}, now)).toBe('identified');
    expect(ineligible({ ...def, targeting: { traits: { plan: 'pro' } } }, { ...v, traits: { plan: 'free' } }, {}, now)).toBe('traits');
    expect(ineligible({ ...def, sampleRate: 0 }, v, {}, now)).toBe('sample');
    expect(ineligible(def, v, { session: 's1' }, now)).toBe('session');
  });

  it('keeps a global cooldown (14 days by default) and shows each survey once unless it repeats', () => {
    const other = { ...def, id: 'nps' };
    expect(ineligible(other, { ...v, sessionId: 's2' }, { last: now - 13 * DAY, shown: { ces: now - 13 * DAY } }, now)).toBe('cooldown');
    expect(ineligible(other, { ...v, sessionId: 's2' }, { last: now - 15 * DAY, shown: { ces: now - 15 * DAY } }, now)).toBeUndefined();
    expect(ineligible(def, { ...v, sessionId: 's2' }, { last: now - 15 * DAY, shown: { ces: now - 15 * DAY } }, now)).toBe('once');
    expect(ineligible({ ...def, repeat: true }, { ...v, sessionId: 's2' }, { last: now - 15 * DAY, shown: { ces: now - 15 * DAY } }, now)).toBeUndefined();
    expect(ineligible({ ...def, cooldownDays: 1 }, { ...v, sessionId: 's2' }, { last: now - 2 * DAY }, now)).toBeUndefined();
  });
});
