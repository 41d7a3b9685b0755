import type { Browser, Page } from '@playwright/test';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureAgents, upsertAgent } from '../../server/agents.js';
import { serverStatics } from '../../server/demo-statics.js';
import { hmacHex } from '../../server/lib/hmac.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { testClock } from '../support/clock.js';
import { postBatch } from '../support/post-batch.js';
import { agent, visitor } from '../support/chat-client.js';
import { axeViolations } from './axe.js';
import { test, expect } from './fixtures.js';

/**
 * The console as a person reads it (#24), on a server of its own whose clock
 * the test sets (so "today" is the same day whatever the date of the run):
 * Asia/Shanghai, yuan, a German-speaking agent at 1440×900 — scores each on
 * their own chart, names instead of ids, German times, errors that say what
 * happened with a Retry (overview, inbox, Settings), a lead looking at any
 * team's queue, and a replay whose controls are above the fold.
 */
const root = resolve(import.meta.dirname, '../..');
const SITE = 'h7-polish';
const DESKTOP = { width: 1440, height: 900 };
/**
 * Monday 15 June 2026, 08:30 in Shanghai (00:30 UTC). A visit at 01:00 there
 * is today in the site's zone but yesterday in UTC: Visitors today says 2 only
 * when the day is the site's.
 */
const NOW = '2026-06-15T00:30:00.000Z';
const EARLY = '2026-06-14T17:00:00.000Z';
const clock = testClock(NOW);
let server: TestServer;

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
  const now = clock();
  const at = (ms: number) => new Date(now - ms).toISOString();
  const ctx = (session: string) => ({ session: { id: session }, page: { url: 'https://shop.example/checkout', path: '/checkout' }, attribution: { session: { channel: 'Email', timestamp: at(60_000) } } });
  const batch = await postBatch(server.url, SITE, {
    sentAt: new Date(now).toISOString(),
    batch: [
      { type: 'page', messageId: 'h7p-1', anonymousId: 'h7p-ada', timestamp: at(60_000), properties: {}, context: ctx('h7p-s1') },
      { type: 'identify', messageId: 'h7p-2', anonymousId: 'h7p-ada', userId: 'h7p-ada-user', userHash: hmacHex(site.secret, 'h7p-ada-user'), traits: { name: 'Ada Lovelace' }, timestamp: at(59_000), context: ctx('h7p-s1') },
      { type: 'track', messageId: 'h7p-3', anonymousId: 'h7p-ada', event: 'Order Completed', properties: { revenue: 88, currency: 'CNY' }, timestamp: at(58_000), context: ctx('h7p-s1') },
      { type: 'page', messageId: 'h7p-4', anonymousId: 'h7p-anon-visitor', timestamp: EARLY, properties: {}, context: ctx('h7p-s2') },
    ],
    responses: [
      { responseId: 'h7p-r1', surveyId: 'ces', surveyVersion: 1, questionId: 'effort', value: 6, final: true, anonymousId: 'h7p-ada', sessionId: 'h7p-s1', timestamp: at(57_000) },
      { responseId: 'h7p-r2', surveyId: 'nps', surveyVersion: 1, questionId: 'recommend', value: 9, final: true, anonymousId: 'h7p-ada', sessionId: 'h7p-s1', timestamp: at(21 * 86_400_000) },
    ],
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
  // Two teams the owner is not in, each with one conversation handed to people.
  const creds = (await ensureAgents(server.store, ''))!;
  const owner = await agent(server.url, creds.email, creds.password);
  await upsertAgent(server.store, 'bea.polish@shop.test', 'bea-polish-pass-1', 'Bea', 'agent');
  const bea = (await server.store.query<{ id: string }>('SELECT id FROM agents WHERE email = $1', ['bea.polish@shop.test'])).rows[0]!;
  const call = async (path: string, body: unknown) => {
    const r = await fetch(`${server.url}/v1/agent${path}`, { method: 'POST', headers: { cookie: owner.cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(r.status, path).toBe(200);
    return r.json() as Promise<{ team: { id: string } }>;
  };
  for (const [team, anon, words] of [['Billing', 'h7p-payer', 'Where is my invoice?'], ['Returns', 'h7p-returner', 'My parcel arrived broken']] as const) {
    const { team: t } = await call(`/sites/${SITE}/teams`, { name: team, memberIds: [bea.id] });
    const v = await visitor(server.url, anon, SITE);
    const started = await v.start(`c-${anon}`, words);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const id = started.body.conversation.id as string;
    expect((await v.action(id, 'handoff')).status).toBeLessThan(300);
    await call(`/conversations/${id}/assign`, { assigneeId: null, teamId: t.id });
  }
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

// Several pages per test, each axe-checked, on a shared 2-core machine.
test.describe.configure({ timeout: 90_000 });
test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startServer({ statics: serverStatics(root), now: clock });
  await seed(server);
});
test.afterAll(async () => server?.close());

test('the overview draws each score on its own chart, today in the site zone, revenue in yuan; a German agent reads German times', async ({ browser }) => {
  const page = await signedIn(browser, server, `/console/?site=${SITE}`);
  const overview = page.locator('tp-console-overview');
  await expect(overview.getByText('Visitors today')).toBeVisible();
  await expect(overview.getByText('Asia/Shanghai')).toBeVisible();
  // Ada this morning and the visitor at 01:00: both today in Shanghai (in UTC the second was yesterday).
  await expect(overview.locator('.card').filter({ hasText: 'Visitors today' }).locator('.value')).toHaveText('2');
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

test('an API error says what happened, never the raw message, and Retry loads the page', async ({ browser }) => {
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

  // The inbox, Settings and its settings form: the same error state, each Retry loading what failed.
  const boom = (path: (p: string) => boolean) => {
    const match = (u: URL) => path(u.pathname);
    return { match, on: () => page.route(match, (route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'boom' } }) })), off: () => page.unroute(match) };
  };
  const views: [string, string, (p: string) => boolean, () => Promise<void>][] = [
    ['tp-console-inbox', '/console/inbox', (p) => p === '/v1/agent/conversations', () => expect(page.locator('tp-console-inbox li').filter({ hasText: 'Where is my invoice?' })).toBeVisible()],
    ['tp-console-settings', `/console/settings?site=${SITE}`, (p) => p === `/v1/agent/sites/${SITE}/settings`, () => expect(page.getByRole('heading', { name: 'Settings · H7 Polish shop' })).toBeVisible()],
    ['tp-site-settings', `/console/settings?site=${SITE}`, (p) => p === `/v1/agent/sites/${SITE}/site-settings`, () => expect(page.getByRole('button', { name: 'Save site' })).toBeVisible()],
  ];
  for (const [element, path, failing, loaded] of views) {
    const fault = boom(failing);
    await fault.on();
    await page.goto(`${server.url}${path}`);
    const shown = page.locator(element).getByRole('alert');
    await expect(shown, element).toContainText('error 500');
    await expect(shown).not.toContainText('boom');
    expect(await axeViolations(page), `${element} error state`).toEqual([]);
    await fault.off();
    await page.locator(element).getByRole('button', { name: 'Retry' }).click();
    await loaded();
    await expect(page.locator(element).getByRole('alert')).toHaveCount(0);
  }
  await page.context().close();
});

test('a lead picks any team’s queue in the inbox, with its count, and moves a conversation to another team', async ({ browser }) => {
  const page = await signedIn(browser, server, '/console/inbox');
  const list = page.locator('tp-console-inbox nav[aria-label=Conversations]');
  const row = (words: string) => list.locator('li').filter({ hasText: words });
  await expect(row('Where is my invoice?')).toBeVisible();
  // The owner is in no team: "My teams" is empty until they pick one.
  await list.getByRole('button', { name: /^My teams/ }).click();
  await expect(list.getByText('No conversations here.')).toBeVisible();
  await list.getByLabel('Team').selectOption({ label: 'Billing' });
  await expect(list.getByRole('button', { name: 'Billing 1' })).toHaveAttribute('aria-pressed', 'true');
  await expect(row('Where is my invoice?')).toBeVisible();
  await expect(row('My parcel arrived broken')).toHaveCount(0);
  expect(await axeViolations(page), 'team view').toEqual([]);
  // Billing hands it to Returns in the conversation's toolbar: it leaves Billing's queue and joins Returns'.
  await row('Where is my invoice?').getByRole('button').click();
  await page.locator('tp-inbox-toolbar').getByRole('combobox', { name: /^Team/ }).selectOption({ label: 'Returns' });
  await expect(list.getByRole('button', { name: 'Billing 0' })).toBeVisible();
  await expect(row('Where is my invoice?')).toHaveCount(0);
  await list.getByLabel('Team').selectOption({ label: 'Returns' });
  await expect(list.getByRole('button', { name: 'Returns 2' })).toBeVisible();
  await expect(row('Where is my invoice?')).toContainText('Returns');
  await expect(row('My parcel arrived broken')).toBeVisible();
  await page.context().close();
});

test('the replay list filters and names the visitor; at 1440×900 the player controls are above the fold', async ({ browser }) => {
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
