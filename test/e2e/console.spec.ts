import { devices, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureAgents } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';
import { until } from '../support/until.js';
import { axeViolations } from './axe.js';
import { test, expect } from './fixtures.js';

/** With UPDATE_DOCS=1 the suite refreshes docs/img/console-*.png, the screenshots of docs/console.md. */
const shot = async (page: Page, name: string) => {
  if (!process.env.UPDATE_DOCS) return;
  const dir = resolve(import.meta.dirname, '../../docs/img');
  mkdirSync(dir, { recursive: true });
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: resolve(dir, `console-${name}.png`), fullPage: false });
};

test('one customer across two visits and two devices: one profile with both sessions, the chat and the conversion; Email under first touch, Organic Search under last', async ({ browser, server, shop }) => {
  test.setTimeout(120_000);
  const secret = (await server.app.deps.sites.get('demo'))!.secret;
  const userHash = hmacHex(secret, 'ada-42');
  const stored = async (sql: string, params: unknown[]) => (await server.store.query(sql, params)).rows.length > 0;
  const identify = (page: Page) =>
    page.evaluate((h) => (window as unknown as { touchpoint: { identify: (id: string, t: object, o: object) => void } }).touchpoint.identify('ada-42', { email: 'ada@example.com', name: 'Ada Lovelace' }, { userHash: h }), userHash);

  // Visit 1, on a laptop: the newsletter link; she browses, chats and signs in.
  const laptop = await browser.newContext();
  const visit1 = await laptop.newPage();
  await visit1.goto(`${shop.url}/?utm_source=newsletter&utm_medium=email&utm_campaign=november`);
  await visit1.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  await visit1.getByRole('link', { name: 'Browse the shop' }).click();
  await visit1.getByRole('button', { name: 'Chat with us' }).click();
  const composer = visit1.getByRole('textbox', { name: 'Write a message…' });
  await composer.fill('Do you ship to Romania?');
  await composer.press('Enter');
  await expect(visit1.locator('tp-chat-panel .msg.bot').nth(1)).toBeVisible();
  await identify(visit1);
  await until(() => stored(`SELECT 1 FROM identities WHERE user_id = 'ada-42' AND verified`, []), 15_000);

  // Visit 2, days later on her phone: a Google search; she signs in and orders.
  const phone = await browser.newContext({ ...devices['Pixel 7'] });
  const visit2 = await phone.newPage();
  await visit2.goto(`${shop.url}/shop`, { referer: 'https://www.google.com/' });
  await visit2.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  await identify(visit2);
  await visit2.getByRole('button', { name: 'Add to cart' }).first().click();
  await visit2.getByRole('link', { name: 'Checkout' }).click();
  await visit2.getByLabel('Email').fill('ada@example.com');
  await visit2.getByRole('button', { name: 'Place order' }).click();
  await until(() => stored(`SELECT 1 FROM events WHERE name = 'Order Completed'`, []), 15_000);
  await until(async () => (await server.store.query(`SELECT 1 FROM identities WHERE user_id = 'ada-42' AND verified`)).rows.length === 2, 15_000);

  // The console: sign in, find her by email.
  const creds = (await ensureAgents(server.store, ''))!;
  const agent = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await agent.goto(`${server.url}/console/customers`);
  await agent.getByLabel('Email').fill(creds.email);
  await agent.getByLabel('Password').fill(creds.password);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.getByRole('searchbox').fill('ada@example.com');
  await agent.getByRole('button', { name: 'Search' }).click();
  await expect(agent.getByRole('link', { name: 'Ada Lovelace' })).toHaveCount(1);
  expect(await axeViolations(agent)).toEqual([]);
  await shot(agent, 'customers');

  await agent.getByRole('link', { name: 'Ada Lovelace' }).click();
  await expect(agent.getByRole('heading', { name: /Ada Lovelace/ })).toBeVisible();
  const profile = agent.locator('tp-console-profile');
  await expect(profile.getByRole('heading', { name: 'Sessions (2)' })).toBeVisible();
  await expect(profile.locator('dd').filter({ hasText: /^Email · newsletter \/ email · november$/ })).toBeVisible();
  await expect(profile.locator('dd').filter({ hasText: /^Organic Search/ })).toBeVisible();
  await expect(profile.getByText(/Chrome on Android \(mobile\)/).first()).toBeVisible();
  const timeline = profile.getByRole('list', { name: /Everything this customer did/ });
  await expect(timeline.getByText('Order Completed')).toBeVisible();
  await timeline.getByText(/Transcript/).click();
  await expect(timeline.getByText('Do you ship to Romania?')).toBeVisible();
  expect(await axeViolations(agent)).toEqual([]);
  await shot(agent, 'profile');

  // Attribution: the same conversion, credited by model.
  const row = (name: string) => agent.locator('tp-console-attribution tbody tr').filter({ has: agent.getByRole('rowheader', { name }) });
  await agent.getByRole('link', { name: 'Attribution' }).click();
  await expect(row('Email')).toBeVisible();
  const cells = async (name: string) => (await row(name).locator('td').allInnerTexts()).map((t) => t.trim());
  // Sessions, visitors (customers: she is one on both devices), conversations, identified, qualified (no goal set), conversions, revenue, rate.
  expect((await cells('Email')).slice(0, 6)).toEqual(['2', '1', '1', '1', '—', '1']);
  await expect(row('Organic Search')).toHaveCount(0);
  expect(await axeViolations(agent)).toEqual([]);
  await shot(agent, 'attribution');
  await agent.getByLabel('Attribution').selectOption('last');
  await expect(row('Organic Search')).toBeVisible();
  expect((await cells('Organic Search'))[5]).toBe('1');
  expect((await cells('Email'))[5]).toBe('0');
  // Drill-down into Email's sources, and the CSV of what is shown.
  await agent.getByLabel('Attribution').selectOption('first');
  await row('Email').getByRole('button').click();
  await expect(row('newsletter')).toBeVisible();
  const csv = await agent.request.get(`${server.url}/v1/agent/sites/demo/attribution.csv?model=first&dimension=source&channel=Email`);
  expect(await csv.text()).toContain('newsletter,2,1,1,1,1,');

  // The overview, inbox and the other pages: accessible, and each captured for the docs.
  for (const [name, path, ready] of [
    ['overview', '/console/', 'Visitors today'],
    ['inbox', '/console/inbox', 'Waiting'],
    ['surveys', '/console/surveys', 'Surveys'],
    ['replays', '/console/replays', 'Replays'],
    ['consent', '/console/consent', 'Consent'],
    ['settings', '/console/settings', 'Copy your snippet'],
  ] as const) {
    await agent.goto(`${server.url}${path}`);
    await expect(agent.getByText(ready, { exact: true }).first()).toBeVisible();
    // Charts draw after their data arrives: every request the page made has been answered.
    await agent.waitForLoadState('networkidle');
    if (name === 'inbox') {
      // Beside the conversation, what the agent should know about the visitor.
      await agent.getByRole('button', { name: 'With the bot' }).click();
      // Her conversation by her words (rows show the customer's last message; other journeys chat on this server too).
      await agent.getByRole('button', { name: /Do you ship to Romania/ }).first().click();
      const aside = agent.getByRole('complementary', { name: 'Visitor' });
      // The chat began before she signed in: the profile knows it is her.
      await expect(aside.getByText('ada-42 (verified)')).toBeVisible();
      await expect(aside.locator('dd').filter({ hasText: 'Email (newsletter)' })).toBeVisible();
      await expect(aside.getByRole('heading', { name: 'Recent pages' })).toBeVisible();
      await expect(aside.getByRole('listitem').filter({ hasText: '/shop' }).first()).toBeVisible();
      await expect(aside.getByRole('link', { name: 'Full profile' })).toHaveAttribute('href', '/console/customers/ada-42');
    }
    if (name === 'settings') await expect(agent.getByLabel('Snippet')).toContainText(`${server.url}/cdn/touchpoint.js`);
    expect(await axeViolations(agent), name).toEqual([]);
    await shot(agent, name);
  }
  await Promise.all([laptop.close(), phone.close(), agent.context().close()]);
});

test('nothing in the console is reachable without signing in', async ({ page, server }) => {
  for (const path of ['/console/', '/console/customers', '/console/customers/ada-42', '/console/attribution', '/console/inbox', '/console/settings']) {
    await page.goto(`${server.url}${path}`);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(page.locator('tp-console-overview, tp-console-customers, tp-console-profile, tp-console-attribution, tp-console-inbox')).toHaveCount(0);
  }
  for (const path of ['/sites/demo/settings', '/sites/demo/deliveries', '/sites', '/sites/demo/overview', '/sites/demo/customers', '/sites/demo/customers/ada-42', '/sites/demo/attribution', '/sites/demo/attribution.csv', '/surveys', '/replays', '/consent']) {
    expect((await page.request.get(`${server.url}/v1/agent${path}`)).status(), path).toBe(401);
  }
});

test("Settings by role: an owner reveals, copies and rotates the site secret (the old one verifies for a day) and edits the allowed origins; an agent sees neither", async ({ browser, server, shop }) => {
  const { upsertAgent } = await import('../../server/agents.js');
  await upsertAgent(server.store, 'owner@shop.test', 'owner-password-1', 'Olga Owner', 'owner');
  await upsertAgent(server.store, 'agent@shop.test', 'agent-password-1', 'Ari Agent', 'agent');
  const signIn = async (email: string, password: string) => {
    const page = await (await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] })).newPage();
    await page.goto(`${server.url}/console/settings`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('Copy your snippet', { exact: true })).toBeVisible();
    return page;
  };
  const before = (await server.app.deps.sites.get('demo'))!;

  const owner = await signIn('owner@shop.test', 'owner-password-1');
  const secret = owner.getByLabel('Site secret');
  await expect(secret).not.toContainText(before.secret);
  await owner.getByRole('button', { name: 'Reveal secret' }).click();
  await expect(secret).toHaveText(before.secret);
  await owner.getByRole('button', { name: 'Copy secret' }).click();
  expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(before.secret);
  owner.once('dialog', (d) => void d.accept());
  await owner.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(owner.getByText('The previous secret verifies until')).toBeVisible();
  const after = (await server.app.deps.sites.get('demo'))!;
  await expect(secret).toHaveText(after.secret);
  expect(after.secret).not.toBe(before.secret);
  expect(after.secrets).toEqual([after.secret, before.secret]);
  expect(await axeViolations(owner)).toEqual([]);
  // Origins: a mistake is refused with the reason; the shop's own origin plus a second one is saved.
  const origins = owner.getByLabel('Allowed origins');
  await expect(origins).toHaveValue(shop.url);
  await origins.fill(`${shop.url}\nshop.example/path`);
  await owner.getByRole('button', { name: 'Save origins' }).click();
  await expect(owner.getByRole('alert')).toContainText('is not an origin');
  await origins.fill(`${shop.url}\nhttps://www.shop.example`);
  await owner.getByRole('button', { name: 'Save origins' }).click();
  await expect(owner.getByText('Allowed origins saved.')).toBeVisible();
  expect((await server.app.deps.sites.get('demo'))!.allowedOrigins).toEqual([shop.url, 'https://www.shop.example']);
  await server.app.deps.sites.setOrigins('demo', [shop.url]);

  const agent = await signIn('agent@shop.test', 'agent-password-1');
  await expect(agent.getByText('The secret and the allowed origins are for owners and admins.')).toBeVisible();
  await expect(agent.getByRole('button', { name: 'Reveal secret' })).toHaveCount(0);
  for (const [method, path] of [
    ['GET', '/secret'],
    ['POST', '/secret/rotate'],
    ['PUT', '/origins'],
  ] as const) {
    const r = await agent.request.fetch(`${server.url}/v1/agent/sites/demo${path}`, { method, data: method === 'PUT' ? { allowedOrigins: ['*'] } : {} });
    expect(r.status(), path).toBe(403);
    expect(JSON.stringify(await r.json())).not.toContain(after.secret);
  }
  expect((await server.app.deps.sites.get('demo'))!.secret).toBe(after.secret);
  await Promise.all([owner.context().close(), agent.context().close()]);
});
