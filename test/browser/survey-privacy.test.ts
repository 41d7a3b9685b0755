import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createTouchpoint } from '../../src/index.js';
import { hostSends } from '../../src/host/host-registry.js';
import { startSurveys, type Surveys } from '../../src/survey/start-surveys.js';
import { until } from '../support/until.js';

const configRequests = () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/sites/demo/config'));

let surveys: Surveys | undefined;
beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  performance.clearResourceTimings();
});
const home = location.href;
afterEach(() => {
  surveys?.stop();
  history.replaceState(null, '', home);
});

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

describe('survey answers', () => {
  it('carry the page URL through the URL scrubber, fragment included', async () => {
    history.replaceState(null, '', `${home.split('#')[0].split('?')[0]}?token=survey-query-secret&plan=pro#access_token=survey-fragment-secret`);
    const tp = createTouchpoint({ siteKey: 'demo', endpoint: await commands.serverUrl(), consent: { mode: 'none' }, autocapture: false });
    await tp.ready();
    const sent: { url?: string }[] = [];
    // The answer is handed to the SDK's send path (its Host's `send`): look at it as it leaves the survey code.
    hostSends.set(tp, (_kind, body) => void sent.push(body as { url?: string }));
    surveys = startSurveys(tp, { surveys: [] });
    const detail = { responseId: 'r-1', surveyId: 's-1', surveyVersion: 1, questionId: 'q-1', value: 4, final: true };
    document.dispatchEvent(new CustomEvent('tp-survey-answer', { detail }));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toMatch(/\?token=\[redacted\]&plan=pro#access_token=\[redacted\]$/);
  });
});
