import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createTouchpoint } from '../../src/index.js';
import type { Event } from '../../src/types.js';
import type { Touchpoint } from '../../src/types.js';
import { allowUrlKeys } from '../../src/lib/scrub-url.js';
import { until } from '../support/until.js';

const home = location.href;
const path = home.split(/[?#]/)[0];
let tp: Touchpoint | undefined;
const start = async (o: Partial<Parameters<typeof createTouchpoint>[0]> = {}) => {
  const events: Event[] = [];
  tp = createTouchpoint({ siteKey: 'demo', endpoint: await commands.serverUrl(), consent: { mode: 'none' }, autocapture: false, ...o });
  tp.on('event', (e) => void events.push(e));
  await tp.ready();
  return events;
};

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});
afterEach(() => {
  history.replaceState(null, '', home);
  allowUrlKeys([]);
});

describe('URLs in events', () => {
  it('an SPA page view scrubs its referrer, the previous URL, fragment included', async () => {
    history.replaceState(null, '', `${path}?reset_token=spa-secret-1&email=${encodeURIComponent('ada@example.com')}#access_token=spa-secret-2`);
    const events = await start({ autocapture: { pageViews: true, clicks: false, forms: false, errors: false, friction: false, webVitals: false } });
    await until(() => events.some((e) => e.type === 'page'));
    history.pushState(null, '', `${path.replace(/\/[^/]*$/, '/')}next-view`);
    await until(() => events.filter((e) => e.type === 'page').length === 2);
    const [first, second] = events.filter((e) => e.type === 'page') as (Event & { properties: { url: string; referrer?: string } })[];
    expect(first!.properties.url).toBe(`${path}?reset_token=[redacted]&email=[redacted]#access_token=[redacted]`);
    expect(second!.properties.referrer).toBe(first!.properties.url);
    expect(JSON.stringify(events)).not.toMatch(/spa-secret|ada@example\.com|ada%40example\.com/);
  });

  it('keeps the keys of the site allow-list (urlAllowList), e-mail values still redacted', async () => {
    history.replaceState(null, '', `${path}?state=CA&code=94103&token=t-1&q=${encodeURIComponent('ada@example.com')}`);
    const events = await start({ urlAllowList: ['state', 'code', 'q'] });
    tp!.page();
    await until(() => events.some((e) => e.type === 'page'));
    expect(events.find((e) => e.type === 'page')!.context!.page!.url).toBe(`${path}?state=CA&code=94103&token=[redacted]&q=[redacted]`);
  });
});
