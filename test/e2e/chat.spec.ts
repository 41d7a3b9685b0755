import type { Browser, Page } from '@playwright/test';
import { ensureAgents } from '../../server/agents.js';
import { test, expect } from './fixtures.js';

const visitorMessages = (page: Page) => page.locator('tp-chat-launcher tp-chat-panel .msg');
const agentMessages = (page: Page) => page.locator('tp-console-inbox .msg');

const signIn = async (browser: Browser, url: string, email: string, password: string) => {
  const agent = await (await browser.newContext()).newPage();
  await agent.goto(`${url}/console/`);
  await agent.getByLabel('Email').fill(email);
  await agent.getByLabel('Password').fill(password);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await expect(agent.getByRole('button', { name: 'Waiting' })).toBeVisible();
  return agent;
};

test('a visitor and an agent talk through bot hand-off and a network drop: every message once, in order, on both sides', async ({ browser, server }) => {
  test.setTimeout(90_000);
  const creds = (await ensureAgents(server.store, ''))!;
  const agent = await signIn(browser, server.url, creds.email, creds.password);

  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${server.url}/`);
  await visitor.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  await visitor.getByRole('button', { name: 'Chat with us' }).click();
  const composer = visitor.getByRole('textbox', { name: 'Write a message…' });
  await expect(composer).toBeFocused();
  await composer.fill('Hello, what are your returns terms?');
  await composer.press('Enter');
  await expect(visitorMessages(visitor).filter({ hasText: '30 days' })).toBeVisible();

  // Hand-off: the bot passes the conversation, with its transcript, to the inbox.
  await visitor.getByRole('button', { name: 'Talk to a person' }).click();
  await expect(visitor.getByText('Waiting for a person to join…')).toBeVisible();
  await agent.getByRole('button', { name: 'Waiting' }).click();
  await agent.getByRole('button', { name: /Visitor/ }).first().click();
  await expect(agentMessages(agent).filter({ hasText: 'what are your returns terms?' })).toBeVisible();

  const reply = agent.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Hi, I am the Dev Agent. How can I help?');
  await reply.press('Enter');
  await expect(visitorMessages(visitor).filter({ hasText: 'How can I help?' })).toBeVisible();
  await expect(visitor.getByText('You are chatting with Dev Agent')).toBeVisible();

  // The visitor's network drops; both sides keep writing.
  await visitorContext.setOffline(true);
  await reply.fill('Agent while you were offline 1');
  await reply.press('Enter');
  await reply.fill('Agent while you were offline 2');
  await reply.press('Enter');
  await composer.fill('Visitor typed offline');
  await composer.press('Enter');
  await visitor.waitForTimeout(1_500);
  await visitorContext.setOffline(false);

  await expect(visitorMessages(visitor).filter({ hasText: 'Agent while you were offline 2' })).toBeVisible({ timeout: 15_000 });
  await expect(agentMessages(agent).filter({ hasText: 'Visitor typed offline' })).toBeVisible({ timeout: 15_000 });

  const texts = async (p: Page, loc: (p: Page) => ReturnType<Page['locator']>) => (await loc(p).allInnerTexts()).map((t) => t.replace(/\s+/g, ' '));
  const seen = await texts(visitor, visitorMessages);
  for (const needle of ['How can I help?', 'Agent while you were offline 1', 'Agent while you were offline 2', 'Visitor typed offline']) {
    expect(seen.filter((t) => t.includes(needle)), `"${needle}" once on the visitor side`).toHaveLength(1);
  }
  const order = ['How can I help?', 'offline 1', 'offline 2'].map((n) => seen.findIndex((t) => t.includes(n)));
  expect(order).toEqual([...order].sort((a, b) => a - b));
  const agentSeen = await texts(agent, agentMessages);
  expect(agentSeen.filter((t) => t.includes('Visitor typed offline'))).toHaveLength(1);

  // The agent closes; the visitor is told.
  await agent.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(visitor.getByText('This conversation is closed.')).toBeVisible();
  await visitorContext.close();
  await agent.context().close();
});

test('the console shows nothing without signing in', async ({ page, server }) => {
  await page.goto(`${server.url}/console/`);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Waiting' })).toHaveCount(0);
  for (const path of ['/v1/agent/conversations', '/v1/agent/me', '/v1/agent/stream']) expect((await page.request.get(`${server.url}${path}`)).status()).toBe(401);
});
