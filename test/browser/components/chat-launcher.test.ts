import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands, userEvent } from 'vitest/browser';
import '../../../components/chat-launcher/chat-launcher.js';
import type { TpChatLauncher } from '../../../components/chat-launcher/chat-launcher.js';
import { isolateOverrides } from '../../../components/chat-launcher/chat-panel.component.js';
import { axeViolations } from '../axe.js';
import { until as untilIn } from '../../support/until.js';

const until = (fn: () => boolean, ms = 8_000) => untilIn(fn, ms, 50);
/** The statuses of this page's requests to `path` since `since`, in order. */
const statuses = (path: string, since: number) =>
  (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.name.includes(path) && e.startTime >= since).map((e) => e.responseStatus);


const mount = async () => {
  const el = document.createElement('tp-chat-launcher');
  Object.assign(el, { siteKey: 'demo', endpoint: await commands.serverUrl() });
  document.body.append(el);
  await el.updateComplete;
  return el;
};
const root = (el: TpChatLauncher) => el.shadowRoot!;
const panel = (el: TpChatLauncher) => root(el).querySelector('tp-chat-panel');
const panelRoot = (el: TpChatLauncher) => panel(el)!.shadowRoot!;
const bubbles = (el: TpChatLauncher) => [...panelRoot(el).querySelectorAll('.msg')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());

/** Left edge of the first (or `nth`) occurrence of `ch` in `el`'s text, as laid out. */
const xOf = (el: Element, ch: string, nth = 0) => {
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let seen = 0;
  for (let n = walk.nextNode() as Text | null; n; n = walk.nextNode() as Text | null) {
    for (let i = n.data.indexOf(ch); i >= 0; i = n.data.indexOf(ch, i + 1)) {
      if (seen++ < nth) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + ch.length);
      return r.getBoundingClientRect().left;
    }
  }
  throw new Error(`${ch} not in ${el.textContent}`);
};
const bubble = (el: TpChatLauncher, text: string) => [...panelRoot(el).querySelectorAll('.msg .text')].find((t) => t.textContent!.includes(text))!;

const lang = document.documentElement.lang;
beforeEach(() => localStorage.clear());
afterEach(() => {
  document.querySelectorAll('tp-chat-launcher').forEach((e) => e.remove());
  document.documentElement.lang = lang;
});

describe('<tp-chat-launcher>', () => {
  it('renders a labelled launcher button and nothing heavier', async () => {
    const el = await mount();
    const button = root(el).querySelector('button')!;
    expect(button.getAttribute('aria-label')).toBe('Chat with us');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(panel(el)).toBeNull();
  });

  it('is accessible (launcher)', async () => {
    expect(await axeViolations(await mount())).toEqual([]);
  });

  it('loads the panel on intent, opens it with focus in the composer, and closes on Escape', async () => {
    const el = await mount();
    const events: string[] = [];
    el.addEventListener('tp-chat-open', () => events.push('open'));
    el.addEventListener('tp-chat-close', () => events.push('close'));
    await userEvent.hover(root(el).querySelector('button')!);
    await until(() => panel(el) !== null);
    expect((panel(el) as HTMLElement).hidden).toBe(true);
    root(el).querySelector<HTMLButtonElement>('button')!.click();
    await until(() => el.isOpen && panelRoot(el)?.activeElement?.tagName === 'TEXTAREA');
    expect(root(el).querySelector('button')!.getAttribute('aria-expanded')).toBe('true');
    expect(await axeViolations(el)).toEqual([]);
    await userEvent.keyboard('{Escape}');
    expect(el.isOpen).toBe(false);
    expect(events).toEqual(['open', 'close']);
  });

  it('sends with Enter (Shift+Enter breaks the line) and shows the bot answer from the real server', async () => {
    const el = await mount();
    await el.open();
    await userEvent.keyboard('Do you ship to Romania?{Shift>}{Enter}{/Shift}Thanks');
    const box = panelRoot(el).querySelector('textarea')!;
    expect(box.value).toBe('Do you ship to Romania?\nThanks');
    await userEvent.keyboard('{Enter}');
    expect(box.value).toBe('');
    await until(() => bubbles(el).some((b) => /ship within/.test(b)));
    const all = bubbles(el);
    expect(all.findIndex((b) => b.includes('Do you ship to Romania?'))).toBeLessThan(all.findIndex((b) => /ship within/.test(b)));
    // The hand-off button is offered while the bot has the conversation.
    expect(panelRoot(el).querySelector('button.human')).not.toBeNull();
  });

  it('is whole in Hebrew, right to left, and keeps English in it in its own direction and punctuation', async () => {
    document.documentElement.lang = 'he';
    const el = await mount();
    await el.open();
    const pr = panelRoot(el);
    expect(pr.querySelector('.panel')!.getAttribute('dir')).toBe('rtl');
    await until(() => pr.querySelector('h2')!.textContent === 'צ׳אט'); // the language chunk
    expect(pr.querySelector('textarea')!.placeholder).toBe('כתבו הודעה…');
    expect(root(el).querySelector('button')!.getAttribute('aria-label')).toBe('דברו איתנו');
    await panel(el)!.client!.send('What about shipping?');
    await until(() => !!bubble(el, 'What about shipping?'));
    const text = bubble(el, 'What about shipping?');
    expect(text.getAttribute('dir')).toBe('auto');
    // Laid out left to right inside the right-to-left panel: the question mark ends the sentence, on the right.
    expect(xOf(text, '?')).toBeGreaterThan(xOf(text, 'W'));
    // The author's name is isolated too.
    expect(pr.querySelector('.msg .who')!.tagName).toBe('BDI');
  });

  it('keeps a right-to-left override in a message from reversing the text around it', async () => {
    expect(isolateOverrides('invoice_\u202efdp.exe')).toBe('invoice_fdp.exe');
    expect(isolateOverrides('abc \u202edef\u202c ghi')).toBe('abc \u2068\u202edef\u202c\u2069 ghi');
    // Nested: the inner run is closed and isolated, the outer one never is, and goes.
    expect(isolateOverrides('a\u202bb\u202dc\u202cd')).toBe('ab\u2068\u202dc\u202c\u2069d');
    const el = await mount();
    await el.open();
    await panel(el)!.client!.send('invoice_\u202efdp.exe');
    await until(() => !!bubble(el, 'invoice_'));
    const text = bubble(el, 'invoice_');
    // Shown as written: "fdp.exe", not the spoofed "exe.pdf".
    expect(xOf(text, 'f')).toBeLessThan(xOf(text, 'x'));
    expect(xOf(text, 'd')).toBeLessThan(xOf(text, 'p'));
  });

  it('renders an XSS corpus inert, and links safely', async () => {
    const el = await mount();
    await el.open();
    const corpus = [
      '<img src=x onerror="window.pwned=1">',
      '<script>window.pwned=1</script>',
      '<a href="javascript:window.pwned=1">x</a>',
      '"><svg onload=window.pwned=1>',
      'see https://example.com/a?b=1 and javascript:alert(1)',
    ];
    for (const text of corpus) {
      const c = panel(el)!.client!;
      await c.send(text);
    }
    await until(() => bubbles(el).some((b) => b.includes('https://example.com/a?b=1')));
    const pr = panelRoot(el);
    expect(pr.querySelectorAll('.msg img, .msg script, .msg svg').length).toBe(0);
    const links = [...pr.querySelectorAll<HTMLAnchorElement>('.msg a')];
    expect(links.map((a) => a.href)).toEqual(['https://example.com/a?b=1']);
    expect(links[0]!.rel).toBe('noopener noreferrer nofollow');
    expect((window as { pwned?: number }).pwned).toBeUndefined();
  });

  it('continues a verified user\'s conversation on another device, and never an unverified one\'s', async () => {
    const userId = `user-${Date.now()}`;
    const hash = await commands.userHash(userId);
    const phone = await mount();
    Object.assign(phone, { userId, userHash: hash });
    await phone.open();
    await panel(phone)!.client!.send('Started on my phone');
    await until(() => bubbles(phone).some((b) => b.includes('Started on my phone')) && panel(phone)!.client!.pending.length === 0);
    phone.remove();
    localStorage.clear(); // another device: nothing stored, another anonymous id

    const laptop = await mount();
    Object.assign(laptop, { userId, userHash: hash });
    await laptop.open();
    await until(() => bubbles(laptop).some((b) => b.includes('Started on my phone')));
    // A barrier instead of a pause: the laptop's own message comes back after every receipt it sent before it.
    await panel(laptop)!.client!.send('And now from my laptop');
    await until(() => panel(laptop)!.client!.events.some((e) => e.body === 'And now from my laptop'));
    // Read receipts: one per message read, never a loop of receipts answering receipts.
    const reads = panel(laptop)!.client!.events.filter((e) => e.kind === 'read');
    expect(reads.length).toBeLessThanOrEqual(2);
    laptop.remove();

    const impostor = await mount();
    Object.assign(impostor, { userId, userHash: 'ab'.repeat(32) });
    const since = performance.now();
    await impostor.open();
    // The server refuses the forged identity (403); the chat goes on anonymously (200) — wait for both answers rather than a while.
    await until(() => statuses('/v1/visitor', since).join() === '403,200');
    expect(bubbles(impostor).some((b) => b.includes('Started on my phone'))).toBe(false);
  });
});
