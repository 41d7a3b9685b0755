import type { Touchpoint } from '../src/types.js';
import { followSitePolicy } from './follow-site-policy.js';

export interface FeatureOptions {
  siteKey: string;
  endpoint: string;
  /** `data-features`: any of `replay`, `survey`, `chat`, `consent`, separated by spaces or commas. */
  features?: string;
  [key: string]: string | undefined;
}

/** A call the snippet (or the entry's stub) queued: method, arguments. */
type Queued = [method: string, args: unknown[], ...rest: unknown[]];

/**
 * The script-tag build's optional features (a lazy chunk, loaded when
 * `data-features` names one, and to follow the site's consent policy version
 * when the tag names none), each a further lazy chunk fetched on its own
 * terms: replay once consent grants `replay`; surveys and the chat launcher
 * at start. Kept out of the entry, whose budget is 6 KB.
 */
export const startFeatures = (tp: Touchpoint, o: FeatureOptions, queue: Queued[], banner: () => Promise<{ open: boolean } | void>): void => {
  const has = (feature: string) => (o.features ?? '').split(/[\s,]+/).includes(feature);
  // The policy version saved in the console, unless the tag names its own: a newer one asks again.
  const policy = o.policyVersion ? Promise.resolve() : followSitePolicy(tp, o, () => void banner().then((b) => b && (b.open = true)));
  // Replay never loads before consent grants `replay` (and the replay module samples), nor on a decision the site's policy version may prove stale.
  let replay: unknown;
  const maybeReplay = () => (replay ||= has('replay') && tp.consent.granted('replay') && import('../src/replay/index.js').then((m) => m.startReplay(tp, { siteKey: o.siteKey, endpoint: o.endpoint }), () => {}));
  const replayWhenSettled = () => void policy.then(maybeReplay);
  replayWhenSettled();
  tp.consent.on('change', replayWhenSettled);

  if (has('survey')) {
    void import('../components/survey/mount-surveys.js').then(({ mountSurveys }) => {
      const surveys = mountSurveys(tp, { siteKey: o.siteKey, endpoint: o.endpoint });
      (tp as { survey?: unknown }).survey = surveys;
      // Calls made before this chunk loaded, in order.
      for (const [method, [id, options]] of queue) if (method === 'survey.show') void surveys.show(id as string, options as { force?: boolean });
    }, () => {});
  }
  if (has('chat')) void import('../components/chat-launcher/mount-chat-launcher.js').then((m) => m.mountChatLauncher(o.siteKey, o.endpoint), () => {});
  // Help rules: their chunk loads only when the site config (fetched once per page for every feature) has some —
  // and the config is asked for only once analytics is granted (a rule never fires without it): before a
  // decision an opt-in page makes no request of any kind (privacy.spec).
  // The config helper by import(): a static import here would move it into this chunk, which replay and surveys would then load.
  let help: unknown;
  const maybeHelp = () =>
    (help ||=
      !!o.features &&
      tp.consent.granted('analytics') &&
      import('../src/lib/site-config.js')
        .then((m) => m.siteConfig(o.endpoint, o.siteKey))
        .then((c) => (c?.help?.rules.length ? import('../src/help-rules/start-help-rules.js').then((m) => void m.startHelpRules(tp, c.help!, o)) : undefined))
        .catch(() => {}));
  maybeHelp();
  tp.consent.on('change', maybeHelp);
};
