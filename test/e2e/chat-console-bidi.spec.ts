import { ensureAgents } from '../../server/agents.js';
import { test, expect } from './fixtures.js';

test('the console inbox shows a visitor writing right to left in their own direction: preview, transcript and name isolated from the English around them', async ({ browser, server }) => {
  const anonymousId = `bidi-${Date.now()}`;
  // Through a channel (no bot): the conversation waits for a person with the visitor's message last.
  const { conversation } = await server.app.deps.chat.start({ siteKey: 'demo', anonymousId }, { clientId: `${anonymousId}-c`, body: 'שלום, what about shipping?', channel: 'email' });
  await server.app.deps.chat.agentMessage(conversation, { kind: 'agent', name: 'Dev Agent' }, `${anonymousId}-a`, 'Hello! Shipping takes 2 days.');
  await server.app.deps.chat.visitorMessage(conversation, `${anonymousId}-v`, 'תודה! and returns?');
  const creds = (await ensureAgents(server.store, ''))!;
  const agent = await (await browser.newContext()).newPage();
  await agent.goto(`${server.url}/console/inbox`);
  await agent.getByLabel('Email').fill(creds.email);
  await agent.getByLabel('Password').fill(creds.password);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  await agent.getByRole('button', { name: 'Open', exact: true }).click();
  const item = agent.getByRole('button', { name: new RegExp(`Visitor ${anonymousId.slice(-6)}`) });
  const rtl = (l: ReturnType<typeof agent.locator>) => l.evaluate((el) => el.matches(':dir(rtl)'));

  // The preview's direction is its message's (the page around it is English, left to right).
  await expect(item.locator('.preview')).toHaveText('תודה! and returns?');
  expect(await rtl(item.locator('.preview'))).toBe(true);
  await item.click();
  const hebrew = agent.locator('tp-console-inbox .msg .text').filter({ hasText: 'שלום' });
  await expect(hebrew).toHaveCount(1);
  expect(await rtl(hebrew)).toBe(true);
  // The agent's English stays left to right, and every author's name is isolated.
  expect(await rtl(agent.locator('tp-console-inbox .msg.agent .text'))).toBe(false);
  for (const who of await agent.locator('tp-console-inbox .msg .who').all()) expect(await who.evaluate((el) => el.localName)).toBe('bdi');
  await agent.context().close();
});
