import type { Locator } from '@playwright/test';
import { consoleOwner, test, expect, visitorInChat } from './fixtures.js';

/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** A picture seen by its own pixels: loaded, decoded, 1×1 (the bytes the other side sent). */
const shown = (img: Locator) => expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth === 1), { timeout: 15_000 }).toBe(true);

test('an image sent each way is shown on the other side: the visitor on the shop, the agent in the console', async ({ browser, server, shop }) => {
  test.setTimeout(90_000);
  const { page: visitor, composer } = await visitorInChat(browser, shop);
  await composer.fill('talk to a person');
  await composer.press('Enter');
  const panel = visitor.locator('tp-chat-launcher tp-chat-panel');
  await expect(panel.locator('.msg.visitor').filter({ hasText: 'talk to a person' })).toBeVisible();

  // The visitor attaches a photo from the panel (on 127.0.0.2; the server is 127.0.0.1).
  await panel.locator('input[type=file]').setInputFiles({ name: 'broken-heel.png', mimeType: 'image/png', buffer: PNG });
  await shown(panel.locator('.msg.visitor img[alt="broken-heel.png"]'));
  // The panel shows the server's thumbnail and links to the original.
  await expect(panel.locator('.msg.visitor img[alt="broken-heel.png"]')).toHaveAttribute('src', /\/attachments\/\d+\/0\/thumbnail\?/);
  await expect(panel.locator('.msg.visitor a.file:has(img[alt="broken-heel.png"])')).toHaveAttribute('href', /\/attachments\/\d+\/0\?/);
  const anonymousId = await visitor.evaluate(() => (window as unknown as { touchpoint: { anonymousId: string } }).touchpoint.anonymousId);

  // The agent finds the conversation and sees the photo in the transcript.
  const agent = await consoleOwner(browser, server, '/console/inbox');
  await agent.getByRole('button', { name: /^All/ }).click();
  await agent.getByRole('button', { name: new RegExp(`Visitor ${anonymousId.slice(-6)}`) }).click();
  await shown(agent.locator('tp-console-inbox .msg.visitor img[alt="broken-heel.png"]'));
  await expect(agent.locator('tp-console-inbox .msg.visitor img[alt="broken-heel.png"]')).toHaveAttribute('src', /\/attachments\/\d+\/0\/thumbnail$/);

  // The agent answers with a picture from the composer; the visitor sees it inline.
  await agent.locator('tp-composer-attach input[type=file]').setInputFiles({ name: 'return-label.png', mimeType: 'image/png', buffer: PNG });
  await shown(agent.locator('tp-console-inbox .msg.agent img[alt="return-label.png"]'));
  await shown(panel.locator('.msg.agent img[alt="return-label.png"]'));
  await expect(visitor.getByText('You are chatting with')).toBeVisible();
  await agent.context().close();
  await visitor.context().close();
});
