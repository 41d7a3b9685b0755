import type { Page } from '@playwright/test';
import { getConversation } from '../../server/chat/chat-store.js';
import { test, expect } from './fixtures.js';

const texts = (p: Page) => p.locator('tp-chat-launcher tp-chat-panel .msg .text');

/**
 * Runs in every tab from its first script: watches the chat panel as the visitor does and notes an
 * agent's message shown and then gone, or shown twice at once (polling: the panel is two shadow roots deep).
 */
const watchShown = () => {
  const w = window as unknown as { __lost: string[]; __twice: string[] };
  const seen = new Set<string>();
  w.__lost = [];
  w.__twice = [];
  setInterval(() => {
    const panel = document.querySelector('tp-chat-launcher')?.shadowRoot?.querySelector('tp-chat-panel')?.shadowRoot;
    if (!panel) return;
    const now = [...panel.querySelectorAll('.msg .text')].map((t) => t.textContent ?? '').filter((t) => t.startsWith('Agent says'));
    for (const b of seen) if (!now.includes(b)) w.__lost.push(b);
    for (const b of now) if (now.indexOf(b) !== now.lastIndexOf(b)) w.__twice.push(b);
    now.forEach((b) => seen.add(b));
  }, 10);
};
const troubles = (p: Page) =>
  p.evaluate(() => {
    const { __lost: lost, __twice: twice } = window as unknown as { __lost: string[]; __twice: string[] };
    return { lost, twice };
  });

test('the tab holding the chat stream closes, twenty times over: the next tab takes it over and misses nothing; no tab loses or repeats a message it has shown', async ({ browser, server, shop }) => {
  test.setTimeout(240_000);
  const context = await browser.newContext();
  await context.addInitScript(watchShown);
  // Which tab opened the browser's stream last: the leader.
  const streams: Page[] = [];
  context.on('request', (r) => r.url().includes('/v1/chat/stream') && streams.push(r.frame().page()));

  const open = async () => {
    const p = await context.newPage();
    await p.goto(`${shop.url}/`);
    await p.getByRole('button', { name: /Chat with us/ }).click();
    await expect(p.getByRole('textbox', { name: 'Write a message…' })).toBeFocused();
    return p;
  };
  const first = await context.newPage();
  await first.goto(`${shop.url}/`);
  await first.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  // The second tab's chat is open before any conversation exists: it learns of it from the first tab.
  let follower = await open();
  await first.getByRole('button', { name: 'Chat with us' }).click();
  const composer = first.getByRole('textbox', { name: 'Write a message…' });
  await composer.fill('Hello, is anyone there?');
  await composer.press('Enter');
  await expect(texts(follower).filter({ hasText: 'Hello, is anyone there?' })).toHaveCount(1);
  let leader = first;
  await expect.poll(() => streams.at(-1)).toBe(leader);

  const { rows } = await server.store.query<{ id: string }>(`SELECT id FROM conversations WHERE site_key = 'demo' ORDER BY created_at DESC LIMIT 1`);
  const conversation = (await getConversation(server.store, rows[0]!.id))!;
  const agent = { kind: 'agent' as const, name: 'Dev Agent' };
  const said: string[] = [];
  const say = async (body: string) => {
    said.push(body);
    await server.app.deps.chat.agentMessage(conversation, agent, `${body}-id`, body);
  };

  for (let i = 0; i < 20; i++) {
    // A message on its way as the leader goes, and one while no tab holds the stream.
    await say(`Agent says ${i}a`);
    expect(await troubles(leader)).toEqual({ lost: [], twice: [] });
    await leader.close();
    await say(`Agent says ${i}b`);
    await expect.poll(() => streams.at(-1), { message: `iteration ${i}: the follower leads` }).toBe(follower);
    for (const body of said.slice(-2)) await expect(texts(follower).filter({ hasText: body }), `iteration ${i}: ${body}`).toHaveCount(1);
    // Everything said so far, once each, in order.
    expect((await texts(follower).allTextContents()).filter((t) => t.startsWith('Agent says'))).toEqual(said);
    leader = follower;
    follower = await open();
    await expect(texts(follower).filter({ hasText: said.at(-1)! })).toHaveCount(1);
  }
  for (const p of [leader, follower]) expect(await troubles(p)).toEqual({ lost: [], twice: [] });
  await context.close();
});
