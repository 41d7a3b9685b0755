import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands, page, userEvent } from 'vitest/browser';
import { createTouchpoint, type Touchpoint } from 'touchpoint';
import '../../../components/chat-launcher/chat-launcher.js';
import type { TpChatLauncher } from '../../../components/chat-launcher/chat-launcher.js';
import { axeViolations } from '../axe.js';
import { until as untilIn } from '../../support/until.js';

const until = (fn: () => boolean, ms = 8_000) => untilIn(fn, ms, 50);
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));
const HOURS = 'Mon–Fri 9:00–17:00 CET';

const mount = async (o: Partial<TpChatLauncher> = {}) => {
  const el = document.createElement('tp-chat-launcher');
  Object.assign(el, { siteKey: 'demo', endpoint: await commands.serverUrl(), ...o });
  document.body.append(el);
  await el.open();
  return el;
};
const pr = (el: TpChatLauncher) => el.shadowRoot!.querySelector('tp-chat-panel')!.shadowRoot!;
const client = (el: TpChatLauncher) => el.shadowRoot!.querySelector('tp-chat-panel')!.client!;
/** Picks a file in the panel's attach control, as a person's file chooser would hand it over. */
const pick = (el: TpChatLauncher, file: File) => {
  const input = pr(el).querySelector<HTMLInputElement>('input[type=file]')!;
  const dt = new DataTransfer();
  dt.items.add(file);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
};
const images = (el: TpChatLauncher) => [...pr(el).querySelectorAll<HTMLImageElement>('.msg img')];

const lang = document.documentElement.lang;
beforeEach(() => localStorage.clear());
afterEach(() => {
  document.querySelectorAll('tp-chat-launcher').forEach((e) => e.remove());
  document.documentElement.lang = lang;
});
// The server starts on first use (migrations on a busy machine can take a while): not inside a test's 20 s.
beforeAll(() => commands.serverUrl(), 120_000);
afterAll(() => page.viewport(414, 896));

describe('<tp-chat-launcher> attachments', () => {
  it('offers an attach control: a labelled button of at least 44 px, reachable by keyboard, that opens the file chooser for images and PDFs', async () => {
    const el = await mount();
    const button = pr(el).querySelector<HTMLButtonElement>('button.attach')!;
    expect(button.getAttribute('aria-label')).toBe('Attach an image or a PDF');
    const r = button.getBoundingClientRect();
    expect(Math.min(r.width, r.height)).toBeGreaterThanOrEqual(44);
    expect(button.tabIndex).toBe(0);
    const input = pr(el).querySelector<HTMLInputElement>('input[type=file]')!;
    expect(input.accept).toBe('image/png,image/jpeg,image/gif,image/webp,application/pdf');
    // The chooser itself is the browser's (a real one would wait for a person): seen here as the input's click.
    let opened = false;
    input.click = () => void (opened = true);
    button.focus();
    expect(pr(el).activeElement).toBe(button);
    await userEvent.keyboard('{Enter}');
    expect(opened).toBe(true);
  });

  it('sends an image, which then shows inline from the server, and a PDF as a link', async () => {
    const el = await mount();
    pick(el, new File([PNG], 'damage.png', { type: 'image/png' }));
    // The conversation starts for the file, and the picture comes back from the server (a real decode: 1×1).
    await until(() => images(el).some((i) => i.complete && i.naturalWidth === 1));
    const img = images(el)[0]!;
    expect(img.alt).toBe('damage.png');
    expect(img.closest('.msg')!.classList.contains('visitor')).toBe(true);
    // The server's thumbnail is shown; it opens the original.
    const original = `^/v1/chat/conversations/${client(el).conversation!.id}/attachments/\\d+/0`;
    expect(new URL(img.src).pathname).toMatch(new RegExp(`${original}/thumbnail$`));
    expect(new URL(img.closest('a')!.href).pathname).toMatch(new RegExp(`${original}$`));
    pick(el, new File(['%PDF-1.4\n%%EOF\n'], 'invoice.pdf', { type: 'application/pdf' }));
    await until(() => [...pr(el).querySelectorAll('.msg a.file')].some((a) => a.textContent === 'invoice.pdf'));
    await until(() => pr(el).querySelector('.upload') === null);
    expect(await axeViolations(el)).toEqual([]);
  });

  it('says why a file was not sent: not an image or PDF (checked here and by the server), or over 10 MB', async () => {
    const el = await mount();
    pick(el, new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    await until(() => pr(el).querySelector('.upload')?.textContent === 'Only images (PNG, JPEG, GIF, WebP) and PDFs can be sent.');
    pick(el, new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'huge.png', { type: 'image/png' }));
    await until(() => pr(el).querySelector('.upload')?.textContent === 'Files can be up to 10 MB.');
    // A page posing as a picture passes the browser's check, and the server refuses it by its bytes.
    pick(el, new File(['<html><script>alert(1)</script></html>'], 'cat.png', { type: 'image/png' }));
    await until(() => pr(el).querySelector('.upload')?.textContent === 'Only images (PNG, JPEG, GIF, WebP) and PDFs can be sent.' && !!client(el).conversation);
    expect(images(el)).toEqual([]);
  });

  it('is accessible with files shown, at 320 px and right to left (Hebrew)', async () => {
    await page.viewport(320, 640);
    document.documentElement.lang = 'he';
    const el = await mount();
    await until(() => pr(el).querySelector('button.attach')!.getAttribute('aria-label') === 'צירוף תמונה או PDF');
    pick(el, new File([PNG], 'צילום.png', { type: 'image/png' }));
    await until(() => images(el).some((i) => i.complete && i.naturalWidth === 1));
    const panel = pr(el).querySelector('.panel')!;
    expect(panel.getAttribute('dir')).toBe('rtl');
    // The picture stays inside the panel.
    expect(images(el)[0]!.getBoundingClientRect().right).toBeLessThanOrEqual(panel.getBoundingClientRect().right + 0.5);
    expect(await axeViolations(el)).toEqual([]);
  });
});

describe('<tp-chat-launcher> status lines', () => {
  it('says once that no one is available, with the hours once — never "Waiting for a person to join…" beside it', async () => {
    await commands.chatSite('hours-site', { businessHours: HOURS });
    const el = await mount({ siteKey: 'hours-site' });
    await client(el).send('talk to a person');
    await until(() => !!pr(el).querySelector('input[type=email]'));
    await el.updateComplete;
    const text = pr(el).querySelector('.panel')!.textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('No one is available right now');
    expect(text).not.toContain('Waiting for a person to join');
    expect(text.split(HOURS).length - 1).toBe(1);
  });
});

describe('<tp-chat-launcher> and the SDK', () => {
  let sdk: Touchpoint;
  it('takes the SDK by property: the chat is the given instance\'s visitor, not the page global\'s', async () => {
    sdk = createTouchpoint({ siteKey: 'demo', endpoint: await commands.serverUrl(), consent: { mode: 'none' }, autocapture: false, flushInterval: 60_000 });
    const other = { track() {}, anonymousId: 'the-global-visitor' };
    (window as { touchpoint?: unknown }).touchpoint = other;
    try {
      const el = await mount({ sdk });
      expect(client(el).anonymousId).toBe(sdk.anonymousId);
      expect(client(el).anonymousId).not.toBe('the-global-visitor');
    } finally {
      delete (window as { touchpoint?: unknown }).touchpoint;
    }
  });
});
