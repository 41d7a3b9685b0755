import { until } from '../support/until.js';
import { axeViolations } from './axe.js';
import { test, expect, consoleOwner, storedEvents } from './fixtures.js';

test('the funnel shows a shopper who struggled at checkout among those who left there, with a replay link at the rage click', async ({ browser, server, shop }) => {
  test.setTimeout(90_000);
  // One shopper buys; another rage-clicks on the checkout and leaves.
  const buyer = await (await browser.newContext()).newPage();
  await buyer.goto(`${shop.url}/shop`);
  await buyer.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  await buyer.getByRole('button', { name: 'Add to cart' }).first().click();
  await buyer.goto(`${shop.url}/checkout`);
  await buyer.getByLabel('Email').fill('buyer@example.com');
  await buyer.getByRole('button', { name: 'Place order' }).click();
  await expect(buyer.getByText('Thank you!')).toBeVisible();

  const leaver = await (await browser.newContext()).newPage();
  await leaver.goto(`${shop.url}/shop`);
  await leaver.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  await leaver.goto(`${shop.url}/checkout`);
  const anon = await leaver.evaluate(() => (window as unknown as { touchpoint: { anonymousId: string } }).touchpoint.anonymousId);
  await leaver.getByRole('heading', { name: 'Checkout' }).click({ clickCount: 4, delay: 60 });
  await until(async () => (await storedEvents(server, anon)).some((e) => e.name === 'Rage Click'), 20_000);
  await until(async () => (await storedEvents(server)).some((e) => e.name === 'Order Completed'), 20_000);
  const rage = (await server.store.query<{ session_id: string; at: Date }>(`SELECT session_id, timestamp AS at FROM events WHERE anonymous_id = $1 AND name = 'Rage Click' ORDER BY timestamp LIMIT 1`, [anon])).rows[0]!;

  const steps = JSON.stringify([{ page: '/shop' }, { page: '/checkout' }, { event: 'Order Completed' }]);
  // The demo site by name: other specs on the same server add sites that may sort first.
  const owner = await consoleOwner(browser, server, `/console/journeys?site=demo&steps=${encodeURIComponent(steps)}`);
  const checkout = owner.getByRole('row', { name: /^\/checkout/ });
  // Other journeys on this server shop too: at least our two reached checkout, and one of them rage-clicked there.
  await expect.poll(async () => Number(await checkout.getByRole('cell').first().textContent())).toBeGreaterThanOrEqual(2);
  await expect(checkout).toContainText(/Rage Click [1-9]/);
  // Her link, by where it leads: the help-rules journey's shopper rage-clicks at checkout on this server too.
  const href = `/console/replays/${encodeURIComponent(rage.session_id)}?t=${new Date(rage.at).getTime()}`;
  await expect(checkout.locator(`a[href="${href}"]`)).toHaveAccessibleName(/Replay at the rage click/);
  await expect.poll(async () => Number(await owner.getByRole('row', { name: /^Order Completed/ }).getByRole('cell').first().textContent())).toBeGreaterThanOrEqual(1);
  expect(await axeViolations(owner)).toEqual([]);
  for (const p of [buyer, leaver, owner]) await p.context().close();
});
