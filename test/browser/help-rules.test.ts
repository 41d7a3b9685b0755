import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import '../../components/chat-launcher/chat-launcher.js';
import type { TpChatLauncher } from '../../components/chat-launcher/chat-launcher.js';
import { createTouchpoint } from '../../src/index.js';
import { startHelpRules } from '../../src/help-rules/start-help-rules.js';
import { capped, ruleMatches, type HelpView } from '../../src/help-rules/match-rule.js';
import { hashSlot } from '../../src/lib/hash-slot.js';
import type { HelpRule, HelpSettings } from '../../src/protocol/help-rule.js';
import type { Touchpoint } from '../../src/types.js';
import { until } from '../support/until.js';

const here = location.pathname;
const rageAtCheckout: HelpRule = { id: 'checkout-rage', when: { path: here, friction: { rage: 2, error: 1 } }, action: { kind: 'chat', message: 'Stuck at checkout? We can help.' } };

let tp: Touchpoint;
let stop: (() => void) | undefined;
const start = async (help: HelpSettings, consent: 'none' | 'opt-in' = 'none') => {
  tp = createTouchpoint({ siteKey: 'demo', endpoint: await commands.serverUrl(), consent: { mode: consent }, autocapture: false, flushInterval: 50 });
  await tp.ready();
  stop = startHelpRules(tp, help, { siteKey: 'demo', endpoint: await commands.serverUrl() });
  return tp;
};
const launcher = async () => {
  const el = document.createElement('tp-chat-launcher');
  Object.assign(el, { siteKey: 'demo', endpoint: await commands.serverUrl() });
  document.body.append(el);
  await el.updateComplete;
  return el;
};
/** The names of the events `tp` tracks from now on. */
const tracked = (t: Touchpoint) => {
  const names: string[] = [];
  t.on('event', (e) => e.type === 'track' && names.push(e.event));
  return names;
};
/** Every event reaches `on('event')` once built: after flush() the rules have seen it and acted. */
const settle = async () => {
  await tp.flush();
  await new Promise((r) => setTimeout(r));
};
const panelText = (el: TpChatLauncher) => el.shadowRoot!.querySelector('tp-chat-panel')?.shadowRoot?.textContent ?? '';

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});
// The browser suites' server starts on first use: not inside a test's time.
beforeAll(() => commands.serverUrl(), 60_000);
afterEach(async () => {
  stop?.();
  await tp?.reset();
  document.querySelectorAll('tp-chat-launcher, tp-help-toast').forEach((e) => e.remove());
});

const view = (v: Partial<HelpView> = {}): HelpView => ({ path: '/checkout', since: 0, rage: 0, dead: 0, error: 0, events: new Set(), identified: false, numbers: {}, ...v });
const rule = (when: HelpRule['when']): HelpRule => ({ id: 'r', when, action: { kind: 'link', text: 'Help', url: '/help' } });

describe('help rule conditions', () => {
  it('match a page pattern, and friction when any of its counts is reached', () => {
    const r = rule({ path: '/checkout*', friction: { rage: 2, error: 1 } });
    expect(ruleMatches(r, view({ rage: 1 }), 0)).toBe(false);
    expect(ruleMatches(r, view({ rage: 2 }), 0)).toBe(true);
    expect(ruleMatches(r, view({ error: 1 }), 0)).toBe(true);
    expect(ruleMatches(r, view({ path: '/cart', rage: 5 }), 0)).toBe(false);
    expect(ruleMatches(r, view({ path: '/checkout/pay', rage: 2 }), 0)).toBe(true);
  });

  it('wait for the time on page, an event of the page view, a cart value in range', () => {
    expect(ruleMatches(rule({ secondsOnPage: 30 }), view({ since: 1_000 }), 30_999)).toBe(false);
    expect(ruleMatches(rule({ secondsOnPage: 30 }), view({ since: 1_000 }), 31_000)).toBe(true);
    expect(ruleMatches(rule({ event: 'Coupon Failed' }), view(), 0)).toBe(false);
    expect(ruleMatches(rule({ event: 'Coupon Failed' }), view({ events: new Set(['Coupon Failed']) }), 0)).toBe(true);
    const big = rule({ cart: { property: 'cart_value', min: 100, max: 1000 } });
    expect(ruleMatches(big, view(), 0)).toBe(false);
    expect(ruleMatches(big, view({ numbers: { cart_value: 99.5 } }), 0)).toBe(false);
    expect(ruleMatches(big, view({ numbers: { cart_value: 250 } }), 0)).toBe(true);
    expect(ruleMatches(big, view({ numbers: { cart_value: 1001 } }), 0)).toBe(false);
  });

  it('select identified or anonymous visitors, and a first- or last-touch channel', () => {
    expect(ruleMatches(rule({ identified: true }), view(), 0)).toBe(false);
    expect(ruleMatches(rule({ identified: false }), view(), 0)).toBe(true);
    const email = rule({ channel: { touch: 'last', in: ['Email'] } });
    expect(ruleMatches(email, view({ first: 'Email', last: 'Organic Search' }), 0)).toBe(false);
    expect(ruleMatches(email, view({ first: 'Organic Search', last: 'Email' }), 0)).toBe(true);
    expect(ruleMatches(rule({ channel: { touch: 'first', in: ['Email', 'Paid Search'] } }), view({ first: 'Paid Search' }), 0)).toBe(true);
  });

  it('are capped per session and by the global cooldown', () => {
    const r = { ...rule({}), maxPerSession: 2 };
    expect(capped(r, { fired: { r: 1 } }, 0, 0)).toBeUndefined();
    expect(capped(r, { fired: { r: 2 } }, 0, 0)).toBe('session');
    expect(capped(r, { fired: {}, last: 1_000 }, 60_999, 60_000)).toBe('cooldown');
    expect(capped(r, { fired: {}, last: 1_000 }, 61_000, 60_000)).toBeUndefined();
  });
});

describe('help rules in the page', () => {
  it('open the chat with the rule’s message after the second rage click, and record the firing as an event', async () => {
    const el = await launcher();
    await start({ rules: [rageAtCheckout] });
    const fired = tracked(tp);
    tp.track('Rage Click', { clicks: 3 });
    await settle();
    expect(el.isOpen).toBe(false);
    tp.track('Rage Click', { clicks: 3 });
    await until(() => el.isOpen && panelText(el).includes('Stuck at checkout? We can help.'), 8_000);
    await settle();
    expect(fired.filter((n) => n === 'Help Rule Fired')).toHaveLength(1);
    // Stored by the server, with the rule's id: the funnel splits on it.
    const anon = tp.anonymousId;
    await until(async () => (await commands.storedItems(anon)).events.some((e) => e.name === 'Help Rule Fired'), 8_000);
  });

  it('fire once per session by default, and not while the global cooldown runs', async () => {
    await launcher();
    const link: HelpRule = { id: 'link', when: { event: 'Coupon Failed' }, action: { kind: 'link', text: 'Coupon help', url: '/help/coupons' } };
    const other: HelpRule = { id: 'other', when: { event: 'Payment Failed' }, action: { kind: 'link', text: 'Payment help', url: 'https://help.example/pay' } };
    await start({ rules: [link, other], cooldownSeconds: 3600 });
    const fired = tracked(tp);
    tp.track('Coupon Failed');
    await settle();
    const toast = document.querySelector('tp-help-toast')!;
    expect(toast.shadowRoot!.querySelector('a')!.textContent).toBe('Coupon help');
    expect(toast.shadowRoot!.querySelector('[role=status]')).not.toBeNull();
    toast.shadowRoot!.querySelector('button')!.click();
    tp.track('Coupon Failed');
    tp.track('Payment Failed');
    await settle();
    // The same rule is spent for the session; the other waits for the cooldown.
    expect(document.querySelector('tp-help-toast')).toBeNull();
    expect(fired.filter((n) => n === 'Help Rule Fired')).toHaveLength(1);
  });

  it('never fire before consent allows analytics, and fire once it does', async () => {
    const el = await launcher();
    await start({ rules: [rageAtCheckout] }, 'opt-in');
    const fired = tracked(tp);
    tp.track('Rage Click');
    tp.track('Rage Click');
    await settle();
    expect(el.isOpen).toBe(false);
    expect(fired).not.toContain('Help Rule Fired');
    // Nothing of the rules is kept without functional consent.
    expect(Object.keys(sessionStorage).filter((k) => k.includes('help'))).toEqual([]);
    tp.consent.grantAll();
    tp.track('Rage Click');
    await until(() => el.isOpen, 8_000);
    await settle();
    expect(fired).toContain('Help Rule Fired');
    expect(Object.keys(sessionStorage).filter((k) => k.includes('help'))).toHaveLength(1);
  });

  it('stay quiet while the chat is open, and count friction per page view', async () => {
    const el = await launcher();
    await start({ rules: [{ ...rageAtCheckout, when: { friction: { rage: 2 } } }] });
    await el.open();
    tp.track('Rage Click');
    tp.track('Rage Click');
    await settle();
    expect(panelText(el)).not.toContain('Stuck at checkout');
    el.close();
    // A new page view starts the count again.
    tp.page();
    tp.track('Rage Click');
    await settle();
    expect(el.isOpen).toBe(false);
    tp.track('Rage Click');
    await until(() => el.isOpen, 8_000);
  });
});

describe('a help rule’s holdout', () => {
  /** The visitor's documented slot for a rule: FNV-1a(`holdout:<rule id>:<anonymous id>`) / 2³². */
  const slot = (id: string) => hashSlot(`holdout:${id}:${tp.anonymousId}`);
  /** A rule id this visitor is held out of at a holdout of 0.5 (inside: slot < 0.5), or not. */
  const ruleIdFor = (inside: boolean) => Array.from({ length: 64 }, (_, i) => `rage-${i}`).find((id) => slot(id) < 0.5 === inside)!;
  /** Every help event `tp` tracks from now on, as `name ruleId action`. */
  const helpEvents = (t: Touchpoint) => {
    const seen: string[] = [];
    t.on('event', (e) => e.type === 'track' && e.event.startsWith('Help Rule') && seen.push(`${e.event} ${(e.properties as { ruleId: string }).ruleId} ${(e.properties as { action: string }).action}`));
    return seen;
  };

  it('shows a held-out visitor nothing and records Help Rule Held Out with the rule’s id, spending the same caps as a firing', async () => {
    const el = await launcher();
    await start({ rules: [], cooldownSeconds: 3600 });
    const id = ruleIdFor(true);
    const other: HelpRule = { id: 'coupon', when: { event: 'Coupon Failed' }, action: { kind: 'link', text: 'Coupon help', url: '/help/coupons' } };
    stop?.();
    stop = startHelpRules(tp, { rules: [{ ...rageAtCheckout, id, holdout: 0.5 }, other], cooldownSeconds: 3600 }, { siteKey: 'demo', endpoint: await commands.serverUrl() });
    const seen = helpEvents(tp);
    tp.track('Rage Click');
    tp.track('Rage Click');
    await until(() => seen.length === 1, 8_000);
    await settle();
    expect(seen).toEqual([`Help Rule Held Out ${id} chat`]);
    expect(el.isOpen).toBe(false);
    // Capped as if it had fired: once a session, and the cooldown holds every other rule back.
    tp.track('Rage Click');
    tp.track('Coupon Failed');
    await settle();
    expect(seen).toHaveLength(1);
    expect(el.isOpen).toBe(false);
    expect(document.querySelector('tp-help-toast')).toBeNull();
    // Stored by the server in the session: the funnel's held-out group.
    const anon = tp.anonymousId;
    await until(async () => (await commands.storedItems(anon)).events.some((e) => e.name === 'Help Rule Held Out' && e.session_id === tp.sessionId), 8_000);
    expect((await commands.storedItems(anon)).events.map((e) => e.name)).not.toContain('Help Rule Fired');
  });

  it('helps a visitor outside the holdout as before, and takes the settings’ holdout for a rule that sets none', async () => {
    const el = await launcher();
    await start({ rules: [] });
    stop?.();
    const helped = ruleIdFor(false);
    const held = ruleIdFor(true);
    // Two rules on two events; the site's 0.5 holds this visitor out of one, and the rule that says 0 is never held out.
    const rules: HelpRule[] = [
      { id: helped, when: { event: 'Coupon Failed' }, action: { kind: 'chat', message: 'Coupon trouble?' } },
      { id: held, when: { event: 'Payment Failed' }, action: { kind: 'link', text: 'Payment help', url: '/help/pay' } },
      { id: 'never-held', holdout: 0, when: { event: 'Address Failed' }, action: { kind: 'link', text: 'Address help', url: '/help/address' } },
    ];
    stop = startHelpRules(tp, { rules, holdout: 0.5, cooldownSeconds: 0 }, { siteKey: 'demo', endpoint: await commands.serverUrl() });
    const seen = helpEvents(tp);
    tp.track('Coupon Failed');
    await until(() => el.isOpen && panelText(el).includes('Coupon trouble?'), 8_000);
    el.close();
    tp.track('Payment Failed');
    await until(() => seen.length === 2, 8_000);
    expect(document.querySelector('tp-help-toast')).toBeNull();
    // Whatever this visitor's slot for it, holdout 0 is no holdout.
    tp.track('Address Failed');
    await until(() => seen.length === 3, 8_000);
    expect(document.querySelector('tp-help-toast')!.shadowRoot!.textContent).toContain('Address help');
    expect(seen).toEqual([`Help Rule Fired ${helped} chat`, `Help Rule Held Out ${held} link`, 'Help Rule Fired never-held link']);
  });

  it('records nothing for a held-out visitor before consent allows analytics, nor when the action could not have run', async () => {
    await start({ rules: [] }, 'opt-in');
    stop?.();
    const id = ruleIdFor(true);
    // No launcher on the page: a firing would not run, so holding it out measures nothing (the try is spent, as a firing's is).
    stop = startHelpRules(tp, { rules: [{ ...rageAtCheckout, id, holdout: 0.5, maxPerSession: 2 }], cooldownSeconds: 0 }, { siteKey: 'demo', endpoint: await commands.serverUrl() });
    const seen = helpEvents(tp);
    tp.track('Rage Click');
    tp.track('Rage Click');
    await settle();
    expect(seen).toEqual([]);
    tp.consent.grantAll();
    tp.track('Rage Click');
    await settle();
    expect(seen).toEqual([]);
    await launcher();
    tp.page();
    tp.track('Rage Click');
    tp.track('Rage Click');
    await until(() => seen.length === 1, 8_000);
    expect(seen).toEqual([`Help Rule Held Out ${id} chat`]);
  });
});
