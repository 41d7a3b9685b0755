/**
 * The public elements' events as framework props: `tp-chat-unread-change` →
 * `onChatUnreadChange` (the tag's `tp-` dropped, camel-cased, `on` before).
 * One table for the React wrappers; test/node/framework-bindings.test.ts
 * checks it against custom-elements.json, so a new event cannot be missed.
 */
export const ELEMENT_EVENTS = {
  'tp-chat-launcher': ['tp-chat-open', 'tp-chat-close', 'tp-chat-message', 'tp-chat-unread-change', 'tp-chat-handoff', 'tp-chat-conversation-close'],
  'tp-consent-banner': ['tp-consent-change', 'tp-consent-show', 'tp-consent-hide'],
  'tp-survey': ['tp-survey-show', 'tp-survey-answer', 'tp-survey-complete', 'tp-survey-dismiss', 'tp-survey-hide'],
} as const;

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
/** `tp-chat-open` → `onChatOpen`. */
export type EventProp<N extends string> = N extends `tp-${infer R}` ? `on${Capitalize<Camel<R>>}` : never;

export const eventProp = <N extends string>(name: N): EventProp<N> =>
  `on${name.replace(/^tp-/, '').replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase())}` as EventProp<N>;
