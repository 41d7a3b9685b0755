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

  it('asks about a category added later instead of recording it as refused', () => {
    createConsent({ mode: 'opt-in', categories: ['analytics'] }).grantAll('banner');
    const later = createConsent({ mode: 'opt-in', categories: ['analytics', 'replay'] });
    expect(later.get().needsPrompt).toBe(true);
    expect(later.granted('replay')).toBe(false);
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
