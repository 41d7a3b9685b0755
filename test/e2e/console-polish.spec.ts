import type { Browser, Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { ensureAgents } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';
import type { TestServer } from '../support/start-server.js';
import { axeViolations } from './axe.js';
import { test, expect } from './fixtures.js';

/**
 * The console as a person reads it (#24), on a site of its own (other specs
 * share the worker's server): Asia/Shanghai, yuan, a German-speaking agent at
 * 1440×900 — scores each on their own chart, names instead of ids, German
 * times, an error that says what happened with a Retry, and a replay whose
 * controls are above the fold.
 */
const SITE = 'h7-polish';
const DESKTOP = { width: 1440, height: 900 };

const seed = async (server: TestServer) => {
  const site = await server.app.deps.sites.ensure(SITE, 'H7 Polish shop', ['*']);
  await server.app.deps.sites.configure(SITE, site.name, ['*'], {
    timeZone: 'Asia/Shanghai',
    currency: 'CNY',
    surveys: [
      { id: 'ces', version: 1, questions: [{ id: 'effort', type: 'ces' }] },
      { id: 'nps', version: 1, questions: [{ id: 'recommend', type: 'nps' }] },
    ],
  });
  const now = Date.now();
  const at = (ms: number) => new Date(now - ms).toISOString();
  const ctx = (session: string) => ({ session: { id: session }, page: { url: 'https://shop.example/checkout', path: '/checkout' }, attribution: { session: { channel: 'Email', timestamp: at(60_000) } } });
  const batch = await fetch(`${server.url}/v1/batch?site=${SITE}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      protocol: 1,
      sentAt: new Date(now).toISOString(),
      batch: [
        { type: 'page', messageId: 'h7p-1', anonymousId: 'h7p-ada', timestamp: at(60_000), properties: {}, context: ctx('h7p-s1') },
        { type: 'identify', messageId: 'h7p-2', anonymousId: 'h7p-ada', userId: 'h7p-ada-user', userHash: hmacHex(site.secret, 'h7p-ada-user'), traits: { name: 'Ada Lovelace' }, timestamp: at(59_000), context: ctx('h7p-s1') },
        { type: 'track', messageId: 'h7p-3', anonymousId: 'h7p-ada', event: 'Order Completed', properties: { revenue: 88, currency: 'CNY' }, timestamp: at(58_000), context: ctx('h7p-s1') },
        { type: 'page', messageId: 'h7p-4', anonymousId: 'h7p-anon-visitor', timestamp: at(30_000), properties: {}, context: ctx('h7p-s2') },
      ],
      responses: [
        { responseId: 'h7p-r1', surveyId: 'ces', surveyVersion: 1, questionId: 'effort', value: 6, final: true, anonymousId: 'h7p-ada', sessionId: 'h7p-s1', timestamp: at(57_000) },
        { responseId: 'h7p-r2', surveyId: 'nps', surveyVersion: 1, questionId: 'recommend', value: 9, final: true, anonymousId: 'h7p-ada', sessionId: 'h7p-s1', timestamp: at(21 * 86_400_000) },
      ],
    }),
  });
  expect(batch.status, await batch.text()).toBe(200);
  // A 1280×720 recording of Ada's session: one page, and a mouse move 20 s later.
  const t = now - 60_000;
  const events = [
    { type: 4, timestamp: t, data: { href: 'https://shop.example/checkout', width: 1280, height: 720 } },
    {
      type: 2,
      timestamp: t + 10,
      data: {
        node: {
          type: 0,
          id: 1,
          childNodes: [
            { type: 1, id: 2, name: 'html', publicId: '', systemId: '' },
            { type: 2, id: 3, tagName: 'html', attributes: {}, childNodes: [{ type: 2, id: 4, tagName: 'head', attributes: {}, childNodes: [] }, { type: 2, id: 5, tagName: 'body', attributes: { style: 'height:720px' }, childNodes: [{ type: 3, id: 6, textContent: 'Checkout' }] }] },
          ],
        },
        initialOffset: { left: 0, top: 0 },
      },
    },
    { type: 3, timestamp: t + 20_000, data: { source: 1, positions: [{ x: 10, y: 10, id: 5, timeOffset: 0 }] } },
  ];
  const chunk = await fetch(`${server.url}/v1/replay?site=${SITE}&session=h7p-s1&window=w1&seq=0&first=${t}&last=${t + 20_000}&anon=h7p-ada&encoding=gzip`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: gzipSync(JSON.stringify(events)),
  });
  expect(chunk.status, await chunk.text()).toBe(200);
};

const signedIn = async (browser: Browser, server: TestServer, path: string): Promise<Page> => {
  const creds = (await ensureAgents(server.store, ''))!;
  const page = await (await browser.newContext({ viewport: DESKTOP, locale: 'de-DE', timezoneId: 'Europe/Berlin' })).newPage();
  await page.goto(`${server.url}${path}`);
  await page.getByLabel('Email').fill(creds.email);
  await page.getByLabel('Password').fill(creds.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
};

test.beforeAll(async ({ server }) => seed(server));

test('the overview draws each score on its own chart, today in the site zone, revenue in yuan; a German agent reads German times', async ({ browser, server }) => {
  const page = await signedIn(browser, server, `/console/?site=${SITE}`);
  const overview = page.locator('tp-console-overview');
  await expect(overview.getByText('Visitors today')).toBeVisible();
  await expect(overview.getByText('Asia/Shanghai')).toBeVisible();
  // Three charts, never one axis for CES, CSAT and NPS; each a canvas Chart.js (lazy-loaded) has sized and drawn.
  await expect(overview.locator('canvas')).toHaveCount(3);
  for (const score of ['ces', 'csat', 'nps']) await expect(overview.locator(`canvas[data-score=${score}]`)).toHaveAttribute('style', /box-sizing: border-box/);
  await expect(overview.locator('.card').filter({ hasText: 'Conversions today' })).toContainText('CN¥');
  expect(await axeViolations(page), 'overview').toEqual([]);

  await page.goto(`${server.url}/console/customers?site=${SITE}`);
  const customers = page.locator('tp-console-customers');
  await expect(customers.getByRole('link', { name: 'Ada Lovelace' })).toBeVisible();
  // No name, no e-mail: a short stable label, never the raw id.
  await expect(customers.getByRole('link', { name: /^Visitor [0-9A-F]{4}$/ })).toBeVisible();
  await expect(customers.getByText('h7p-anon-visitor')).toHaveCount(0);
  // de-DE: "01.12.2026, 17:15", never "5:15 PM".
  const lastSeen = await customers.locator('tbody tr').first().locator('td').nth(2).innerText();
  expect(lastSeen).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
  expect(await customers.innerText()).not.toMatch(/\b(AM|PM)\b/);
  expect(await axeViolations(page), 'customers').toEqual([]);
  await page.context().close();
});

test('an API error says what happened, never the raw message, and Retry loads the page', async ({ browser, server }) => {
  const page = await signedIn(browser, server, `/console/customers?site=${SITE}`);
  await expect(page.getByRole('link', { name: 'Ada Lovelace' })).toBeVisible();
  await page.route('**/v1/agent/sites/*/overview', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'boom' } }) }));
  await page.goto(`${server.url}/console/?site=${SITE}`);
  const alert = page.locator('tp-console-overview').getByRole('alert');
  await expect(alert).toContainText('error 500');
  await expect(alert).not.toContainText('boom');
  expect(await axeViolations(page), 'error state').toEqual([]);
  await page.unroute('**/v1/agent/sites/*/overview');
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.locator('tp-console-overview').getByText('Visitors today')).toBeVisible();
  await page.context().close();
});

test('the replay list filters and names the visitor; at 1440×900 the player controls are above the fold', async ({ browser, server }) => {
  const page = await signedIn(browser, server, `/console/replays?site=${SITE}`);
  const row = page.locator('tr.replay-row').filter({ hasText: 'Ada Lovelace' });
  await expect(row).toBeVisible();
  await expect(row).toContainText('0:20');
  await page.getByLabel('Page').fill('/nowhere');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByText('No recordings match these filters.')).toBeVisible();
  expect(page.url()).toContain(`site=${SITE}`);
  await page.getByLabel('Page').fill('/checkout');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(row).toBeVisible();
  expect(await axeViolations(page), 'replay list').toEqual([]);

  await row.getByRole('link').click();
  const play = page.getByRole('button', { name: 'Play' });
  await expect(play).toBeVisible();
  await expect(page.locator('.stage iframe')).toBeAttached();
  // The recording is scaled into the window: Play and the position slider are on screen without scrolling.
  await expect.poll(async () => {
    const boxes = await Promise.all([play.boundingBox(), page.getByLabel('Position').boundingBox()]);
    return boxes.every((b) => !!b && b.y + b.height <= DESKTOP.height);
  }).toBe(true);
  await page.context().close();
});
