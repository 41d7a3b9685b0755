import type { Browser, Page } from '@playwright/test';
import { ensureAgents } from '../../server/agents.js';
import { test, expect, inIndexedDb, visitorInChat } from './fixtures.js';

const visitorMessages = (page: Page) => page.locator('tp-chat-launcher tp-chat-panel .msg');
const agentMessages = (page: Page) => page.locator('tp-console-inbox .msg');

const signIn = async (browser: Browser, url: string, email: string, password: string) => {
  const agent = await (await browser.newContext()).newPage();
  await agent.goto(`${url}/console/inbox`);
  await agent.getByLabel('Email').fill(email);
  await agent.getByLabel('Password').fill(password);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await expect(agent.getByRole('button', { name: 'Waiting' })).toBeVisible();
  return agent;
};

test('a visitor and an agent talk through bot hand-off and a network drop: every message once, in order, on both sides', async ({ browser, server, shop }) => {
  test.setTimeout(90_000);
  const creds = (await ensureAgents(server.store, ''))!;
  const agent = await signIn(browser, server.url, creds.email, creds.password);

  const { page: visitor, composer } = await visitorInChat(browser, shop);
  const visitorContext = visitor.context();
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
  // The visitor's message waits (shown as sending); the agent's two are stored.
  await expect(visitor.locator('tp-chat-panel .msg[aria-busy="true"]').filter({ hasText: 'Visitor typed offline' })).toBeVisible();
  await expect
    .poll(async () => Number((await server.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM chat_events WHERE body LIKE 'Agent while you were offline %'`)).rows[0]!.n))
    .toBe(2);
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
  // The agent has the conversation open (its tab in front): the visitor's latest message shows as seen.
  await agent.bringToFront();
  // (After the drop the visitor's EventSource may still be in its reconnect backoff: up to a few seconds.)
  await expect(visitorMessages(visitor).filter({ hasText: 'Visitor typed offline' })).toContainText('Seen', { timeout: 15_000 });
  await visitor.bringToFront();
  // The conversation is linked to the visitor's session (its replay and attribution).
  // (This conversation, by its first words: other specs on the same server have conversations of their own.)
  const { rows } = await server.store.query<{ session_id: string | null }>(
    `SELECT c.session_id FROM conversations c JOIN chat_events e ON e.conversation_id = c.id WHERE e.body = 'Hello, what are your returns terms?'`,
  );
  expect(rows).toHaveLength(1);
  expect(rows[0]!.session_id).toBeTruthy();

  // The agent closes; the visitor is told.
  await agent.getByRole('button', { name: 'Resolve', exact: true }).click();
  await expect(visitor.getByText('This conversation is closed.')).toBeVisible({ timeout: 15_000 });
  await visitorContext.close();
  await agent.context().close();
});

test('the console shows nothing without signing in', async ({ page, server }) => {
  await page.goto(`${server.url}/console/`);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Waiting' })).toHaveCount(0);
  for (const path of ['/v1/agent/conversations', '/v1/agent/me', '/v1/agent/stream']) expect((await page.request.get(`${server.url}${path}`)).status()).toBe(401);
});

test('two tabs of one visitor share one stream and stay in sync: messages, unread badge and read state', async ({ browser, server, shop }) => {
  test.setTimeout(90_000);
  const creds = (await ensureAgents(server.store, ''))!;
  const agent = await signIn(browser, server.url, creds.email, creds.password);
  const context = await browser.newContext();
  const streams: Page[] = [];
  context.on('request', (r) => r.url().includes('/v1/chat/stream') && streams.push(r.frame().page()));
  const a = await context.newPage();
  await a.goto(`${shop.url}/`);
  await a.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  // Tab B is open before any conversation exists.
  const b = await context.newPage();
  await b.goto(`${shop.url}/`);

  await a.getByRole('button', { name: 'Chat with us' }).click();
  // The site config's greeting greets an empty panel.
  await expect(visitorMessages(a).filter({ hasText: 'Acme assistant' })).toBeVisible();
  const composerA = a.getByRole('textbox', { name: 'Write a message…' });
  await composerA.fill('talk to a person please');
  await composerA.press('Enter');
  await expect(a.getByText('Waiting for a person to join…')).toBeVisible();

  await a.getByRole('button', { name: 'Close chat' }).click();

  await agent.getByRole('button', { name: 'Waiting' }).click();
  await agent.getByRole('button', { name: /Visitor/ }).first().click();
  const reply = agent.getByRole('textbox', { name: 'Reply' });
  await reply.fill('Hello from the agent');
  await reply.press('Enter');

  // Both tabs, panels closed, count it as unread.
  for (const p of [a, b]) await expect(p.getByRole('button', { name: 'Chat with us, 1 unread' })).toBeVisible();
  // Reading it in tab A sends a read receipt: tab B's badge clears without being opened.
  await a.getByRole('button', { name: /Chat with us/ }).click();
  await expect(visitorMessages(a).filter({ hasText: 'Hello from the agent' })).toBeVisible();
  await expect(b.getByRole('button', { name: 'Chat with us', exact: true })).toBeVisible();

  // Tab B writes; tab A and the agent see it once.
  await b.getByRole('button', { name: 'Chat with us' }).click();
  await expect(visitorMessages(b).filter({ hasText: 'Hello from the agent' })).toBeVisible();
  const composerB = b.getByRole('textbox', { name: 'Write a message…' });
  await composerB.fill('Written in the second tab');
  await composerB.press('Enter');
  await expect(visitorMessages(a).filter({ hasText: 'Written in the second tab' })).toHaveCount(1);
  await expect(agentMessages(agent).filter({ hasText: 'Written in the second tab' })).toHaveCount(1);

  // One browser, one stream: the leader tab's.
  expect(streams).toHaveLength(1);
  // The leader closes: the other tab takes the stream over and misses nothing.
  const leader = streams[0]!;
  const other = leader === a ? b : a;
  await leader.close();
  await reply.fill('After the first tab closed');
  await reply.press('Enter');
  await expect(visitorMessages(other).filter({ hasText: 'After the first tab closed' })).toHaveCount(1, { timeout: 15_000 });
  await context.close();
  await agent.context().close();
});

test('a message written while the chat server is unreachable survives a reload and arrives once', async ({ browser, server, shop }) => {
  test.setTimeout(60_000);
  const { page, composer } = await visitorInChat(browser, shop);
  const context = page.context();
  await composer.fill('What sizes do you have?');
  await composer.press('Enter');
  await expect(visitorMessages(page).filter({ hasText: 'half a size up' })).toBeVisible();

  // The network fails every send: the message waits, shown as sending.
  await context.route('**/v1/chat/conversations/*/messages', (r) => r.abort('internetdisconnected'));
  await composer.fill('Queued before the reload');
  await composer.press('Enter');
  await expect(page.locator('tp-chat-panel .msg[aria-busy="true"]').filter({ hasText: 'Queued before the reload' })).toBeVisible();
  // Kept in the page's IndexedDB outbox before the reload.
  await expect.poll(() => inIndexedDb(page, 'Queued before the reload')).toBe(true);
  await page.reload();
  await context.unroute('**/v1/chat/conversations/*/messages');

  // After the reload the queued message is shown again and goes, once.
  await page.getByRole('button', { name: /Chat with us/ }).click();
  await expect(visitorMessages(page).filter({ hasText: 'Queued before the reload' }).and(page.locator(':not([aria-busy="true"])'))).toHaveCount(1, { timeout: 15_000 });
  const { rows } = await server.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM chat_events WHERE body = 'Queued before the reload'`);
  expect(rows[0]!.n).toBe(1);
  await context.close();
});
