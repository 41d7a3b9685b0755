import { test, expect, storedEvents } from './fixtures.js';
import { until } from '../support/until.js';

// The framework examples as built by scripts/build-examples.mjs (npm test runs it before these journeys).
const signedUpFrom = async (server: Parameters<typeof storedEvents>[0], from: string) =>
  (await storedEvents(server)).filter((e) => e.name === 'Signed Up' && e.payload.properties?.from === from);

for (const name of ['vite-ts', 'react', 'vue'] as const) {
  test(`the ${name} example: consent through the banner, then a tracked click reaches the server`, async ({ page, server, shop }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${shop.url}/${name}/dist/index.html`);
    await page.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
    await page.getByRole('button', { name: 'Sign up' }).click();
    await until(async () => (await signedUpFrom(server, name)).length === 1, 15_000);
    await expect(page.getByRole('status').first()).toContainText(/Sent \d+ item\(s\): HTTP 200|Consent/);
    // The launcher is there and loads its panel on intent.
    await page.locator('tp-chat-launcher').getByRole('button', { name: 'Chat with us' }).click();
    await expect(page.locator('tp-chat-launcher tp-chat-panel')).toBeVisible();
    if (name !== 'vite-ts') {
      // A property set from the framework (the survey's definition) and an event handled by it.
      await page.locator('tp-survey').getByRole('radio').last().click();
      await expect(page.getByRole('status').first()).toHaveText('Answered csat');
    }
    expect(errors).toEqual([]);
  });
}

test('the server-rendered example: the SDK is a no-op in Node, and the page hydrates and tracks in the browser', async ({ page, server, shop }) => {
  // On the server: importing and calling the SDK renders a page and throws nothing.
  const { render } = await import('../../examples/ssr/render.mjs');
  const html = render({ path: '/ssr/', server: server.url });
  expect(html).toContain('data-sdk-on-server="no-op"');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(shop.page('ssr', html));
  await expect(page.locator('main[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Rendered on the server' })).toBeVisible();
  await page.getByRole('button', { name: 'Allow analytics' }).click();
  await page.getByRole('button', { name: 'Sign up' }).click();
  await until(async () => (await signedUpFrom(server, 'ssr')).length === 1, 15_000);
  expect(errors).toEqual([]);
});
