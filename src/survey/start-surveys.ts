import type { SurveyAnswer, SurveyDefinition } from '../protocol/survey.js';
import type { Touchpoint } from '../types.js';
import { pageContext } from '../core/page-context.js';
import { hostOf } from '../host/host-of.js';
import { siteConfig } from '../lib/site-config.js';
import { readStored, writeStored } from '../lib/storage.js';
import { warn } from '../lib/warn.js';
import { ineligible, matchPath, type SurveyMemory } from './eligibility.js';
import { KEYS } from '../lib/storage-keys.js';

export interface SurveysOptions {
  /** Site key, to fetch definitions from the site config (unless `surveys` is given). */
  siteKey?: string;
  /** Backend base URL (default: the page's origin). */
  endpoint?: string;
  /** Definitions to use instead of the site config's. */
  surveys?: SurveyDefinition[];
  /** Makes the element that shows a survey (default: `document.createElement('tp-survey')`, so register it first). */
  render?: (definition: SurveyDefinition, context: ShowContext) => HTMLElement;
}

/** What led to a showing: carried on each answer. */
export interface ShowContext {
  conversationId?: string;
  trigger: 'event' | 'chat' | 'url' | 'exit' | 'api';
}

export interface Surveys {
  /** Shows a survey now if the visitor is eligible (targeting, sampling, cooldown). Resolves whether it showed. */
  show(id: string, options?: { force?: boolean; conversationId?: string }): Promise<boolean>;
  /** A survey's definition (for inline `<tp-survey survey-id>` elements). */
  definition(id: string): Promise<SurveyDefinition | undefined>;
  /** Stops every trigger. */
  stop(): void;
}

/** The answer fields the element knows; the SDK adds who, when and where. */
export type ElementAnswer = Pick<SurveyAnswer, 'responseId' | 'surveyId' | 'surveyVersion' | 'questionId' | 'value' | 'final' | 'conversationId' | 'locale'>;

/**
 * Survey targeting and triggers (lazy, never in the core bundle): on a
 * tracked event of the current session, a closed chat, a URL after a delay,
 * exit intent, or `show(id)`. Each answer goes through the durable outbox the
 * moment it is given, so a closed tab keeps the answered steps. Needs the
 * `analytics` consent category.
 */
export const startSurveys = (touchpoint: Touchpoint, options: SurveysOptions = {}): Surveys => {
  const tp = touchpoint;
  const host = hostOf(tp, options);
  const off: (() => void)[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let showing = false;

  // Surveys need `analytics`: until it is granted nothing is fetched, the site
  // config included (in opt-in mode, no request of any kind before a decision).
  const granted = new Promise<void>((resolve) => {
    if (tp.consent.granted('analytics')) return resolve();
    const stop = tp.consent.on('change', () => tp.consent.granted('analytics') && (stop(), resolve()));
    off.push(stop);
  });
  const definitions: Promise<SurveyDefinition[]> = options.surveys
    ? Promise.resolve(options.surveys)
    : granted.then(() => siteConfig(options.endpoint, options.siteKey)).then((c) => c?.surveys ?? []);

  const visitor = () => {
    const user = readStored<{ userId?: string; traits?: Record<string, unknown> }>(KEYS.localStorage.user) ?? {};
    return { anonymousId: tp.anonymousId, sessionId: tp.sessionId, path: location.pathname, ...user };
  };

  const show = async (id: string, ctx: ShowContext, force = false): Promise<boolean> => {
    const def = (await definitions).find((d) => d.id === id);
    if (!def || showing || !tp.consent.granted('analytics')) return false;
    const memory = readStored<SurveyMemory>(KEYS.localStorage.surveys) ?? {};
    const now = Date.now();
    const why = force ? undefined : ineligible(def, visitor(), memory, now);
    if (why) {
      if (DEV_MODE) warn('survey-skipped', `Survey "${id}" not shown (${why}).`);
      return false;
    }
    writeStored(KEYS.localStorage.surveys, { last: now, shown: { ...memory.shown, [id]: now }, session: tp.sessionId });
    showing = true;
    const el = options.render?.(def, ctx) ?? document.createElement('tp-survey');
    Object.assign(el, { definition: def, presentation: 'floating', conversationId: ctx.conversationId, open: true });
    el.addEventListener('tp-survey-hide', () => {
      showing = false;
      el.remove();
    });
    document.body.appendChild(el);
    return true;
  };

  const answer = (e: Event) => {
    const a = (e as CustomEvent<ElementAnswer>).detail;
    if (!a?.responseId || !tp.consent.granted('analytics')) return;
    const page = pageContext();
    const body: SurveyAnswer = {
      ...a,
      anonymousId: tp.anonymousId,
      userId: readStored<{ userId?: string }>(KEYS.localStorage.user)?.userId ?? null,
      timestamp: new Date().toISOString(),
      url: page.url,
      // The language shown (the element says it), else the page's.
      locale: a.locale || document.documentElement.lang || navigator.language,
      // The replay is keyed by session; its clock is epoch ms.
      replayTimestamp: Date.now(),
      ...(tp.sessionId ? { sessionId: tp.sessionId } : {}),
    };
    host.send('responses', body);
  };
  document.addEventListener('tp-survey-answer', answer);
  off.push(() => document.removeEventListener('tp-survey-answer', answer));

  // Inline <tp-survey survey-id> elements already on the page get their definitions
  // (those connected later ask `touchpoint.survey.definition()` themselves).
  void definitions.then((defs) => {
    for (const el of document.querySelectorAll<HTMLElement & { definition?: SurveyDefinition }>('tp-survey[survey-id]')) {
      el.definition ??= defs.find((d) => d.id === el.getAttribute('survey-id'));
    }
  });

  /** Definitions that may trigger on their own (inline ones are placed and shown by the page). */
  const triggered = definitions.then((defs) => defs.filter((d) => d.presentation !== 'inline'));
  const each = (fn: (def: SurveyDefinition, t: NonNullable<SurveyDefinition['trigger']>) => void) =>
    void triggered.then((defs) => defs.forEach((d) => fn(d, d.trigger ?? {})));

  // Listeners go on at once, before the definitions arrive: an event tracked
  // while the site config is still loading must not be missed.
  off.push(
    tp.on('event', (e) =>
      each((def, t) => {
        // Only this session's events: never an event from an earlier visit.
        if (t.event && e.type === 'track' && e.event === t.event && e.context?.session?.id === tp.sessionId) void show(def.id, { trigger: 'event' });
        if (t.url && e.type === 'page') onPage(def, t, e.context?.page?.path ?? '');
      }),
    ),
  );
  const onPage = (def: SurveyDefinition, t: NonNullable<SurveyDefinition['trigger']>, path: string) => {
    if (!t.url || !matchPath(t.url, path)) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      // Still on the matching page after the delay.
      if (location.pathname === path) void show(def.id, { trigger: 'url' });
    }, t.delayMs ?? 0);
    timers.add(timer);
  };
  each((def, t) => onPage(def, t, location.pathname));

  const onClose = (e: Event) =>
    each((def, t) => t.chatClosed && void show(def.id, { trigger: 'chat', conversationId: (e as CustomEvent<{ conversationId: string }>).detail?.conversationId }));
  document.addEventListener('tp-chat-conversation-close', onClose);
  off.push(() => document.removeEventListener('tp-chat-conversation-close', onClose));

  if (matchMedia('(pointer: fine)').matches) {
    // Exit intent (desktop only): the pointer leaves through the top of the window.
    const onOut = (e: MouseEvent) => !e.relatedTarget && e.clientY <= 0 && each((def, t) => t.exitIntent && void show(def.id, { trigger: 'exit' }));
    document.addEventListener('mouseout', onOut);
    off.push(() => document.removeEventListener('mouseout', onOut));
  }

  const api: Surveys = {
    show: (id, o = {}) => show(id, { trigger: 'api', conversationId: o.conversationId }, o.force).catch(() => false),
    definition: async (id) => (await definitions).find((d) => d.id === id),
    stop() {
      off.forEach((f) => f());
      timers.forEach(clearTimeout);
    },
  };
  // `touchpoint.survey` for the page and for elements given this SDK (`<tp-survey .sdk>`), npm or script tag alike.
  tp.survey = api;
  return api;
};
