/**
 * `touchpoint/react`: the elements as React components (lit's `@lit/react`
 * wrappers: properties as props, events as `onChatOpen`-style props, for
 * React 17 to 19), a provider that hands one SDK instance to them and to your
 * components, and hooks. Importing it registers the three elements.
 *
 *   const tp = createTouchpoint({ siteKey: '…' });   // once, outside components
 *   <TouchpointProvider touchpoint={tp}><App /></TouchpointProvider>
 *   useTouchpointEvent('delivery', (r) => …);        // subscribed once per mount
 *   <ChatLauncher siteKey="…" onChatUnreadChange={(e) => setUnread(e.detail.count)} />
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import type { Touchpoint, TouchpointEvents } from 'touchpoint';
import { TpChatLauncher } from 'touchpoint/components/chat-launcher';
import { TpConsentBanner } from 'touchpoint/components/consent-banner';
import { TpSurvey } from 'touchpoint/components/survey';
import { ELEMENT_EVENTS, eventProp, type EventProp } from './element-events.js';
import { SDK_PROPERTY, type TakesTouchpoint } from './sdk-property.js';
// JSX types for the <tp-*> tags themselves (React 19 without the wrappers), from custom-elements.json.
import './react-jsx.js';

const Context = React.createContext<Touchpoint | undefined>(undefined);

/** Gives `touchpoint` to every Touchpoint component and hook below it. Create the instance once, outside components. */
export function TouchpointProvider(props: { touchpoint: Touchpoint; children?: React.ReactNode }): React.ReactElement {
  return React.createElement(Context.Provider, { value: props.touchpoint }, props.children);
}

/** The SDK instance of the nearest `<TouchpointProvider>`. A component outside one is a mistake in the app, said at its first render. */
export function useTouchpoint(): Touchpoint {
  const tp = React.useContext(Context);
  if (!tp) throw new Error('useTouchpoint(): no <TouchpointProvider touchpoint={…}> above this component.');
  return tp;
}

/**
 * Listens to an SDK event while the component is mounted: subscribed once
 * per mount (not on every render) and unsubscribed on unmount; the handler
 * may change between renders, the latest one is called.
 */
export function useTouchpointEvent<K extends keyof TouchpointEvents>(name: K, handler: (...args: TouchpointEvents[K]) => void): void {
  const tp = useTouchpoint();
  const latest = React.useRef(handler);
  React.useEffect(() => {
    latest.current = handler;
  });
  React.useEffect(() => tp.on(name, (...args) => latest.current(...args)), [tp, name]);
}

type Events<T extends keyof typeof ELEMENT_EVENTS> = {
  [N in (typeof ELEMENT_EVENTS)[T][number] as EventProp<N>]: EventName<N extends keyof HTMLElementEventMap ? HTMLElementEventMap[N] : CustomEvent>;
};
const events = <T extends keyof typeof ELEMENT_EVENTS>(tag: T) => Object.fromEntries(ELEMENT_EVENTS[tag].map((n) => [eventProp(n), n])) as Events<T>;

/** A wrapper that also hands the provider's SDK instance to the element, as its `touchpoint` property. */
const withTouchpoint = <I extends HTMLElement, P extends object>(Base: React.ComponentType<P & React.RefAttributes<I>>) => {
  const Wrapped = React.forwardRef<I, P>((props, ref) => {
    const tp = React.useContext(Context);
    const setRef = React.useCallback(
      (el: I | null) => {
        if (el && tp) (el as I & TakesTouchpoint)[SDK_PROPERTY] = tp;
        if (typeof ref === 'function') ref(el);
        else if (ref) ref.current = el;
      },
      [tp, ref],
    );
    return React.createElement(Base, { ...props, ref: setRef } as P & React.RefAttributes<I>);
  });
  Wrapped.displayName = `Touchpoint(${(Base as { displayName?: string }).displayName ?? 'element'})`;
  return Wrapped;
};

const wrap = <I extends HTMLElement, T extends keyof typeof ELEMENT_EVENTS>(tagName: T, elementClass: new () => I, displayName: string) => {
  const Base = createComponent({ react: React, tagName, elementClass, events: events(tagName), displayName });
  return withTouchpoint<I, React.ComponentProps<typeof Base>>(Base as never);
};

/** `<tp-chat-launcher>`: the chat button and its lazily loaded panel. */
export const ChatLauncher = wrap('tp-chat-launcher', TpChatLauncher, 'ChatLauncher');
/** `<tp-consent-banner>`: the consent banner and preferences dialog. */
export const ConsentBanner = wrap('tp-consent-banner', TpConsentBanner, 'ConsentBanner');
/** `<tp-survey>`: a CES/CSAT/NPS micro-survey, inline or floating. */
export const Survey = wrap('tp-survey', TpSurvey, 'Survey');
