import { until } from '../support/until.js';
import { postBatch } from '../support/post-batch.js';
import { test, expect, consoleOwner, storedEvents } from './fixtures.js';
import { axeViolations } from './axe.js';

const MESSAGE = 'Stuck at checkout? Ask us, we answer in minutes.';
// Only visitors who came from the newsletter: other journeys on this shared server shop at checkout too.
// Half of all visitors held out by default, but never of this rule (its own 0): the shopper is always helped.
const RULES = { cooldownSeconds: 60, holdout: 0.5, rules: [{ id: 'e2e-checkout-rage', when: { path: '/checkout', friction: { rage: 2 }, channel: { touch: 'last', in: ['Email'] } }, action: { kind: 'chat', message: MESSAGE }, holdout: 0 }] };

test('a help rule set in the console opens the chat for a shopper who rage-clicks at checkout; the firing is stored and the funnel lists her among those who left there, with a replay at the rage click', async ({ browser, server, shop }) => {
  test.setTimeout(120_000);
  const owner = await consoleOwner(browser, server, '/console/journeys?site=demo');
  try {
    // The owner writes the rule in Journeys → Help rules, through the form.
    const help = owner.locator('tp-console-help-rules');
    await help.getByRole('button', { name: 'Add a rule' }).click();
    const rule = help.getByRole('group', { name: /^Rule 1:/ });
    await rule.getByLabel('Id', { exact: true }).fill('e2e-checkout-rage');
    // A pattern that is not a path is refused before anything is sent, by the schema the server checks with, at its field.
    await rule.getByLabel('Page pattern').fill('checkout');
    await help.getByRole('button', { name: 'Save help rules' }).click();
    await expect(help.getByRole('alert')).toContainText('Rule 1 (e2e-checkout-rage) › when › path: must match pattern');
    await expect(rule.getByLabel('Page pattern')).toHaveAttribute('aria-invalid', 'true');
    await rule.getByLabel('Page pattern').fill('/checkout');
    await rule.getByLabel('Rage clicks').fill('2');
    await rule.getByLabel('Channel touch').selectOption('last');
    await rule.getByLabel('Channels').selectOption(['Email']);
    await rule.getByLabel('Action').selectOption('chat');
    await rule.getByLabel('Chat message', { exact: true }).fill(MESSAGE);
    await rule.getByLabel('Held out (% of visitors, 0–50)').fill('0');
    await help.getByLabel('Cooldown after any rule fires (seconds)').fill('60');
    await help.getByLabel('Held out of every rule that sets none (% of visitors)').fill('50');
    await help.getByRole('button', { name: 'Save help rules' }).click();
    await expect(help.getByRole('status').filter({ hasText: 'Saved: 1 rule(s)' })).toBeVisible();
    // The JSON view is the same document, as the server stored it.
    await help.getByRole('button', { name: 'Advanced: edit as JSON' }).click();
    expect(JSON.parse(await help.getByLabel('Rules (JSON)').inputValue())).toEqual(RULES);
    expect(await axeViolations(owner)).toEqual([]);
    await until(async () => !!((await (await fetch(`${server.url}/v1/sites/demo/config`)).json()) as { help?: unknown }).help, 10_000);

    // A shopper from the newsletter reaches the checkout and rage-clicks twice, at two places of the page.
    const shopper = await (await browser.newContext()).newPage();
    await shopper.goto(`${shop.url}/shop?utm_source=newsletter&utm_medium=email&utm_campaign=e2e-help`);
    await shopper.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
    await shopper.getByRole('button', { name: 'Add to cart' }).first().click();
    await shopper.getByRole('link', { name: 'Checkout' }).click();
    await expect(shopper.getByRole('heading', { name: 'Checkout' })).toBeVisible();
    const anon = await shopper.evaluate(() => (window as unknown as { touchpoint: { anonymousId: string } }).touchpoint.anonymousId);
    const launcher = shopper.locator('tp-chat-launcher');
    await shopper.getByRole('heading', { name: 'Checkout' }).click({ clickCount: 3, delay: 60 });
    await until(async () => (await storedEvents(server, anon)).some((e) => e.name === 'Rage Click'), 20_000);
    // One rage click is not enough for this rule.
    await expect(launcher).not.toHaveAttribute('open');
    await shopper.locator('label', { hasText: 'Card number' }).click({ clickCount: 3, delay: 60, position: { x: 4, y: 4 } });

    // The rule opens the chat with its message…
    await expect(launcher).toHaveAttribute('open', '');
    await expect(launcher.getByText(MESSAGE)).toBeVisible();
    // …and the firing is stored, with the rule's id, in her session.
    await until(async () => (await storedEvents(server, anon)).some((e) => e.name === 'Help Rule Fired'), 20_000);
    const fired = (await storedEvents(server, anon)).filter((e) => e.name === 'Help Rule Fired');
    expect(fired).toHaveLength(1);
    expect(fired[0]!.payload.properties).toEqual({ ruleId: 'e2e-checkout-rage', action: 'chat' });
    const rage = (await server.store.query<{ session_id: string; at: Date }>(`SELECT session_id, timestamp AS at FROM events WHERE anonymous_id = $1 AND name = 'Rage Click' ORDER BY timestamp LIMIT 1`, [anon])).rows[0]!;
    await shopper.context().close();

    // A second newsletter shopper the rule matched but held out (as the SDK records it): the funnel's control group.
    const heldAnon = `e2e-held-${Date.now()}`;
    const t = Date.now();
    const ctx = (path: string) => ({ session: { id: `${heldAnon}-s` }, page: { url: `${shop.url}${path}`, path } });
    const held = await postBatch(server.url, 'demo', {
      sentAt: new Date(t).toISOString(),
      batch: [
        { type: 'page', messageId: `${heldAnon}-1`, anonymousId: heldAnon, timestamp: new Date(t - 3000).toISOString(), properties: {}, context: ctx('/shop') },
        { type: 'page', messageId: `${heldAnon}-2`, anonymousId: heldAnon, timestamp: new Date(t - 2000).toISOString(), properties: {}, context: ctx('/checkout') },
        { type: 'track', messageId: `${heldAnon}-3`, anonymousId: heldAnon, event: 'Help Rule Held Out', properties: { ruleId: 'e2e-checkout-rage', action: 'chat' }, timestamp: new Date(t - 1000).toISOString(), context: ctx('/checkout') },
      ],
    });
    expect(held.status).toBe(200);

    // She left at checkout: the funnel lists her session with a replay link at her first rage click there.
    const steps = JSON.stringify([{ page: '/shop' }, { page: '/checkout' }, { event: 'Order Completed' }]);
    await owner.goto(`${server.url}/console/journeys?site=demo&breakdown=help&steps=${encodeURIComponent(steps)}`);
    const checkout = owner.getByRole('row', { name: /^\/checkout/ });
    await expect(checkout.locator(`a[href="/console/replays/${encodeURIComponent(rage.session_id)}?t=${new Date(rage.at).getTime()}"]`)).toHaveText(/Replay at the rage click/);
    // And the help breakdown counts her among those the rule reached.
    await expect(owner.getByRole('row', { name: /^help: e2e-checkout-rage/ })).toBeVisible();
    // …and the held-out shopper right after, then the rule's effect: helped against held out, both too few to tell.
    await expect(owner.getByRole('row', { name: /^held out: e2e-checkout-rage/ })).toBeVisible();
    const effect = owner.getByRole('row', { name: /^e2e-checkout-rage/ });
    await expect(effect).toContainText('too few to tell');
    // Cells after the rule: helped, its conversion, held out, its conversion, effect.
    await expect(effect.getByRole('cell').nth(2)).toHaveText('1');
  } finally {
    await server.app.deps.sites.update('demo', { config: { help: null } });
    await owner.context().close();
  }
});
