import { beforeEach, describe, expect, it } from 'vitest';
import { createConsent } from '../../src/core/consent.js';

beforeEach(() => localStorage.clear());

describe('createConsent()', () => {
  it('in opt-in mode grants only necessary before a decision, and asks', () => {
    const c = createConsent({ mode: 'opt-in' });
    expect(c.get()).toMatchObject({ decided: false, needsPrompt: true });
    expect(c.granted('necessary')).toBe(true);
    expect(c.granted('analytics')).toBe(false);
  });

  it('remembers a decision under the same policy, and asks again when the policy changes', () => {
    createConsent({ mode: 'opt-in', policyVersion: '1' }).grantAll('banner');
    expect(createConsent({ mode: 'opt-in', policyVersion: '1' }).get()).toMatchObject({ decided: true, needsPrompt: false });
    expect(createConsent({ mode: 'opt-in', policyVersion: '2' }).get()).toMatchObject({ decided: false, needsPrompt: true });
  });

  it('with no version of its own keeps the stored decision until policy() says the site is at another one, which asks again', () => {
    createConsent({ mode: 'opt-in', policyVersion: '3' }).grantAll('banner');
    // The script tag names no version: the decision counts under the version it was made under…
    const c = createConsent({ mode: 'opt-in' });
    expect(c.get()).toMatchObject({ policyVersion: '3', decided: true, categories: { analytics: true } });
    // …while the site says so,…
    c.policy('3');
    expect(c.get()).toMatchObject({ policyVersion: '3', decided: true, categories: { analytics: true } });
    // …and no longer once it says 4: back to the mode's defaults, asked, and the new decision stored under 4.
    c.policy('4');
    expect(c.get()).toMatchObject({ policyVersion: '4', decided: false, needsPrompt: true, categories: { necessary: true, analytics: false } });
    c.denyAll('banner');
    expect(JSON.parse(localStorage.getItem('tp:v1:consent')!)).toMatchObject({ v: '4', c: { analytics: false } });
    expect(createConsent({ mode: 'opt-in' }).get()).toMatchObject({ policyVersion: '4', decided: true });
    // A new visitor with no version anywhere: "1", as before.
    localStorage.clear();
    expect(createConsent({ mode: 'opt-in' }).get()).toMatchObject({ policyVersion: '1', decided: false });
  });

  it('asks about a category added later instead of recording it as refused', () => {
    createConsent({ mode: 'opt-in', categories: ['analytics'] }).grantAll('banner');
    const later = createConsent({ mode: 'opt-in', categories: ['analytics', 'replay'] });
    expect(later.get().needsPrompt).toBe(true);
    expect(later.granted('replay')).toBe(false);
  });

  it('in opt-out mode keeps a refusal made under an older policy: a new version never turns a "no" into a yes', () => {
    createConsent({ mode: 'opt-out', policyVersion: '1' }).set({ analytics: false, marketing: false }, 'banner');
    const c = createConsent({ mode: 'opt-out' });
    c.policy('2'); // the site's newer version, from its config
    expect(c.granted('analytics')).toBe(false);
    expect(c.granted('marketing')).toBe(false);
    expect(createConsent({ mode: 'opt-out', policyVersion: '2' }).granted('analytics')).toBe(false);
    // In opt-in the old decision grants nothing under the new version, and asks.
    localStorage.clear();
    createConsent({ mode: 'opt-in', policyVersion: '1' }).grantAll('banner');
    expect(createConsent({ mode: 'opt-in', policyVersion: '2' }).get()).toMatchObject({ needsPrompt: true, categories: { analytics: false } });
  });

  it('in opt-out mode grants by default, and none mode needs no decision', () => {
    expect(createConsent({ mode: 'opt-out' }).granted('analytics')).toBe(true);
    expect(createConsent({ mode: 'none' }).get()).toMatchObject({ decided: true, needsPrompt: false });
  });

  it('reports each decision with its method', () => {
    const c = createConsent({ mode: 'opt-in' });
    const seen: string[] = [];
    c.on('change', (_s, m) => seen.push(m));
    c.set({ analytics: true }, 'banner');
    c.denyAll('api');
    expect(seen).toEqual(['banner', 'api']);
    expect(c.granted('analytics')).toBe(false);
    expect(c.granted('necessary')).toBe(true);
  });
});
