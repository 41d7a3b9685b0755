import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import '../../../components/consent-banner/consent-banner.js';
import type { TpConsentBanner } from '../../../components/consent-banner/consent-banner.js';
import { createConsent } from '../../../src/core/consent.js';
import { createTouchpoint } from 'touchpoint';
import { axeViolations } from '../axe.js';
import { until } from '../../support/until.js';

const mount = async (attrs: Record<string, string> = {}, props: Partial<TpConsentBanner> = {}) => {
  const el = document.createElement('tp-consent-banner');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, props);
  document.body.append(el);
  await el.updateComplete; // includes the (lazy) strings of its language
  return el;
};
const shadow = (el: Element) => el.shadowRoot!;
const button = (el: Element, name: RegExp) => [...shadow(el).querySelectorAll('button')].find((b) => name.test(b.textContent ?? '')) as HTMLButtonElement;

beforeEach(() => {
  localStorage.clear();
  document.documentElement.lang = 'en';
});
afterEach(() => {
  document.querySelectorAll('tp-consent-banner, script[data-tp-consent], [data-tp-consent-open]').forEach((e) => e.remove());
  delete (window as { dataLayer?: unknown }).dataLayer;
  delete (window as { gtag?: unknown }).gtag;
});

describe('<tp-consent-banner>', () => {
  it('renders the first layer when a decision is needed', async () => {
    const el = await mount();
    expect(el.open).toBe(true);
    const banner = shadow(el).querySelector('[part=banner]') as HTMLElement;
    expect(banner.hidden).toBe(false);
    expect(banner.getAttribute('role')).toBe('dialog');
    expect(shadow(el).activeElement).toBe(banner);
  });

  it('is accessible (first layer)', async () => {
    const el = await mount({ 'policy-url': '/privacy' });
    expect(await axeViolations(el)).toEqual([]);
  });

  it('is accessible (preferences dialog)', async () => {
    const el = await mount();
    await el.showPreferences();
    expect(shadow(el).querySelector('dialog')!.open).toBe(true);
    expect(await axeViolations(el)).toEqual([]);
  });

  it('gives Accept all, Reject all and Customize equal prominence', async () => {
    const el = await mount();
    const buttons = [...shadow(el).querySelectorAll<HTMLButtonElement>('[part=actions] button')];
    expect(buttons.map((b) => b.textContent!.trim())).toEqual(['Accept all', 'Reject all', 'Customize']);
    const looks = buttons.map((b) => {
      const s = getComputedStyle(b);
      return [s.backgroundColor, s.color, s.fontSize, s.fontWeight, s.borderColor, b.offsetHeight].join();
    });
    expect(new Set(looks).size).toBe(1);
  });

  it('records Reject all through the engine and closes', async () => {
    const consent = createConsent({ mode: 'opt-in' });
    const el = await mount({}, { consent });
    const changes: string[] = [];
    el.addEventListener('tp-consent-change', (e) => changes.push(e.detail.method));
    button(el, /Reject all/).click();
    await until(() => consent.get().decided && !el.open);
    expect(consent.get()).toMatchObject({ decided: true, categories: { necessary: true, analytics: false, marketing: false } });
    expect(consent.get().textHash).toMatch(/^[0-9a-f]{64}$/);
    expect(changes).toEqual(['banner']);
    expect(el.open).toBe(false);
  });

  it('saves custom choices from the keyboard, and Escape closes the dialog', async () => {
    const consent = createConsent({ mode: 'opt-in' });
    const el = await mount({}, { consent });
    button(el, /Customize/).focus();
    await userEvent.keyboard('{Enter}');
    // The preferences dialog is a lazy chunk: wait for it to open.
    await until(() => !!shadow(el).querySelector('dialog')?.open);
    const dialog = shadow(el).querySelector('dialog')!;
    const analytics = shadow(el).querySelector<HTMLInputElement>('input[name=analytics]')!;
    analytics.focus();
    await userEvent.keyboard(' ');
    expect(analytics.checked).toBe(true);
    expect(shadow(el).querySelector<HTMLInputElement>('input[name=necessary]')!.disabled).toBe(true);
    button(el, /Save choices/).click();
    await until(() => consent.get().decided);
    expect(consent.get().categories).toMatchObject({ analytics: true, replay: false, marketing: false });
    await el.showPreferences();
    expect(dialog.open).toBe(true);
    await userEvent.keyboard('{Escape}');
    expect(dialog.open).toBe(false);
  });

  it('drives the consent of the SDK it is given by property, before the script tag\'s global', async () => {
    const given = createTouchpoint({ siteKey: 'demo', endpoint: location.origin, consent: { mode: 'opt-in', policyVersion: 'given' }, autocapture: false });
    const global = createTouchpoint({ siteKey: 'demo', endpoint: location.origin, consent: { mode: 'opt-in', policyVersion: 'global' }, autocapture: false });
    (window as { touchpoint?: unknown }).touchpoint = global;
    try {
      const el = await mount({}, { sdk: given });
      expect(el.consent).toBe(given.consent);
      button(el, /Reject all/).click();
      await until(() => given.consent.get().decided);
      expect(global.consent.get().decided).toBe(false);
      el.remove();
      // Without one, the script tag's SDK; never the snippet's queueing stub.
      expect((await mount()).consent).toBe(global.consent);
      document.querySelector('tp-consent-banner')!.remove();
      (window as { touchpoint?: unknown }).touchpoint = { q: [], track() {}, consent: global.consent };
      expect((await mount()).consent).not.toBe(global.consent);
    } finally {
      delete (window as { touchpoint?: unknown }).touchpoint;
    }
  });

  it('asks again when the policy version changes', async () => {
    createConsent({ mode: 'opt-in', policyVersion: '1' }).grantAll('banner');
    expect((await mount({}, { consent: createConsent({ mode: 'opt-in', policyVersion: '1' }) })).open).toBe(false);
    document.querySelector('tp-consent-banner')!.remove();
    expect((await mount({}, { consent: createConsent({ mode: 'opt-in', policyVersion: '2' }) })).open).toBe(true);
  });

  it('opens the preferences from any [data-tp-consent-open] element and from consent.show()', async () => {
    const consent = createConsent({ mode: 'opt-in' });
    consent.denyAll('banner');
    const el = await mount({}, { consent });
    const link = Object.assign(document.createElement('button'), { textContent: 'Privacy choices' });
    link.setAttribute('data-tp-consent-open', '');
    document.body.append(link);
    link.click();
    await el.updateComplete;
    expect(shadow(el).querySelector('dialog')!.open).toBe(true);
    shadow(el).querySelector('dialog')!.close();
    consent.show();
    await until(() => shadow(el).querySelector('dialog')!.open);
  });

  it('activates held scripts in document order once their categories are granted', async () => {
    (window as { order?: string[] }).order = [];
    const held = (cats: string, code: string) => {
      const s = document.createElement('script');
      s.type = 'text/plain';
      s.dataset.tpConsent = cats;
      s.text = code;
      document.body.append(s);
    };
    held('analytics', 'window.order.push("a")');
    held('marketing', 'window.order.push("m")');
    held('analytics functional', 'window.order.push("af")');
    const consent = createConsent({ mode: 'opt-in' });
    await mount({}, { consent });
    expect((window as { order?: string[] }).order).toEqual([]);
    const order = () => (window as { order?: string[] }).order!.join();
    consent.set({ analytics: true, functional: true }, 'banner');
    // The unblocking code is a lazy chunk: wait for it (a loaded machine takes longer than 100 ms).
    await until(() => order() === 'a,af', 5_000, 20);
    consent.grantAll('banner');
    await until(() => order() === 'a,af,m', 5_000, 20);
    expect((window as { order?: string[] }).order).toEqual(['a', 'af', 'm']);
  });

  it('keeps Google Consent Mode v2 in sync: default first, then an update per decision', async () => {
    const consent = createConsent({ mode: 'opt-in' });
    await mount({ 'google-consent-mode': '' }, { consent });
    const calls = () => ((window as { dataLayer?: IArguments[] }).dataLayer ?? []).map((a) => [...a]);
    // The bridge is a lazy chunk: wait for its default (a loaded machine takes longer than any fixed pause).
    await until(() => calls().length > 0);
    expect(calls()[0]).toEqual(['consent', 'default', expect.objectContaining({ ad_storage: 'denied', analytics_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', wait_for_update: 500 })]);
    consent.set({ analytics: true }, 'banner');
    expect(calls().at(-1)).toEqual(['consent', 'update', expect.objectContaining({ analytics_storage: 'granted', ad_storage: 'denied' })]);
  });

  it('tells Google Consent Mode when it asks again under a newer policy: the stale grant is withdrawn at once', async () => {
    createConsent({ mode: 'opt-in', policyVersion: '1' }).grantAll('banner');
    const consent = createConsent({ mode: 'opt-in' });
    const el = await mount({ 'google-consent-mode': '' }, { consent });
    const calls = () => ((window as { dataLayer?: IArguments[] }).dataLayer ?? []).map((a) => [...a]);
    await until(() => calls().some((c) => c[1] === 'update'));
    expect(calls().at(-1)).toEqual(['consent', 'update', expect.objectContaining({ analytics_storage: 'granted' })]);
    // The site config says version 2 (cdn/follow-site-policy.ts): the decision stops counting and the banner opens.
    consent.policy('2');
    el.open = true;
    await el.updateComplete;
    expect(calls().at(-1)).toEqual(['consent', 'update', expect.objectContaining({ analytics_storage: 'denied', ad_storage: 'denied' })]);
  });

  it('lays out right to left in Arabic, and speaks Chinese and Romanian', async () => {
    const ar = await mount({ locale: 'ar' });
    const banner = shadow(ar).querySelector('[part=banner]')!;
    expect(banner.getAttribute('dir')).toBe('rtl');
    expect(banner.textContent).toContain('قبول الكل');
    expect(await axeViolations(ar)).toEqual([]);
    ar.remove();
    expect(shadow(await mount({ locale: 'zh-TW' })).textContent).toContain('全部接受');
    document.querySelector('tp-consent-banner')!.remove();
    expect(shadow(await mount({ locale: 'zh-CN' })).textContent).toContain('全部拒绝');
    document.querySelector('tp-consent-banner')!.remove();
    expect(shadow(await mount({ locale: 'ro-RO' })).textContent).toContain('Respinge tot');
  });

  it('is whole in Hebrew: the first layer, every category and its description', async () => {
    const el = await mount({ locale: 'he' });
    await el.showPreferences();
    const dialog = shadow(el).querySelector('dialog')!;
    expect(dialog.getAttribute('dir')).toBe('rtl');
    const texts = [...shadow(el).querySelectorAll('h2, #body, .category span, .category p, button')].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());
    // Hebrew letters in each, and no English word left.
    expect(texts.filter((t) => !/[\u0590-\u05ff]/.test(t) && t !== '×')).toEqual([]);
    expect(texts.filter((t) => /\b(the|and|to|your|you)\b/i.test(t))).toEqual([]);
    expect(await axeViolations(el)).toEqual([]);
  });

  it('lets a site override any string', async () => {
    const el = await mount({}, { strings: { consentTitle: 'Cookies at Acme' } });
    expect(shadow(el).querySelector('h2')!.textContent).toBe('Cookies at Acme');
  });

  it('in opt-out mode offers "Do not sell or share" and records the opt-out', async () => {
    const consent = createConsent({ mode: 'opt-out' });
    const el = await mount({}, { consent });
    expect(consent.granted('marketing')).toBe(true);
    button(el, /Do not sell or share/).click();
    await el.updateComplete;
    expect(shadow(el).querySelector('dialog')!.open).toBe(true);
    expect(await axeViolations(el)).toEqual([]);
    button(el, /Opt out/).click();
    await until(() => consent.get().decided);
    expect(consent.get()).toMatchObject({ decided: true, categories: { marketing: false, analytics: true } });
  });

  it('lifts bottom-anchored widgets while it shows (the stacking contract), and fits 320 px', async () => {
    const el = await mount();
    const offset = () => document.documentElement.style.getPropertyValue('--tp-consent-offset');
    expect(parseInt(offset())).toBeGreaterThan(0);
    const banner = shadow(el).querySelector<HTMLElement>('[part=banner]')!;
    expect(banner.scrollWidth).toBeLessThanOrEqual(document.documentElement.clientWidth);
    button(el, /Accept all/).click();
    await until(() => offset() === '');
  });
});

describe('<tp-consent-banner> focus', () => {
  afterEach(() => document.querySelectorAll('main').forEach((e) => e.remove()));

  it('gives focus back to where it was before the banner took it, after Reject all', async () => {
    const main = document.body.appendChild(document.createElement('main'));
    const search = main.appendChild(document.createElement('input'));
    search.focus();
    const el = await mount();
    expect(shadow(el).activeElement).toBe(shadow(el).querySelector('[part=banner]'));
    await userEvent.click(button(el, /Reject all/));
    await until(() => document.activeElement === search);
  });

  it('with nothing focused before, puts focus on the page\'s main content after a decision, never on <body>', async () => {
    const main = document.body.appendChild(document.createElement('main'));
    const el = await mount();
    await el.showPreferences();
    await userEvent.click(button(el, /Save choices/));
    await until(() => document.activeElement === main);
    expect(main.tabIndex).toBe(-1);
  });

  it('leaves focus alone when the page takes it away from the banner before it closes', async () => {
    const main = document.body.appendChild(document.createElement('main'));
    const other = main.appendChild(document.createElement('button'));
    const el = await mount();
    other.focus();
    el.open = false;
    await el.updateComplete;
    expect(document.activeElement).toBe(other);
  });
});

describe('Global Privacy Control', () => {
  beforeEach(() => Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true }));
  afterEach(() => delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl);

  it('keeps marketing off even on Accept all, says so, and records the decision as GPC', async () => {
    const consent = createConsent({ mode: 'opt-in' });
    const el = await mount({}, { consent });
    expect(shadow(el).querySelector('[part=gpc]')?.textContent).toMatch(/Global Privacy Control/);
    button(el, /Accept all/).click();
    await until(() => consent.get().decided);
    expect(consent.get()).toMatchObject({ gpc: true, method: 'gpc', categories: { analytics: true, marketing: false } });
    await el.showPreferences();
    expect(shadow(el).querySelector<HTMLInputElement>('input[name=marketing]')!.disabled).toBe(true);
  });
});
