import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createTouchpoint } from '../../src/index.js';
import { startSurveys, type Surveys } from '../../src/survey/start-surveys.js';
import { until } from '../support/until.js';

const configRequests = () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/sites/demo/config'));

let surveys: Surveys | undefined;
beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  performance.clearResourceTimings();
});
afterEach(() => surveys?.stop());

describe('surveys in opt-in mode', () => {
  it('fetch nothing, not even the site config, before the visitor decides; the config once analytics is granted', async () => {
    const endpoint = await commands.serverUrl();
    const tp = createTouchpoint({ siteKey: 'demo', endpoint, consent: { mode: 'opt-in' }, autocapture: false });
    await tp.ready();
    surveys = startSurveys(tp, { siteKey: 'demo', endpoint });
    // The barrier: a survey asked for resolves only after the definitions are
    // known — or, undecided, never; so ask for one, then let every task the
    // start-up queued run (the SDK's flush: built, stored, tried).
    void surveys.definition('any');
    await tp.flush();
    await new Promise((r) => setTimeout(r));
    expect(configRequests()).toEqual([]);
    tp.consent.set({ analytics: false });
    await tp.flush();
    await new Promise((r) => setTimeout(r));
    expect(configRequests()).toEqual([]);
    tp.consent.set({ analytics: true });
    await until(() => configRequests().length === 1);
  });
});
