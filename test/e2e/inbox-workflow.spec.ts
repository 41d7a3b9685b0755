import { resolve } from 'node:path';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { test, expect, sdkSettled } from './fixtures.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { startShop, type Shop } from '../support/start-shop.js';
import { testClock } from '../support/clock.js';
import { serverStatics } from '../../server/demo-statics.js';
import { applySiteFile } from '../../server/site-file.js';
import { upsertAgent } from '../../server/agents.js';
import { axeViolations } from './axe.js';
import { mailbox } from '../support/channels-server.js';
import { addNote } from '../../server/repositories/conversation-notes.js';
import { CHAT_CHANNEL } from '../../server/chat/chat-hub.js';
import { MISSED } from '../../server/store/store.js';

const root = resolve(import.meta.dirname, '../..');
const NOTE = 'Private: refund approved by finance, ticket FIN-4471';

/**
 * The inbox a support team lives in, on a server of its own whose clock the
 * test moves (snoozes end by the server's time): two agents in two browsers,
 * round-robin between them, a private note the visitor never receives (their
 * stream, read through DevTools, and their page searched), a canned reply
 * expanded with its placeholders, a snooze that a visitor's message ends and
 * one that ends at its time; the conversation left unanswered meanwhile is
 * e-mailed to its assignee alone, through a real SMTP server on loopback.
 */
test.describe('the inbox workflow', () => {
  let server: TestServer;
  let shop: Shop;
  let box: Awaited<ReturnType<typeof mailbox>>;
  const clock = testClock(Date.now());

  test.beforeAll(async () => {
    box = await mailbox();
    server = await startServer({
      statics: serverStatics(root),
      now: clock,
      channels: { relay: { host: '127.0.0.1', port: box.port, secure: false, ignoreTLS: true } },
      waitingMail: { tickMs: 200, from: 'Touchpoint <notify@shop.example>' },
    });
    await applySiteFile(server.app.deps.sites, resolve(root, 'server/demo-sites.json'));
    shop = await startShop(root, { server: server.url });
    await server.app.deps.sites.setOrigins('demo', [shop.url]);
    await upsertAgent(server.store, 'ada@shop.example', 'ada-password-1', 'Ada', 'owner');
    await upsertAgent(server.store, 'bob@shop.example', 'bob-password-1', 'Bob', 'agent');
  });
  test.afterAll(async () => {
    await shop?.close();
    await server?.close();
    await box?.close();
  });

  const agentApi = async (email: string, password: string) => {
    const r = await fetch(`${server.url}/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
    const id = ((await r.json()) as { agent: { id: string } }).agent.id;
    const call = async (method: string, path: string, body: unknown) => {
      const res = await fetch(`${server.url}/v1/agent${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, `${method} ${path}`).toBe(200);
      return res.json();
    };
    return { id, call };
  };

  const signIn = async (browser: Browser, email: string, password: string) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/console/inbox`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('group', { name: 'Whose' })).toBeVisible();
    return page;
  };

  /** A shopper who asks for a person; every message of their chat stream is recorded by DevTools (Network.eventSourceMessageReceived). */
  const shopper = async (browser: Browser, name: string, words: string) => {
    const page = await (await browser.newContext()).newPage();
    const stream: { eventName: string; data: string }[] = [];
    const cdp: CDPSession = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.eventSourceMessageReceived', (m) => stream.push({ eventName: m.eventName, data: m.data }));
    await page.goto(`${shop.url}/`);
    await page.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
    await page.evaluate((n) => (window as unknown as { touchpoint: { identify(id: string, t: object): void } }).touchpoint.identify(`shopper-${n}`, { name: n }), name);
    // The name the canned reply will use is the server's once the identify has arrived: wait for it to be stored.
    await sdkSettled(page);
    await expect
      .poll(async () => (await server.store.query("SELECT 1 FROM events WHERE type = 'identify' AND payload -> 'traits' ->> 'name' = $1", [name])).rows.length, { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Chat with us' }).click();
    const composer = page.getByRole('textbox', { name: 'Write a message…' });
    await composer.fill(words);
    await composer.press('Enter');
    await page.getByRole('button', { name: 'Talk to a person' }).click();
    await expect(page.getByText(/Waiting for a person|You are chatting with/).first()).toBeVisible();
    return { page, stream, composer };
  };
  const row = (agent: Page, words: string) => agent.locator('tp-console-inbox nav li button').filter({ hasText: words });
  const header = (agent: Page) => agent.locator('tp-console-inbox .conv header h2');
  const panelText = (p: Page) => p.locator('tp-chat-launcher tp-chat-panel').evaluate((el) => (el.shadowRoot?.textContent ?? '') + (el.textContent ?? ''));

  test('two agents share the work round-robin; a note stays with the agents; a canned reply is expanded; snoozes end on a visitor message and at their time; the chat left waiting is e-mailed to its assignee', async ({ browser }) => {
    test.setTimeout(180_000);
    const ada = await agentApi('ada@shop.example', 'ada-password-1');
    const bob = await agentApi('bob@shop.example', 'bob-password-1');
    const team = (await ada.call('POST', '/sites/demo/teams', { name: 'Support', memberIds: [ada.id, bob.id] })) as { team: { id: string } };
    await ada.call('PUT', '/sites/demo/inbox-settings', { assignment: 'round_robin', teamId: team.team.id, slaFirstResponseSeconds: 600 });
    await ada.call('POST', '/sites/demo/canned-replies', { shortcut: 'thanks', body: 'Thanks for waiting, {{customer.name}}! {{agent.name}} here.' });

    // Both consoles open: both agents are online.
    const adaPage = await signIn(browser, 'ada@shop.example', 'ada-password-1');
    const bobPage = await signIn(browser, 'bob@shop.example', 'bob-password-1');

    const zoe = await shopper(browser, 'Zoe', 'My parcel to Lyon is late');
    const max = await shopper(browser, 'Max', 'My invoice shows the wrong address');

    // Round-robin: one each. Each agent's "Mine" lists exactly one of them.
    for (const p of [adaPage, bobPage]) {
      await p.getByRole('group', { name: 'Whose' }).getByRole('button', { name: /^Mine/ }).click();
      await expect(p.locator('tp-console-inbox nav li')).toHaveCount(1);
    }
    const adaHasZoe = (await row(adaPage, 'parcel to Lyon').count()) === 1;
    const [mine, theirs] = adaHasZoe ? [zoe, max] : [max, zoe];
    const mineWords = adaHasZoe ? 'parcel to Lyon' : 'wrong address';
    await expect(row(bobPage, adaHasZoe ? 'wrong address' : 'parcel to Lyon')).toHaveCount(1);
    // The preview is the customer's own words, not the bot's or a system line.
    await expect(row(adaPage, mineWords).locator('.preview')).toHaveText(adaHasZoe ? 'My parcel to Lyon is late' : 'My invoice shows the wrong address');
    await row(adaPage, mineWords).click();
    await expect(header(adaPage)).toHaveText('Conversation · Open');

    // A private note: the agents see it (Bob's console too), the visitor never.
    await adaPage.getByRole('button', { name: 'Private note' }).click();
    const noteBox = adaPage.getByRole('textbox', { name: 'Private note' });
    await noteBox.fill(NOTE);
    await noteBox.press('Enter');
    await expect(adaPage.locator('tp-console-inbox .msg.note').filter({ hasText: NOTE })).toBeVisible();
    await bobPage.getByRole('group', { name: 'Whose' }).getByRole('button', { name: /^All/ }).click();
    await row(bobPage, mineWords).click();
    await expect(bobPage.locator('tp-console-inbox .msg.note').filter({ hasText: NOTE })).toBeVisible();
    // A note written while the server's signals were lost (written with no NOTIFY, then the store's listener says it missed some, as after
    // a PostgreSQL reconnect): Bob's open conversation reads its notes again and shows it, without a reload.
    const conversationId = (await server.store.query<{ conversation_id: string }>('SELECT conversation_id FROM conversation_notes WHERE body = $1', [NOTE])).rows[0]!.conversation_id;
    const lost = 'Private: courier called back, parcel found in Lyon depot';
    await addNote(server.store, { conversationId, agentId: (await agentApi('ada@shop.example', 'ada-password-1')).id, authorName: 'Ada', clientId: 'lost-note-1', body: lost, at: new Date(clock()).toISOString() });
    await server.store.notify(CHAT_CHANNEL, MISSED);
    await expect(bobPage.locator('tp-console-inbox .msg.note').filter({ hasText: lost })).toBeVisible();
    await expect(bobPage.locator('tp-console-inbox .msg.note').filter({ hasText: NOTE })).toHaveCount(1);

    // A canned reply: "/tha", Enter, and the placeholders are the customer's and the agent's names.
    await adaPage.getByRole('button', { name: 'Reply', exact: true }).click();
    const reply = adaPage.getByRole('textbox', { name: 'Reply' });
    await reply.fill('/tha');
    await expect(adaPage.getByRole('option', { name: /\/thanks/ })).toBeVisible();
    await reply.press('Enter');
    const name = adaHasZoe ? 'Zoe' : 'Max';
    await expect(reply).toHaveValue(`Thanks for waiting, ${name}! Ada here.`);
    await reply.press('Enter');
    await expect(mine.page.locator('tp-chat-launcher tp-chat-panel .msg').filter({ hasText: `Thanks for waiting, ${name}! Ada here.` })).toBeVisible();
    // The agent's message came after the note on the same conversation: the visitor's stream has delivered it, so the note would have come first.
    await expect.poll(() => mine.stream.some((m) => m.data.includes('Thanks for waiting'))).toBe(true);
    expect(JSON.stringify(mine.stream)).not.toContain('FIN-4471');
    expect(mine.stream.map((m) => m.eventName)).not.toContain('note');
    expect(await panelText(mine.page)).not.toContain('FIN-4471');
    expect(await mine.page.content()).not.toContain('FIN-4471');
    expect(JSON.stringify(theirs.stream)).not.toContain('FIN-4471');
    expect(JSON.stringify([mine.stream, theirs.stream])).not.toContain('Lyon depot');

    // Snoozed for an hour (the server's clock): a visitor's message ends it at once.
    const inAnHour = new Date(clock() + 3_600_000);
    const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await adaPage.getByLabel('Snooze until').fill(local(inAnHour));
    await adaPage.getByRole('button', { name: 'Snooze', exact: true }).click();
    await expect(header(adaPage)).toHaveText(/^Conversation · Snoozed until /);
    await mine.composer.fill('Any news about it?');
    await mine.composer.press('Enter');
    await expect(header(adaPage)).toHaveText('Conversation · Open');

    // Snoozed for 30 minutes; the server's clock moves 31 minutes on: open again with no one writing.
    await adaPage.getByLabel('Snooze until').fill(local(new Date(clock() + 30 * 60_000)));
    await adaPage.getByRole('button', { name: 'Snooze', exact: true }).click();
    await expect(header(adaPage)).toHaveText(/^Conversation · Snoozed until /);
    clock.advance(31 * 60_000);
    // The list wakes snoozes whose time has come when it is read (and every 15 s by itself).
    await adaPage.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Snoozed' }).click();
    await expect(header(adaPage)).toHaveText('Conversation · Open');
    await expect(row(adaPage, mineWords)).toHaveCount(0);
    // Past the 10-minute target with no first response: Bob's still-unanswered conversation is overdue.
    await bobPage.getByRole('group', { name: 'Whose' }).getByRole('button', { name: /^Mine/ }).click();
    await expect(bobPage.locator('tp-console-inbox nav li .breach')).toHaveText('First response overdue');
    // And it waited past the site's 5 minutes: one e-mail, to Bob alone (its assignee), quoting the customer.
    const bobsWords = adaHasZoe ? 'My invoice shows the wrong address' : 'My parcel to Lyon is late';
    const waiting = () => box.got.filter((m) => m.mail.subject?.startsWith('Waiting') && (m.mail.text ?? '').includes(bobsWords));
    await expect.poll(() => waiting().length, { timeout: 15_000 }).toBe(1);
    expect(waiting()[0]!.envelopeTo).toEqual(['bob@shop.example']);
    expect(box.got.filter((m) => m.mail.subject?.startsWith('Waiting')).every((m) => m.envelopeTo.length === 1)).toBe(true);
    // The visitor saw none of it: no note, no snooze.
    expect(await panelText(mine.page)).not.toMatch(/FIN-4471|[Ss]nooze/);
    expect(await axeViolations(adaPage)).toEqual([]);

    // Console → Support: the report has Bob's and Ada's rows; the page is axe-clean.
    await adaPage.getByRole('link', { name: 'Support' }).click();
    await expect(adaPage.getByRole('heading', { name: 'Support', level: 1 })).toBeVisible();
    await expect(adaPage.locator('tp-console-support table').first().getByRole('rowheader', { name: 'Ada' })).toBeVisible();
    await expect(adaPage.locator('tp-console-support table').first().getByRole('rowheader', { name: 'Bob' })).toBeVisible();
    expect(await axeViolations(adaPage)).toEqual([]);
  });
});
