import type { HelpRule } from '../protocol/help-rule.js';
import { matchPath } from '../survey/eligibility.js';

/** What the rules see of the current page view and visitor, built from the SDK's own events. */
export interface HelpView {
  path: string;
  /** When this page view started (ms, the same clock as `now`). */
  since: number;
  /** Friction on this page view. */
  rage: number;
  dead: number;
  error: number;
  /** Events tracked on this page view. */
  events: Set<string>;
  identified: boolean;
  first?: string | undefined;
  last?: string | undefined;
  /** Latest numeric value of each event property seen (the `cart` condition). */
  numbers: Record<string, number>;
}

/** Firings remembered per session (sessionStorage with `functional` consent, else memory). */
export interface HelpMemory {
  session?: string | undefined;
  /** Rule id → firings in that session. */
  fired: Record<string, number>;
  /** When any rule last fired (ms since epoch): the global cooldown. */
  last?: number;
}

/** Whether every condition of the rule holds now (friction: any of its counts is reached). */
export const ruleMatches = (rule: HelpRule, v: HelpView, now: number): boolean => {
  const w = rule.when;
  if (w.path && !matchPath(w.path, v.path)) return false;
  if (w.event && !v.events.has(w.event)) return false;
  const f = w.friction;
  if (f && !((f.rage && v.rage >= f.rage) || (f.dead && v.dead >= f.dead) || (f.error && v.error >= f.error))) return false;
  if (w.secondsOnPage && now - v.since < w.secondsOnPage * 1000) return false;
  if (w.cart) {
    const n = v.numbers[w.cart.property];
    if (n === undefined || (w.cart.min !== undefined && n < w.cart.min) || (w.cart.max !== undefined && n > w.cart.max)) return false;
  }
  if (w.identified !== undefined && w.identified !== v.identified) return false;
  if (w.channel && !(w.channel.in as string[]).includes((w.channel.touch === 'first' ? v.first : v.last) ?? '')) return false;
  return true;
};

/** Why the caps forbid the rule now (`session`, `cooldown`), or undefined when it may fire. */
export const capped = (rule: HelpRule, m: HelpMemory, now: number, cooldownMs: number): string | undefined => {
  if ((m.fired[rule.id] ?? 0) >= (rule.maxPerSession ?? 1)) return 'session';
  if (m.last !== undefined && now - m.last < cooldownMs) return 'cooldown';
  return undefined;
};
