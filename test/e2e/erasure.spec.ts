import { ensureAgents } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';
import { until } from '../support/until.js';
import { axeViolations } from './axe.js';
import { test, expect } from './fixtures.js';

test('an owner downloads everything held about a customer, then erases them from the console; nothing of them is left in any table', async ({ browser, server, shop }) => {
  test.setTimeout(90_000);
  const secret = (await server.app.deps.sites.get('demo'))!.secret;
  // A visitor on the shop (another origin) accepts, signs in (verified) and browses.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`${shop.url}/`);
  await visitor.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  await visitor.evaluate(
    (h) => (window as unknown as { touchpoint: { identify: (id: string, t: object, o: object) => void } }).touchpoint.identify('erase-me-42', { email: 'erase.me@example.com' }, { userHash: h }),
    hmacHex(secret, 'erase-me-42'),
  );
  const anon = await visitor.evaluate(() => (window as unknown as { touchpoint: { anonymousId: string } }).touchpoint.anonymousId);
  await until(async () => (await server.store.query(`SELECT 1 FROM identities WHERE user_id = 'erase-me-42' AND verified`)).rows.length === 1, 15_000);
  await until(async () => (await server.store.query(`SELECT 1 FROM consent_records WHERE anonymous_id = $1`, [anon])).rows.length === 1, 15_000);

  const creds = (await ensureAgents(server.store, ''))!;
  const owner = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await owner.goto(`${server.url}/console/customers/erase-me-42`);
  await owner.getByLabel('Email').fill(creds.email);
  await owner.getByLabel('Password').fill(creds.password);
  await owner.getByRole('button', { name: 'Sign in' }).click();
  await expect(owner.getByRole('heading', { name: 'Personal data' })).toBeVisible();

  const [download] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('link', { name: /Download everything held/ }).click()]);
  expect(download.suggestedFilename()).toBe('customer-erase-me-42.json');
  const exported = JSON.parse(await (await download.createReadStream()).toArray().then((b) => Buffer.concat(b).toString('utf8')));
  expect(exported.customer).toEqual({ userId: 'erase-me-42', anonymousIds: [anon] });
  expect(exported.tables.consent_records).toHaveLength(1);

  await owner.getByText('Erase this customer').click();
  const erase = owner.getByRole('button', { name: 'Erase erase-me-42' });
  await expect(erase).toBeDisabled();
  expect(await axeViolations(owner)).toEqual([]);
  await owner.getByLabel('I understand this cannot be undone').check();
  await erase.click();
  await expect(owner.getByRole('status')).toContainText('Erased');

  const { rows: tables } = await server.store.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
  for (const { t } of tables) {
    for (const mark of [anon, 'erase.me@example.com']) {
      const { rows } = await server.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} x WHERE x::text LIKE $1`, [`%${mark}%`]);
      expect(rows[0]!.n, `${t} still holds ${mark}`).toBe(0);
    }
  }
});
