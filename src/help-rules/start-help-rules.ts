import { HELP_RULE_FIRED, HELP_RULE_HELD_OUT } from '../protocol/help-rule-fired.js';
import type { HelpRule, HelpRuleAction, HelpSettings } from '../protocol/help-rule.js';
import type { Event } from '../protocol/event.js';
import type { Touchpoint } from '../types.js';
import { hostOf, readStored, writeStored } from '../host/index.js';
import { capped, ruleMatches, type HelpMemory, type HelpView } from './match-rule.js';
import { showHelpLink } from './show-help-link.js';
import { KEYS } from '../lib/storage-keys.js';
import { hashSlot } from '../lib/hash-slot.js';

export interface HelpRulesOptions {
  siteKey?: string | undefined;
  endpoint?: string | undefined;
  /** The clock (ms since epoch); tests pass their own. */
  now?: () => number;
}

const FRICTION: Record<string, 'rage' | 'dead' | 'error'> = { 'Rage Click': 'rage', 'Dead Click': 'dead', 'Error Click': 'error' };
const KEY = KEYS.sessionStorage.help;

interface Launcher extends HTMLElement {
  isOpen?: boolean;
  open(options?: { message?: string }): Promise<void>;
}

/**
 * Real-time help (docs/sdk.md#help-rules): the site's rules, evaluated on the
 * SDK's own event stream — page views, friction, tracked events — and on a
 * timer for time on page, so nothing waits for a server. A rule fires only
 * when consent allows `analytics` (every firing is recorded as a
 * `Help Rule Fired` event, and a firing that cannot be measured is not
 * made), never while the chat is open, at most `maxPerSession` times a
 * session and not within the global cooldown after any firing. Its caps are
 * kept in sessionStorage with `functional` consent, else in memory.
 * A visitor in a rule's holdout (`holdout` share, fixed per visitor and rule)
 * goes through all of this the same way — the same matching, the same caps
 * spent — but is shown nothing: `Help Rule Held Out` is recorded instead,
 * when the action could have run, so the funnel compares like with like.
 * Returns a stop function.
 */
export const startHelpRules = (sdk: Touchpoint, help: HelpSettings, o: HelpRulesOptions = {}): (() => void) => {
  const host = hostOf(sdk, o);
  const now = o.now ?? Date.now;
  const cooldownMs = (help.cooldownSeconds ?? 60) * 1000;
  const rules = help.rules;
  const stored = () => host.consent.granted('functional');
  let memory: HelpMemory = (stored() && readStored<HelpMemory>(KEY, 'sessionStorage')) || { fired: {} };
  const view: HelpView = { path: location.pathname, since: now() - performance.now(), rage: 0, dead: 0, error: 0, events: new Set(), identified: false, numbers: {} };
  let timers: ReturnType<typeof setTimeout>[] = [];
  let busy = false;

  /** Runs the action (held out: only checks that it could run); whether it did. */
  const act = async (a: HelpRuleAction, out: boolean): Promise<boolean> => {
    if (a.kind === 'chat') {
      const launcher = document.querySelector<Launcher>('tp-chat-launcher');
      if (!launcher?.open) return false;
      if (!out) await launcher.open({ message: a.message });
      return true;
    }
    if (a.kind === 'survey') return !!sdk.survey && (out || (await sdk.survey.show(a.surveyId)) !== false);
    if (!out) showHelpLink(a.text, a.url);
    return true;
  };

  const fire = async (rule: HelpRule) => {
    busy = true;
    try {
      const t = now();
      if (memory.session !== sdk.sessionId) memory = { session: sdk.sessionId, fired: {} };
      // Counted before the action runs: an action that throws must not fire again at once.
      memory.fired[rule.id] = (memory.fired[rule.id] ?? 0) + 1;
      memory.last = t;
      if (stored()) writeStored(KEY, memory, 'sessionStorage');
      // The visitor's slot, not a coin per match: held out on every page and session of this device, as the funnel's units are.
      const out = hashSlot(`holdout:${rule.id}:${sdk.anonymousId}`) < (rule.holdout ?? help.holdout ?? 0);
      if (await act(rule.action, out)) host.call('track', out ? HELP_RULE_HELD_OUT : HELP_RULE_FIRED, { ruleId: rule.id, action: rule.action.kind });
    } catch {
      // The host page never sees our failure.
    } finally {
      busy = false;
    }
  };

  const evaluate = () => {
    if (busy || !host.consent.granted('analytics')) return;
    if (document.querySelector<Launcher>('tp-chat-launcher')?.isOpen) return;
    const t = now();
    if (memory.session !== sdk.sessionId) memory = { session: sdk.sessionId, fired: {} };
    const rule = rules.find((r) => !capped(r, memory, t, cooldownMs) && ruleMatches(r, view, t));
    if (rule) void fire(rule);
  };

  /** Time on page: one timer per rule that waits for it, from the page view's start. */
  const schedule = () => {
    for (const id of timers) clearTimeout(id);
    timers = rules.flatMap((r) => (r.when.secondsOnPage ? [setTimeout(evaluate, Math.max(0, view.since + r.when.secondsOnPage * 1000 - now()))] : []));
  };

  const onEvent = (e: Event) => {
    if (e.type === 'track' && (e.event === HELP_RULE_FIRED || e.event === HELP_RULE_HELD_OUT)) return;
    view.identified = !!e.userId;
    const a = e.context?.attribution;
    view.first = a?.first?.channel ?? view.first;
    view.last = a?.last?.channel ?? view.last;
    if (e.type === 'page') {
      const path = (e.properties as { path?: unknown } | undefined)?.path;
      Object.assign(view, { path: typeof path === 'string' ? path : location.pathname, since: now(), rage: 0, dead: 0, error: 0, events: new Set() });
      schedule();
    } else if (e.type === 'track') {
      const f = FRICTION[e.event];
      if (f) view[f]++;
      view.events.add(e.event);
      for (const [k, v] of Object.entries(e.properties ?? {})) if (typeof v === 'number' && Number.isFinite(v)) view.numbers[k] = v;
    }
    evaluate();
  };

  const off = sdk.on('event', onEvent);
  schedule();
  evaluate();
  return () => {
    off();
    for (const id of timers) clearTimeout(id);
  };
};
