import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../server/cli/touchpoint.js';
import { hmacHex } from '../../server/lib/hmac.js';
import { applySiteFile } from '../../server/site-file.js';
import type { TestServer } from '../support/start-server.js';
import { test, expect, storedEvents } from './fixtures.js';

/**
 * docs/deploy.md, "Your first real site", step by step: the operator makes the
 * owner and the site with the CLI, the shop on origin A pastes the console's
 * snippet pointing at the server on origin B, its backend signs the user id
 * with the secret the CLI showed. Then events, the consent banner, a verified
 * chat, the survey and the replay all work — and the same page again under a
 * CSP with a nonce, strict-dynamic and Trusted Types required.
 */

/** `npx touchpoint …` on the server's store (in-memory here, so in-process: the same code as the bin). */
const touchpoint = async (server: TestServer, ...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), store: server.store });
  expect(code, err.join('\n')).toBe(0);
  return out.join('\n');
};

const NONCE = 'r4nd0m-n0nce';
const trustedTypesCsp = (server: string) =>
  [
    `script-src 'nonce-${NONCE}' 'strict-dynamic' ${server}`,
    `connect-src ${server}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "require-trusted-types-for 'script'",
    // The snippet's policy, the SDK's and lit's (docs/deploy.md step 5).
    'trusted-types touchpoint-snippet touchpoint lit-html',
  ].join('; ');

let site: { key: string; secret: string; snippet: string };

test.describe.configure({ mode: 'serial' });

test('steps 1–3: the owner and the site from the CLI, the secret shown to the operator only, the snippet from the console', async ({ browser, server, shop }) => {
  // 1. The first owner and the site.
  const owner = JSON.parse(await touchpoint(server, 'agents', 'add', '--email', 'you@acme.test', '--name', 'You', '--role', 'owner', '--json'));
  const created = JSON.parse(await touchpoint(server, 'sites', 'create', '--name', 'Acme Shop', '--origin', shop.url, '--json'));
  expect(created.allowedOrigins).toEqual([shop.url]);
  // The backend's TOUCHPOINT_SITE_SECRET, as `sites secret show` prints it.
  const secret = await touchpoint(server, 'sites', 'secret', 'show', '--site', created.key);
  expect(secret).toBe(created.secret);
  // The shop's surveys and chat greeting, from a sites file (TOUCHPOINT_SITES_FILE), with its own origin only.
  const demo = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../server/demo-sites.json'), 'utf8')).sites[0];
  const file = join(mkdtempSync(join(tmpdir(), 'tp-sites-')), 'sites.json');
  writeFileSync(file, JSON.stringify({ sites: [{ key: created.key, name: 'Acme Shop', allowedOrigins: [shop.url], config: demo.config }] }));
  await applySiteFile(server.app.deps.sites, file);

  // 3. The snippet, as the console's Settings shows it to the owner.
  const context = await browser.newContext();
  const login = await context.request.post(`${server.url}/v1/agent/login`, { data: { email: 'you@acme.test', password: owner.password } });
  expect(login.status()).toBe(200);
  const settings = await (await context.request.get(`${server.url}/v1/agent/sites/${created.key}/settings`)).json();
  expect(settings.snippet).toContain(`"${server.url}/cdn/touchpoint.js"`);
  expect(settings.snippet).toContain(created.key);
  await context.close();
  site = { key: created.key, secret, snippet: settings.snippet };
});

for (const variant of ['no CSP', 'a Trusted Types CSP'] as const) {
  test(`steps 3–4 on the shop's own origin, with ${variant}: events, consent banner, verified chat, survey and replay`, async ({ browser, server, shop }) => {
    test.setTimeout(60_000);
    expect(site, 'the first test made the site').toBeTruthy();
    // One customer per variant (a verified customer's chats follow them across devices).
    const userId = variant === 'no CSP' ? 'cust-1' : 'cust-2';
    const userHash = hmacHex(site.secret, userId); // the shop's backend, with the secret from the CLI
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Shop</title>
<script nonce="${NONCE}">${site.snippet}</script></head>
<body><main><h1>Acme Shop</h1><p>Welcome back.</p></main>
<tp-chat-launcher site-key="${site.key}" endpoint="${server.url}" user-id="${userId}" user-hash="${userHash}"></tp-chat-launcher>
</body></html>`;
    const url = shop.page(`acme-${variant === 'no CSP' ? 'plain' : 'tt'}`, html, variant === 'no CSP' ? {} : { 'content-security-policy': trustedTypesCsp(server.url) });
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(() => {
      (window as any).violations = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as any).violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
    });
    await page.goto(url);

    // The consent banner asks first; nothing is recorded before.
    await page.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
    const anonymousId = await page.evaluate(() => (window as any).touchpoint.anonymousId as string);
    const consent = async () => (await server.store.query('SELECT 1 FROM consent_records WHERE site_key = $1 AND anonymous_id = $2', [site.key, anonymousId])).rows.length;
    await expect.poll(consent).toBe(1);

    // 4. Verified identity: the page identifies with the backend's userHash.
    await page.evaluate(([id, h]) => (window as any).touchpoint.identify(id, { email: `${id}@acme.test` }, { userHash: h }), [userId, userHash]);
    const verified = async () => (await server.store.query('SELECT 1 FROM identities WHERE site_key = $1 AND anonymous_id = $2 AND user_id = $3 AND verified', [site.key, anonymousId, userId])).rows.length;
    await expect.poll(verified).toBe(1);

    // An order: the event, then the effort survey it triggers.
    await page.evaluate(() => (window as any).touchpoint.track('Order Completed', { total: 42 }));
    const card = page.locator('tp-survey').getByRole('dialog', { name: 'Feedback' });
    await card.getByRole('radio', { name: '6 – Agree' }).click();
    await expect(card.getByText('Thank you for your feedback!')).toBeVisible();
    const answers = async () => (await server.store.query<{ value: unknown }>('SELECT value FROM survey_answers WHERE site_key = $1 AND anonymous_id = $2 AND question_id = $3', [site.key, anonymousId, 'effort'])).rows.map((r) => r.value);
    await expect.poll(answers).toEqual([6]);
    await expect.poll(async () => (await storedEvents(server, anonymousId)).map((e) => e.name ?? e.type)).toEqual(expect.arrayContaining(['page', 'identify', 'Order Completed']));

    // The chat: the conversation belongs to the verified customer.
    await page.getByRole('button', { name: 'Chat with us' }).click();
    const composer = page.getByRole('textbox', { name: 'Write a message…' });
    await composer.fill('Where is my order?');
    await composer.press('Enter');
    await expect(page.locator('tp-chat-panel .msg').filter({ hasText: 'Where is my order?' })).toBeVisible();
    const conversation = async () => (await server.store.query<{ user_id: string | null }>('SELECT user_id FROM conversations WHERE site_key = $1 AND anonymous_id = $2', [site.key, anonymousId])).rows;
    await expect.poll(conversation).toEqual([{ user_id: userId }]);

    // The replay: hidden, the open chunk is cut and uploaded.
    const sessionId = await page.evaluate(() => (window as any).touchpoint.sessionId as string);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await expect.poll(async () => (await server.store.query('SELECT 1 FROM replay_chunks WHERE site_key = $1 AND session_id = $2', [site.key, sessionId])).rows.length, { timeout: 15_000 }).toBeGreaterThan(0);

    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (window as any).violations)).toEqual([]);
    if (variant !== 'no CSP') expect((await page.request.get(url)).headers()['content-security-policy']).toContain("require-trusted-types-for 'script'");
    await context.close();
  });
}

test("the site's data from any other origin is refused (403 origin_not_allowed), its assets are not", async ({ page, server }) => {
  expect(site).toBeTruthy();
  const res = await page.request.post(`${server.url}/v1/batch?site=${site.key}`, {
    headers: { origin: 'https://elsewhere.test', 'content-type': 'text/plain' },
    data: JSON.stringify({ protocol: 1, sentAt: new Date().toISOString(), batch: [] }),
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe('origin_not_allowed');
  const asset = await page.request.get(`${server.url}/cdn/touchpoint.js`, { headers: { origin: 'https://elsewhere.test' } });
  expect(asset.headers()['access-control-allow-origin']).toBe('*');
});
