import nodemailer from 'nodemailer';
import { resolve } from 'node:path';
import { serverStatics } from '../../server/demo-statics.js';
import { hmacHex } from '../../server/lib/hmac.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { startShop, type Shop } from '../support/start-shop.js';
import { until } from '../support/until.js';
import { axeViolations } from './axe.js';
import { consoleOwner } from './fixtures.js';
import { test, expect } from '@playwright/test';

const root = resolve(import.meta.dirname, '../..');
const SUPPORT = 'support@shop.test';

/**
 * Omnichannel as a customer lives it: one person writes on the shop's web
 * chat, later by e-mail to the support address an owner set up in the console
 * — and the console shows one customer with both conversations. A server of
 * its own (the shared fixture's has no SMTP listener), the shop on another
 * origin, the only one the site allows.
 */
let server: TestServer;
let shop: Shop;
test.beforeAll(async () => {
  server = await startServer({ statics: serverStatics(root), channels: { smtp: { port: 0, host: '127.0.0.1' } } });
  shop = await startShop(root, { server: server.url });
  await server.app.deps.sites.setOrigins('demo', [shop.url]);
});
test.afterAll(async () => {
  await shop?.close();
  await server?.close();
});

test('a customer who writes on web chat and then by e-mail is one profile with both conversations on its timeline, and an owner links her second address by hand', async ({ browser }) => {
  test.setTimeout(90_000);
  // The owner adds the support address in Console → Channels.
  const owner = await consoleOwner(browser, server, '/console/channels');
  await owner.getByLabel('Kind').selectOption('email');
  await owner.getByLabel('Support address').fill(SUPPORT);
  await owner.getByRole('button', { name: 'Save' }).click();
  await expect(owner.getByRole('cell', { name: SUPPORT })).toBeVisible();
  await expect(owner.getByText('SMTP listener: on')).toBeVisible();

  // On the shop, Ada accepts, signs in (a verified identity with her e-mail) and chats.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${shop.url}/`);
  await visitor.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  const secret = (await server.app.deps.sites.get('demo'))!.secret;
  await visitor.evaluate(
    (h) => (window as unknown as { touchpoint: { identify: (id: string, t: object, o: object) => void } }).touchpoint.identify('ada-1815', { email: 'ada@example.com', name: 'Ada Lovelace' }, { userHash: h }),
    hmacHex(secret, 'ada-1815'),
  );
  await until(async () => (await server.store.query(`SELECT 1 FROM identities WHERE user_id = 'ada-1815' AND verified`)).rows.length === 1, 15_000);
  await visitor.getByRole('button', { name: 'Chat with us' }).click();
  const composer = visitor.getByRole('textbox', { name: 'Write a message…' });
  await composer.fill('Where is my order 1815?');
  await composer.press('Enter');
  await until(async () => (await server.store.query(`SELECT 1 FROM chat_events WHERE body = 'Where is my order 1815?'`)).rows.length === 1, 15_000);

  // Later she writes by e-mail from the same address, through a real SMTP client.
  const mailer = nodemailer.createTransport({ host: '127.0.0.1', port: server.app.smtp!.port(), secure: false, ignoreTLS: true });
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1d2b3d40000000049454e44ae426082', 'hex');
  await mailer.sendMail({
    from: 'Ada Lovelace <ada@example.com>',
    to: SUPPORT,
    subject: 'Order 1815',
    text: 'Following up by mail: order 1815 has not arrived.',
    attachments: [{ filename: 'label.png', content: png, contentType: 'image/png' }],
  });
  mailer.close();

  // In the inbox the agent sees her words and the photo she attached.
  await owner.goto(`${server.url}/console/inbox`);
  await owner.getByRole('button', { name: /Following up by mail/ }).click();
  const photo = owner.getByRole('list', { name: 'Attachments' }).getByRole('img', { name: 'label.png' });
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  await expect(owner.getByRole('link', { name: 'label.png' })).toHaveAttribute('download', 'label.png');

  // One customer: the e-mail identity joined the verified user, and the profile shows both conversations.
  await owner.goto(`${server.url}/console/customers/ada-1815`);
  const timeline = owner.getByRole('list', { name: 'Everything this customer did, newest first' });
  await expect(timeline.getByText('Conversation (web,')).toBeVisible();
  await expect(timeline.getByText('Conversation (email,')).toBeVisible();
  const { rows } = await server.store.query<{ anonymous_id: string }>(`SELECT anonymous_id FROM identities WHERE user_id = 'ada-1815' ORDER BY anonymous_id`);
  expect(rows.map((r) => r.anonymous_id)).toContain('email:ada@example.com');

  // She also writes from her work address, which nothing verified ties to her: a stranger, until an owner links it by hand.
  const work = nodemailer.createTransport({ host: '127.0.0.1', port: server.app.smtp!.port(), secure: false, ignoreTLS: true });
  await work.sendMail({ from: 'Ada L. <ada.work@corp.test>', to: SUPPORT, subject: 'Invoice for 1815', text: 'Please send the invoice to my work address.' });
  work.close();
  await until(async () => (await server.store.query(`SELECT 1 FROM conversations WHERE anonymous_id = 'email:ada.work@corp.test'`)).rows.length === 1, 15_000);
  await owner.reload();
  await expect(timeline.getByText('Conversation (email,')).toHaveCount(1);
  await owner.getByText('Link a channel identity to this customer').click();
  expect(await axeViolations(owner)).toEqual([]);
  await owner.getByLabel('E-mail or messaging identity').fill('email:ada.work@corp.test');
  await owner.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(owner.getByRole('status')).toHaveText('Linked email:ada.work@corp.test to ada-1815.');
  await expect(timeline.getByText('Conversation (email,')).toHaveCount(2);
  const audit = await server.store.query<{ how: string }>(`SELECT how FROM identity_links WHERE anonymous_id = 'email:ada.work@corp.test'`);
  expect(audit.rows).toEqual([{ how: 'by hand' }]);
});
