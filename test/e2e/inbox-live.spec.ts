import type { Browser, BrowserContext, Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureAgents } from '../../server/agents.js';
import { serverStatics } from '../../server/demo-statics.js';
import { applySiteFile } from '../../server/site-file.js';
import { startServer } from '../support/start-server.js';
import { startShop } from '../support/start-shop.js';
import { axeViolations } from './axe.js';
import { test, expect } from './fixtures.js';

const root = resolve(import.meta.dirname, '../..');

const OLIVE = { email: 'olive.live@shop.test', password: 'olive-live-pass-1', name: 'Olive Live' };
const ANDY = { email: 'andy.live@shop.test', password: 'andy-live-pass-1', name: 'Andy Live' };

/** Every console page, by its nav label and path. */
const PAGES: [string, string][] = [
  ['Overview', '/console/'],
  ['Inbox', '/console/inbox'],
  ['Customers', '/console/customers'],
  ['Attribution', '/console/attribution'],
  ['Journeys', '/console/journeys'],
  ['Surveys', '/console/surveys'],
  ['Consent', '/console/consent'],
  ['Replays', '/console/replays'],
  ['Channels', '/console/channels'],
  ['Settings', '/console/settings'],
];

/** An agent signed in to the console in a context of their own; desktop notifications allowed, each one recorded for the test to read. */
const signIn = async (browser: Browser, url: string, who: typeof OLIVE, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> => {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(['notifications'], { origin: url });
  await context.addInitScript(() => {
    const shown: { title: string; body?: string; tag?: string }[] = ((window as unknown as { __shown: unknown[] }).__shown = []) as never;
    const Real = window.Notification;
    class Recorded extends Real {
      constructor(title: string, o?: NotificationOptions) {
        super(title, o);
        shown.push({ title, body: o?.body, tag: o?.tag });
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded });
  });
  const page = await context.newPage();
  await page.goto(`${url}/console/inbox`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signed in: the header's status (behind the Menu button on a phone).
  await expect(page.locator('tp-console-presence select')).toBeAttached();
  return { context, page };
};

/** The tab as the Page Visibility API reports it when the agent switches away (or back). */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);

/** The page scrolls sideways when its content is wider than the screen. */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('two agents and a visitor: presence the visitor sees, a title count and a notification, the agent typing, the visitor panel following the visitor; every console page at 390 px without sideways scrolling and axe-clean', async ({ browser }) => {
  test.setTimeout(180_000);
  // A server and shop of its own: presence is every agent's, and other journeys' agents stay signed in on the shared one.
  const server = await startServer({ statics: serverStatics(root) });
  await applySiteFile(server.app.deps.sites, resolve(root, 'server/demo-sites.json'));
  const shop = await startShop(root, { server: server.url });
  await server.app.deps.sites.setOrigins('demo', [shop.url]);
  await ensureAgents(server.store, `${OLIVE.email}:${OLIVE.password}:${OLIVE.name}:agent;${ANDY.email}:${ANDY.password}:${ANDY.name}:agent`);

  // The visitor asks for a person while no one is online.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${shop.url}/`);
  await visitor.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  await visitor.getByRole('button', { name: 'Chat with us' }).click();
  const composer = visitor.getByRole('textbox', { name: 'Write a message…' });
  const words = `Live inbox ${Date.now()}: do you have the red jacket in M?`;
  await composer.fill(words);
  await composer.press('Enter');
  await visitor.getByRole('button', { name: 'Talk to a person' }).click();
  const status = visitor.locator('tp-chat-panel .status');
  // No one online: the log says so once (with the e-mail form); the status line adds nothing.
  await expect(visitor.locator('tp-chat-panel').getByLabel('Your email')).toBeVisible();
  await expect(status).toHaveText('');

  // Olive signs in: the visitor sees someone is there, without reloading.
  const olive = await signIn(browser, server.url, OLIVE);
  await expect(status).toHaveText('Waiting for a person to join…');
  const andy = await signIn(browser, server.url, ANDY);
  await expect(olive.page.locator('tp-console-presence')).toContainText('1 more online');

  // Olive sets herself away: Andy is still there. Andy signs out too: no one.
  await olive.page.getByRole('combobox', { name: 'Your status' }).selectOption('away');
  await expect(andy.page.locator('tp-console-presence')).toContainText('No one else online');
  await expect(status).toHaveText('Waiting for a person to join…');
  await andy.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(status).toHaveText('');
  await olive.page.getByRole('combobox', { name: 'Your status' }).selectOption('online');
  await expect(status).toHaveText('Waiting for a person to join…');

  // Olive looks elsewhere; the customer writes: the tab's title counts it and a desktop notification says it.
  const title = await olive.page.title();
  await setHidden(olive.page, true);
  await composer.fill('Hello? Anyone there?');
  await composer.press('Enter');
  await expect(olive.page).toHaveTitle(`(1) ${title}`);
  await expect.poll(() => olive.page.evaluate(() => (window as unknown as { __shown: { title: string; body?: string }[] }).__shown)).toContainEqual(expect.objectContaining({ title: 'New message', body: 'Hello? Anyone there?' }));
  await setHidden(olive.page, false);
  await expect(olive.page).toHaveTitle(title);

  // She opens the conversation and types: the visitor sees her typing; the visitor panel shows where the visitor is.
  await olive.page.locator('tp-console-inbox li button').filter({ hasText: 'Hello? Anyone there?' }).click();
  const reply = olive.page.getByRole('textbox', { name: 'Reply' });
  await reply.pressSequentially('Hi! Let me check');
  await expect(visitor.locator('tp-chat-panel .typing[role=status]')).toHaveText(`${OLIVE.name} is typing…`);
  await reply.press('Enter');
  await expect(visitor.locator('tp-chat-panel .msg.agent').filter({ hasText: 'Hi! Let me check' })).toBeVisible();
  const context = olive.page.locator('tp-inbox-context');
  await expect(context.locator('[data-now]')).toHaveText(/\/$/);
  // The visitor moves on while the conversation is open: the panel follows without a reload or a click.
  await visitor.getByRole('link', { name: 'Shop', exact: true }).click();
  await visitor.getByRole('link', { name: 'Checkout' }).click();
  await expect(context.locator('[data-now]')).toHaveText('/checkout', { timeout: 20_000 });
  await expect(context.getByText('On the site now')).toBeVisible();
  expect(await axeViolations(olive.page)).toEqual([]);

  // A phone: every page fits 390 px and is axe-clean; the inbox is two screens, the list and the conversation.
  await andy.context.close();
  const phone = await signIn(browser, server.url, OLIVE, { width: 390, height: 844 });
  for (const [label, path] of PAGES) {
    await phone.page.getByRole('button', { name: 'Menu' }).click();
    await phone.page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: label, exact: true }).click();
    await expect(phone.page).toHaveURL(new RegExp(`${path.replace(/\//g, '\\/')}(\\?|$)`));
    await expect(phone.page.getByRole('navigation', { name: 'Console' })).toBeHidden();
    await expect.poll(() => overflow(phone.page), { message: `${label} scrolls sideways at 390 px` }).toBeLessThanOrEqual(0);
    expect(await axeViolations(phone.page), label).toEqual([]);
  }
  await phone.page.getByRole('button', { name: 'Menu' }).click();
  await phone.page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Inbox' }).click();
  const list = phone.page.locator('tp-console-inbox nav[aria-label=Conversations]');
  await expect(list).toBeVisible();
  if (process.env.UPDATE_DOCS) {
    mkdirSync(resolve(import.meta.dirname, '../../docs/img'), { recursive: true });
    await phone.page.screenshot({ path: resolve(import.meta.dirname, '../../docs/img/console-inbox-phone-list.png') });
  }
  await list.locator('li button').filter({ hasText: 'Hello? Anyone there?' }).click();
  await expect(list).toBeHidden();
  await expect(phone.page.getByRole('textbox', { name: 'Reply' })).toBeVisible();
  expect(await overflow(phone.page)).toBeLessThanOrEqual(0);
  expect(await axeViolations(phone.page)).toEqual([]);
  if (process.env.UPDATE_DOCS) await phone.page.screenshot({ path: resolve(import.meta.dirname, '../../docs/img/console-inbox-phone.png') });
  await phone.page.getByRole('button', { name: 'Back to conversations' }).click();
  await expect(list).toBeVisible();

  // Desktop: every page axe-clean with the new header.
  for (const [label, path] of PAGES) {
    await olive.page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: label, exact: true }).click();
    await expect(olive.page).toHaveURL(new RegExp(`${path.replace(/\//g, '\\/')}(\\?|$)`));
    expect(await axeViolations(olive.page), label).toEqual([]);
  }
  await phone.context.close();
  await olive.context.close();
  await visitorContext.close();
  await shop.close();
  await server.close();
});
