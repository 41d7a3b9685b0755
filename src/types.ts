import type { Attribution } from './protocol/context.js';
import type { Event } from './protocol/event.js';
import type { SurveyDefinition } from './protocol/survey.js';
import type { Consent, ConsentOptions } from './core/consent.js';
import type { SendResult } from './core/transport.js';

export type { Event, Attribution };
export type Properties = Record<string, unknown>;

/** Where a plugin runs, in order: `before` may cancel, `enrichment` may change, `destination` only receives. */
export type PluginStage = 'before' | 'enrichment' | 'destination';

export interface Plugin {
  name: string;
  stage: PluginStage;
  /** Return the event (changed or not), or `null` to drop it (not for destinations). */
  run(event: Event): Event | null | void | Promise<Event | null | void>;
}

export interface AutocaptureOptions {
  /** Page views, including SPA route changes (history API, popstate). Default true. */
  pageViews?: boolean;
  /** Also count `hashchange` as a page view (hash-routed apps). Default false. */
  hashRoutes?: boolean;
  /** Clicks on links and buttons, outbound links, file downloads. Default true. */
  clicks?: boolean;
  /** Form submissions (never values). Default true. */
  forms?: boolean;
  /** Uncaught errors and unhandled rejections. Default true. */
  errors?: boolean;
  /** Rage, dead and error clicks (lazy module). Default true. */
  friction?: boolean;
  /** LCP, INP, CLS, FCP, TTFB via web-vitals (lazy module). Default true. */
  webVitals?: boolean;
}

export interface TouchpointOptions {
  /** Public site key. */
  siteKey: string;
  /** Base URL of the backend (default: the page's origin). */
  endpoint?: string;
  consent?: ConsentOptions;
  autocapture?: AutocaptureOptions | false;
  plugins?: Plugin[];
  /** Last look at each event before it is queued: redact, or return null to drop. */
  beforeSend?: (event: Event) => Event | null;
  /** Share the visitor id across sub-domains through a cookie on this domain (e.g. `example.com`). */
  cookieDomain?: string;
  /** Outbox cap in bytes (default 5 MB); oldest items go first when full. */
  maxQueueBytes?: number;
  /** How often to send, in ms (default 2000). */
  flushInterval?: number;
  /**
   * Query and fragment keys kept as they are in every URL the SDK sends,
   * although the deny-list names them (e.g. `['state']` for a store finder's
   * US state). E-mail- and JWT-shaped values are redacted regardless (docs/sdk.md, "URLs").
   */
  urlAllowList?: string[];
}

export interface IdentifyOptions {
  /** HMAC-SHA256 of the user id with the site secret, from your backend: makes the identity verified. */
  userHash?: string;
}

export interface TouchpointEvents extends Record<string, unknown[]> {
  /** Every event, after plugins, as it is queued. */
  event: [event: Event];
  /** Each delivery attempt's outcome. */
  delivery: [result: SendResult, count: number];
  ready: [];
  reset: [];
}

/**
 * Your events and their properties, for a typed `track()` (a `type`, not an
 * `interface`, so it has the index signature this needs):
 * `createTouchpoint<{ 'Order Completed': { revenue: number; currency: string } }>(…)`.
 */
export type EventMap = Record<string, Properties>;

export interface Touchpoint<E extends EventMap = EventMap> {
  page(name?: string, properties?: Properties): void;
  track<K extends keyof E & string>(event: K, properties?: E[K]): void;
  identify(userId: string, traits?: Properties, options?: IdentifyOptions): void;
  alias(userId: string, previousId?: string, options?: IdentifyOptions): void;
  group(groupId: string, traits?: Properties): void;
  /** Logout: forgets the user, rotates the anonymous id, clears stored data and pending events on this device. */
  reset(): Promise<void>;
  /** Sends what is queued now. */
  flush(): Promise<void>;
  on<K extends keyof TouchpointEvents>(name: K, fn: (...args: TouchpointEvents[K]) => void): () => void;
  readonly consent: Consent;
  /** Resolves when the SDK has started (outbox open, queued calls replayed). */
  ready(): Promise<void>;
  readonly anonymousId: string;
  readonly sessionId: string | undefined;
  /** Registers a plugin at run time. */
  use(plugin: Plugin): void;
  /**
   * Surveys, when the script tag's `data-features` includes `survey` (npm users
   * call `startSurveys(touchpoint)` from `touchpoint/survey`). Calls made before
   * the survey chunk loads are queued.
   */
  survey?: {
    show(id: string, options?: { force?: boolean; conversationId?: string }): Promise<boolean> | void;
    /** A survey's definition, once surveys run (an inline `<tp-survey survey-id>` given this SDK asks it). */
    definition?(id: string): Promise<SurveyDefinition | undefined>;
  };
}
