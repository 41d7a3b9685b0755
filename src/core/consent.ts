import { CONSENT_CATEGORIES } from '../protocol/constants.js';
import type { ConsentMethod } from '../protocol/consent-record.js';
import { createEmitter } from '../lib/emitter.js';
import { readStored, writeStored } from '../lib/storage.js';
import { KEYS } from '../lib/storage-keys.js';

export type ConsentMode = 'opt-in' | 'opt-out' | 'none';

export interface ConsentOptions {
  /** `opt-in` (GDPR, default): nothing stored or sent before a decision. `opt-out` (CCPA): on until refused. `none`: no consent needed. */
  mode?: ConsentMode;
  /** Bump it to ask every visitor again. Not given: the version the visitor's stored decision was made under (else `"1"`), until `policy()` says the site's. */
  policyVersion?: string;
  /** Categories the site asks about; `necessary` is always granted. */
  categories?: string[];
  /** Honour Global Privacy Control (default true): marketing stays off while the browser sends it. */
  honorGpc?: boolean;
}

export interface ConsentState {
  mode: ConsentMode;
  policyVersion: string;
  categories: Record<string, boolean>;
  /** The visitor (or GPC) decided under the current policy and categories. */
  decided: boolean;
  /** A banner should ask: opt-in with no current decision (new policy or new category). */
  needsPrompt: boolean;
  gpc: boolean;
  method?: ConsentMethod | undefined;
  /** SHA-256 (hex) of the banner text the decision was made on: proof of what was shown. */
  textHash?: string | undefined;
  /** Language the banner was shown in. */
  locale?: string | undefined;
}

/** What a banner adds to a decision for the record. */
export interface ConsentMeta {
  textHash?: string;
  locale?: string;
}

interface Stored {
  v: string;
  c: Record<string, boolean>;
  m: ConsentMethod;
}

export interface ConsentEvents extends Record<string, unknown[]> {
  change: [state: ConsentState, method: ConsentMethod];
  show: [];
}

/**
 * The consent engine: one state machine that the SDK, replay and the banner
 * all read. Decisions are kept (the decision itself is strictly-necessary
 * storage), and each one is reported through `change` so the SDK can send a
 * consent record and persist or purge its data.
 */
export const createConsent = (o: ConsentOptions = {}) => {
  const mode = o.mode ?? 'opt-in';
  const names = [...new Set(['necessary', ...(o.categories ?? CONSENT_CATEGORIES)])];
  const gpc = o.honorGpc !== false && (globalThis.navigator as { globalPrivacyControl?: boolean } | undefined)?.globalPrivacyControl === true;
  const events = createEmitter<ConsentEvents>();

  let state: ConsentState;
  /**
   * The state under policy version `v`. A stored decision counts only if it
   * was made under this policy and covers every category asked now: a
   * category added later is asked, never assumed. Called again when the site
   * says its current version (the script tag, from the site config): a
   * decision made under another one no longer counts, and a banner asks.
   */
  const policy = (v = o.policyVersion) => {
    const stored = mode === 'none' ? undefined : readStored<Stored>(KEYS.localStorage.consent);
    const policyVersion = v ?? stored?.v ?? '1';
    const current = stored && stored.v === policyVersion && names.every((n) => n in stored.c) ? stored : undefined;
    state = {
      mode,
      policyVersion,
      // Opt-out: a decision under another version still holds — its refusals above all (a "do not sell" outlives a new policy).
      categories: applyGpc({ ...base(mode !== 'opt-in'), ...(current ?? (mode === 'opt-out' ? stored : undefined))?.c, necessary: true }),
      decided: mode === 'none' || !!current,
      needsPrompt: mode === 'opt-in' && !current,
      gpc,
      method: current?.m,
    };
  };
  const base = (on: boolean) => Object.fromEntries(names.map((n) => [n, n === 'necessary' || on]));
  const applyGpc = (c: Record<string, boolean>) => (gpc && 'marketing' in c ? { ...c, marketing: false } : c);
  policy();

  const set = (categories: Record<string, boolean>, method: ConsentMethod = 'api', meta: ConsentMeta = {}) => {
    const c = applyGpc({ ...state.categories, ...categories, necessary: true });
    state = { ...state, ...meta, categories: c, decided: true, needsPrompt: false, method: gpc && method !== 'gpc' && categories.marketing ? 'gpc' : method };
    remember();
    events.emit('change', state, state.method ?? method);
  };
  /** Stores the current decision (again, after a purge of everything else). */
  const remember = () => {
    if (mode !== 'none' && state.decided) writeStored(KEYS.localStorage.consent, { v: state.policyVersion, c: state.categories, m: state.method ?? 'api' } satisfies Stored);
  };

  return {
    get: (): ConsentState => state,
    granted: (category: string): boolean => state.categories[category] === true,
    set,
    remember,
    /** The site's current policy version, learned after start: a decision made under another one stops counting (`needsPrompt`). */
    policy,
    grantAll: (method?: ConsentMethod, meta?: ConsentMeta) => set(base(true), method, meta),
    denyAll: (method?: ConsentMethod, meta?: ConsentMeta) => set(base(false), method, meta),
    /** Asks a banner on the page to open its preferences. */
    show: () => events.emit('show'),
    on: events.on,
    /** In opt-out mode, an undecided visitor with GPC gets a recorded GPC refusal. */
    applyGpcDefault() {
      if (gpc && mode === 'opt-out' && !state.decided) set({ marketing: false }, 'gpc');
    },
  };
};
export type Consent = ReturnType<typeof createConsent>;
