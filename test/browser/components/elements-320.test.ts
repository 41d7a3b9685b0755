import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands, page, userEvent } from 'vitest/browser';
import '../../../components/chat-launcher/chat-launcher.js';
import '../../../components/survey/survey.js';
import '../../../components/consent-banner/consent-banner.js';
import type { TpChatLauncher } from '../../../components/chat-launcher/chat-launcher.js';
import type { TpChatPanel } from '../../../components/chat-launcher/chat-panel.js';
import type { TpSurvey } from '../../../components/survey/survey.js';
import type { TpConsentBanner } from '../../../components/consent-banner/consent-banner.js';
import type { SurveyDefinition } from '../../../src/protocol/survey.js';
import { axeViolations } from '../axe.js';
import { until } from '../../support/until.js';

/** The three elements side by side on the smallest phone: 320 px wide. */
const NPS: SurveyDefinition = { id: 'nps', version: 1, brand: 'Acme', questions: [{ id: 'q', type: 'nps' }] };
const CES: SurveyDefinition = {
  id: 'ces',
  version: 1,
  brand: 'Acme',
  task: 'check out',
  questions: [
    { id: 'effort', type: 'ces' },
    { id: 'why', type: 'text', prompt: 'What made it hard?', showIf: { question: 'effort', max: 3 } },
  ],
};

const launcher = async (props: Partial<TpChatLauncher> = {}) => {
  const el = document.createElement('tp-chat-launcher');
  Object.assign(el, { siteKey: 'demo', endpoint: await commands.serverUrl(), ...props });
  document.body.append(el);
  await el.updateComplete;
  // The launcher publishes its footprint in the next frame.
  await until(() => document.documentElement.style.getPropertyValue('--tp-chat-offset') !== '', 5_000, 20);
  return el;
};
const survey = async (definition: SurveyDefinition, props: Partial<TpSurvey> = { presentation: 'floating', open: true }) => {
  const el = document.createElement('tp-survey');
  Object.assign(el, { definition, ...props });
  document.body.append(el);
  await el.updateComplete;
  return el;
};
const banner = async () => {
  const el = document.createElement('tp-consent-banner');
  document.body.append(el);
  await el.updateComplete;
  return el;
};
const panel = (el: TpChatLauncher) => el.shadowRoot!.querySelector<TpChatPanel>('tp-chat-panel')!;
const rect = (el: Element) => el.getBoundingClientRect();
const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
/** The innermost element at a point, through shadow roots. */
const hit = (x: number, y: number) => {
  let e = document.elementFromPoint(x, y);
  while (e?.shadowRoot) {
    const inner = e.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === e) break;
    e = inner;
  }
  return e;
};
const submit = (el: TpSurvey) => el.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!;

const lang = document.documentElement.lang;
beforeAll(() => page.viewport(320, 640));
beforeEach(() => localStorage.clear());
afterEach(() => {
  document.querySelectorAll('tp-chat-launcher, tp-survey, tp-consent-banner').forEach((e) => e.remove());
  document.documentElement.lang = lang;
});

describe('the elements at 320 px', () => {
  it('gives every NPS point a 44×44 target, and each end label sits by its own point', async () => {
    for (const locale of ['en', 'he']) {
      document.documentElement.lang = locale;
      const el = await survey(NPS);
      const points = [...el.shadowRoot!.querySelectorAll('.point span')].map(rect);
      expect(points).toHaveLength(11);
      for (const p of points) expect([p.width, p.height].map(Math.floor)).toEqual([Math.max(44, Math.floor(p.width)), Math.max(44, Math.floor(p.height))]);
      const [low, high] = [...el.shadowRoot!.querySelectorAll('[part=ends] span')].map(rect);
      // Aligned with an edge of its point (start or end), not floating under an empty cell.
      const by = (label: DOMRect, point: DOMRect) => Math.min(Math.abs(label.left - point.left), Math.abs(label.right - point.right));
      expect(by(low!, points[0]!)).toBeLessThan(1);
      expect(by(high!, points[10]!)).toBeLessThan(1);
      el.remove();
    }
  });

  it('keeps the chat launcher off the survey: Submit stays visible and clickable (the stacking contract)', async () => {
    const chat = await launcher();
    const el = await survey(NPS);
    const button = chat.shadowRoot!.querySelector('.button')!;
    expect(overlap(rect(button), rect(el.shadowRoot!.querySelector('[part=card]')!))).toBe(false);
    const r = rect(submit(el));
    expect(r.bottom).toBeLessThanOrEqual(innerHeight);
    expect(r.top).toBeGreaterThanOrEqual(0);
    expect(hit(r.left + r.width / 2, r.top + r.height / 2)).toBe(submit(el));
    // And the button still works there.
    await userEvent.click(el.shadowRoot!.querySelector<HTMLInputElement>('input[value="9"]')!);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part=thanks]')).not.toBeNull();
  });

  it('a floating survey yields while the chat panel is open over it, and comes back when it closes', async () => {
    const chat = await launcher();
    const el = await survey(NPS);
    const card = el.shadowRoot!.querySelector('[part=card]')!;
    await chat.open();
    expect(getComputedStyle(card).visibility).toBe('hidden');
    chat.close();
    await until(() => getComputedStyle(card).visibility === 'visible', 2_000, 20);
    // A survey shown while the panel is already open waits too.
    await chat.open();
    const later = await survey(CES);
    expect(getComputedStyle(later.shadowRoot!.querySelector('[part=card]')!).visibility).toBe('hidden');
  });

  it('keeps the chat header status on one line', async () => {
    document.documentElement.lang = 'ar';
    const long = 'نحن متصلون الآن — عادةً نرد خلال بضع دقائق على كل رسالة تصلنا من العملاء…';
    // The line the header shows depends on the conversation's state (with the bot: online; handed over: waiting); both are long here.
    const chat = await launcher({ strings: { chatOnline: long, chatWaiting: long } });
    await chat.open();
    const c = panel(chat).client!;
    await c.send('مرحبا');
    // What the chat stream's presence event does when an agent comes online (this test server has none):
    // the status then says so. (Waiting with no one online shows the e-mail form and no status line.)
    // After the stream's own presence event (no one online), which would otherwise overwrite this one when it comes later.
    await until(() => c.agentsOnline !== undefined, 8_000, 20);
    (c as unknown as { __setOnline(online: boolean): void }).__setOnline(true);
    const status = () => panel(chat).shadowRoot!.querySelector<HTMLElement>('header .status')!;
    await until(() => status().textContent!.includes('نحن متصلون'), 8_000, 50);
    const size = parseFloat(getComputedStyle(status()).fontSize);
    expect(rect(status()).height).toBeLessThan(2 * size);
    expect(status().textContent).toContain('على كل رسالة'); // all of it still there for a screen reader
    expect(await axeViolations(chat)).toEqual([]);
  });

  it('is accessible right to left: the open chat with a scrolling history', async () => {
    document.documentElement.lang = 'ar';
    const chat = await launcher();
    await chat.open();
    const c = panel(chat).client!;
    for (const text of ['هل تشحنون إلى رومانيا؟', 'What about shipping?', 'وكم تستغرق؟', 'Do you ship to Romania?', 'شكرًا']) await c.send(text);
    const log = panel(chat).shadowRoot!.querySelector<HTMLElement>('.log')!;
    await until(() => log.scrollHeight > log.clientHeight && c.pending.length === 0, 10_000, 50);
    expect(log.tabIndex).toBe(0);
    expect(log.getAttribute('aria-label')).toBe('الرسائل');
    expect(await axeViolations(chat)).toEqual([]);
  });

  it('is accessible right to left in every state of the banner and the survey', async () => {
    for (const locale of ['he', 'ar']) {
      document.documentElement.lang = locale;
      const b = await banner();
      expect(await axeViolations(b), `${locale} banner`).toEqual([]);
      await b.showPreferences();
      expect(await axeViolations(b), `${locale} preferences`).toEqual([]);
      b.remove();
      for (const presentation of ['inline', 'floating'] as const) {
        const el = await survey(CES, { presentation, open: true });
        expect(await axeViolations(el), `${locale} ${presentation} scale`).toEqual([]);
        await userEvent.click(el.shadowRoot!.querySelector<HTMLInputElement>('input[value="2"]')!);
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('textarea')).not.toBeNull();
        expect(await axeViolations(el), `${locale} ${presentation} follow-up`).toEqual([]);
        await userEvent.click(submit(el));
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector('[part=thanks]')).not.toBeNull();
        expect(await axeViolations(el), `${locale} ${presentation} thanks`).toEqual([]);
        el.remove();
      }
      const nps = await survey(NPS);
      expect(await axeViolations(nps), `${locale} NPS`).toEqual([]);
      nps.remove();
    }
  });

  it('shows the elements side by side in en, ar, he and zh-Hans (docs/img/elements-320-*.png, with UPDATE_DOCS=1)', async () => {
    const update = await commands.updateDocs();
    for (const locale of ['en', 'ar', 'he', 'zh-Hans']) {
      document.documentElement.lang = locale;
      const chat = await launcher();
      const el = await survey(NPS);
      await until(() => !el.shadowRoot!.textContent!.includes('How likely') || locale === 'en', 2_000, 20);
      const r = rect(submit(el));
      expect(hit(r.left + r.width / 2, r.top + r.height / 2), locale).toBe(submit(el));
      if (update) await page.screenshot({ path: `../../../docs/img/elements-320-${locale.toLowerCase()}.png` });
      chat.remove();
      el.remove();
    }
  });
});

describe('the banner under them at 320 px', () => {
  it('lifts the launcher and the survey above it, and the survey still fits the screen', async () => {
    const b: TpConsentBanner = await banner();
    const chat = await launcher();
    const el = await survey(NPS);
    const bannerBox = rect(b.shadowRoot!.querySelector('[part=banner]')!);
    const button = rect(chat.shadowRoot!.querySelector('.button')!);
    const card = el.shadowRoot!.querySelector<HTMLElement>('[part=card]')!;
    expect(button.bottom).toBeLessThanOrEqual(bannerBox.top);
    expect(rect(card).bottom).toBeLessThanOrEqual(button.top);
    expect(rect(card).top).toBeGreaterThanOrEqual(0);
    // Whatever does not fit scrolls inside the card.
    card.scrollTop = card.scrollHeight;
    await until(() => { const r = rect(submit(el)); return r.top >= rect(card).top - 1 && r.bottom <= rect(card).bottom + 1; }, 2_000, 20);
  });
});
