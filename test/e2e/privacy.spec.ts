import type { Page, Request } from '@playwright/test';
import { gunzipSync } from 'node:zlib';
import type { TestServer } from '../support/start-server.js';
import { test, expect, sdkSettled } from './fixtures.js';

/** Every request the page makes: its URL and its body, decompressed where it was gzip. */
const outgoing = (page: Page) => {
  const sent: { url: string; text: string }[] = [];
  page.on('request', (r: Request) => {
    const buf = r.postDataBuffer();
    const gz = buf && buf[0] === 0x1f && buf[1] === 0x8b;
    sent.push({ url: r.url(), text: buf ? (gz ? gunzipSync(buf) : buf).toString('utf8') : '' });
  });
  return sent;
};

/** Everything the server holds, every row of every table as text (replay chunks decompressed). */
const everythingStored = async (server: TestServer) => {
  const { rows: tables } = await server.store.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
  const out: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await server.store.query<Record<string, unknown>>(`SELECT * FROM "${table_name}"`);
    for (const row of rows) out.push(`${table_name}: ${JSON.stringify(row, (k, v: unknown) => (k === 'bytes' && v instanceof Uint8Array ? gunzipSync(v).toString('utf8') : v))}`);
  }
  return out;
};

/** The recorder has started: rrweb hooks the input value setter when it records. */
const recording = (page: Page) =>
  page.waitForFunction(() => !/\[native code\]/.test(String(Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set)));

const SECRETS = {
  urlToken: 'url-token-5f5f5f',
  urlEmail: 'planted.person@example.com',
  fragmentToken: 'frag-token-6g6g6g',
  fragmentState: 'frag-state-7h7h7h',
  pushToken: 'push-token-8j8j8j',
  pushEmail: 'pushed.person@example.org',
  csrf: 'csrf-hidden-9k9k9k',
  optionValue: 'option-value-1m1m1m',
  optionText: 'Option label 2n2n2n',
  chosenValue: 'chosen-value-3p3p3p',
  chosenText: 'Chosen label 4q4q4q',
};

test('planted secrets: none leaves the browser — hidden input, select, URL fragment, referrer after pushState, chat page, error stack', async ({ page, server, shop }) => {
  test.setTimeout(90_000);
  const sent = outgoing(page);
  expect(new URL(shop.url).origin).not.toBe(new URL(server.url).origin);
  const landing = `${shop.url}/?token=${SECRETS.urlToken}&email=${encodeURIComponent(SECRETS.urlEmail)}#access_token=${SECRETS.fragmentToken}&state=${SECRETS.fragmentState}`;
  await page.goto(landing);
  // Planted before consent: the recorder's first full snapshot holds them.
  await page.evaluate((s) => {
    const form = document.body.appendChild(document.createElement('form'));
    form.innerHTML = `<input type="hidden" name="csrf" value="${s.csrf}"><label>Plan <select id="plan"><option value="${s.optionValue}">${s.optionText}</option><option value="${s.chosenValue}">${s.chosenText}</option></select></label><button type="button" id="boom" onclick="throw new Error('planted error')">Boom</button>`;
  }, SECRETS);
  await page.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  await recording(page);
  await page.locator('#plan').selectOption(SECRETS.chosenValue);

  // SPA navigation: the second view's referrer is the first's URL, token and e-mail in it.
  await page.evaluate((s) => history.pushState(null, '', `/shop?reset_token=${s.pushToken}&email=${encodeURIComponent(s.pushEmail)}#id_token=${s.fragmentToken}`), SECRETS);
  await page.evaluate(() => history.pushState(null, '', '/checkout'));
  await page.evaluate(() => history.pushState(null, '', `/shop?reset_token=${'again'}`));
  // An uncaught error in an inline handler: its source and stack carry the page's URL.
  await page.evaluate((s) => history.replaceState(null, '', `/shop?token=${s.urlToken}#access_token=${s.fragmentToken}`), SECRETS);
  await page.locator('#boom').click();
  // The chat's first message carries the page it was written on.
  await page.getByRole('button', { name: 'Chat with us' }).click();
  const composer = page.getByRole('textbox', { name: 'Write a message…' });
  await composer.fill('Hello from the planted page');
  await composer.press('Enter');

  const anonymousId = await page.evaluate(() => (window as any).touchpoint.anonymousId);
  const sessionId = await page.evaluate(() => (window as any).touchpoint.sessionId);
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await sdkSettled(page);
  // Wait until each case reached the server: four page views, the error, the conversation, the select in a replay chunk.
  const q = async <T extends Record<string, unknown>>(sql: string, p: unknown[]) => (await server.store.query<T>(sql, p)).rows;
  await expect.poll(async () => (await q('SELECT 1 FROM events WHERE anonymous_id = $1 AND type = $2', [anonymousId, 'page'])).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
  await expect.poll(async () => (await q('SELECT 1 FROM events WHERE anonymous_id = $1 AND name = $2', [anonymousId, 'Error Occurred'])).length, { timeout: 20_000 }).toBe(1);
  await expect.poll(async () => (await q('SELECT 1 FROM conversations WHERE anonymous_id = $1', [anonymousId])).length, { timeout: 20_000 }).toBe(1);
  await expect
    .poll(async () => (await q<{ bytes: Uint8Array }>('SELECT bytes FROM replay_chunks WHERE session_id = $1', [sessionId])).some((r) => gunzipSync(r.bytes).toString('utf8').includes('"source":5')), { timeout: 20_000 })
    .toBe(true);

  // The test can fail: the cases were recorded, redacted.
  const pages = await q<{ payload: { properties: { url: string; referrer?: string } } }>('SELECT payload FROM events WHERE anonymous_id = $1 AND type = $2 ORDER BY id', [anonymousId, 'page']);
  expect(pages.some((p) => p.payload.properties.referrer?.includes('reset_token=[redacted]'))).toBe(true);
  const error = (await q<{ payload: { properties: { stack?: string; source?: string } } }>('SELECT payload FROM events WHERE anonymous_id = $1 AND name = $2', [anonymousId, 'Error Occurred']))[0]!;
  expect(error.payload.properties.source).toContain('token=[redacted]');
  const stored = await everythingStored(server);
  const replay = stored.filter((r) => r.startsWith('replay_chunks:')).join('\n');
  expect(replay).toMatch(/tagName\W+select/);
  expect(replay).toContain('access_token=[redacted]');

  for (const [name, secret] of Object.entries(SECRETS)) {
    // Every request but the page's own (the navigation to the planted URL, its assets on the shop's origin).
    const where = [...sent.filter((r) => !r.url.startsWith(shop.url)).flatMap((r) => [`${r.url}`, `${r.url} body: ${r.text}`]), ...stored].filter((t) => t.includes(secret) || t.includes(encodeURIComponent(secret)));
    expect(
      where.map((t) => `…${t.slice(Math.max(0, t.indexOf(secret) - 160), t.indexOf(secret) + 40)}…`),
      `${name} leaked`,
    ).toEqual([]);
  }
});

test('opt-in with surveys: no request of any kind to the server before a decision; the site config after Accept', async ({ page, server, shop }) => {
  const api: string[] = [];
  page.on('request', (r) => r.url().startsWith(`${server.url}/v1/`) && api.push(`${r.method()} ${r.url()}`));
  const surveyChunk = page.waitForRequest((r) => /\/cdn\/mount-surveys-[\w-]+\.js$/.test(r.url()));
  await page.goto(`${shop.url}/`); // the shop's features: consent replay survey
  await expect(page.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' })).toBeVisible();
  await surveyChunk;
  await page.waitForFunction(() => typeof (window as any).touchpoint?.survey?.definition === 'function');
  await sdkSettled(page);
  await page.evaluate(() => new Promise((r) => setTimeout(r)));
  expect(api).toEqual([]);
  await page.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => api.some((r) => r.includes('/v1/sites/demo/config'))).toBe(true);
});
