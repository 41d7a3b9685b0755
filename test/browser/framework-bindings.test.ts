import { afterEach, describe, expect, it } from 'vitest';
import { createElement, useState, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { createApp, defineComponent, h, ref, withDirectives, resolveDirective, type App } from 'vue';
import { userEvent } from 'vitest/browser';
import { createTouchpoint, type Event, type Touchpoint } from 'touchpoint';
import { ChatLauncher, ConsentBanner, Survey, TouchpointProvider, useTouchpoint, useTouchpointEvent } from '../../frameworks/react.js';
import { touchpointPlugin, useTouchpoint as useVueTouchpoint, useTouchpointEvent as useVueTouchpointEvent } from '../../frameworks/vue.js';
import { until } from '../support/until.js';

// Real SDK instances (no endpoint is ever reached: consent 'none' queues events, and nothing here flushes).
const sdk = (): Touchpoint => createTouchpoint({ siteKey: 'bindings', endpoint: 'http://127.0.0.1:9', consent: { mode: 'none' }, autocapture: false, flushInterval: 60_000 });
const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});
const mount = () => {
  const host = document.body.appendChild(document.createElement('div'));
  const root: Root = createRoot(host);
  cleanup.push(() => {
    root.unmount();
    host.remove();
  });
  return { host, render: (node: ReactNode) => flushSync(() => root.render(node)) };
};

describe('touchpoint/react', () => {
  it('subscribes an SDK event once per mount however often the component renders, calls the latest handler, and unsubscribes on unmount', async () => {
    const tp = sdk();
    const seen: string[] = [];
    let rerender: (n: number) => void = () => {};
    function Counter() {
      const [n, setN] = useState(0);
      rerender = setN;
      useTouchpointEvent('event', (e: Event) => seen.push(`${n}:${e.type === 'track' ? e.event : e.type}`));
      return createElement('p', null, String(n));
    }
    const { host, render } = mount();
    render(createElement(TouchpointProvider, { touchpoint: tp }, createElement(Counter)));
    for (const n of [1, 2, 3, 4]) flushSync(() => rerender(n));
    expect(host.textContent).toBe('4');
    tp.track('Once');
    await until(() => seen.length > 0, 5_000);
    // One listener after five renders (the example's bare tp.on() in render had added five), with the last render's handler.
    expect(seen).toEqual(['4:Once']);
    render(createElement('div'));
    tp.track('After unmount');
    await tp.flush().catch(() => {});
    expect(seen).toEqual(['4:Once']);
  });

  it('wraps each element: properties as props, its events as on… props, and the provider’s SDK instance as its sdk property', async () => {
    const tp = sdk();
    const answers: string[] = [];
    const definition = { id: 'b-csat', version: 1, questions: [{ id: 'csat', type: 'csat' as const }] };
    const { host, render } = mount();
    render(
      createElement(
        TouchpointProvider,
        { touchpoint: tp },
        createElement(Survey, { presentation: 'inline', definition, onSurveyAnswer: (e) => answers.push(e.detail.questionId) }),
        createElement(ConsentBanner, { policyVersion: 'bindings' }),
        createElement(ChatLauncher, { siteKey: 'bindings', endpoint: 'http://127.0.0.1:9' }),
      ),
    );
    const survey = host.querySelector('tp-survey')!;
    expect(survey.definition).toEqual(definition);
    expect((survey as unknown as { sdk?: Touchpoint }).sdk).toBe(tp);
    expect((host.querySelector('tp-consent-banner') as unknown as { sdk?: Touchpoint }).sdk).toBe(tp);
    expect(host.querySelector('tp-chat-launcher')!.siteKey).toBe('bindings');
    await until(() => survey.shadowRoot?.querySelector('[role="radio"], input[type="radio"]') != null, 5_000);
    const radios = survey.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"], input[type="radio"]');
    await userEvent.click(radios[radios.length - 1]!);
    await until(() => answers.length > 0, 5_000);
    expect(answers).toEqual(['csat']);
  });

  it('says what is missing when a hook runs outside a provider', () => {
    function Orphan() {
      useTouchpoint();
      return null;
    }
    const errors: unknown[] = [];
    const host = document.body.appendChild(document.createElement('div'));
    const root = createRoot(host, { onUncaughtError: (e) => errors.push(e) });
    cleanup.push(() => {
      root.unmount();
      host.remove();
    });
    flushSync(() => root.render(createElement(Orphan)));
    expect(String(errors[0])).toMatch(/no <TouchpointProvider touchpoint=\{…\}> above this component/);
  });
});

describe('touchpoint/vue', () => {
  let app: App | undefined;
  afterEach(() => {
    app?.unmount();
    app = undefined;
  });

  it('provides the instance to composables and, through v-touchpoint, to the elements; event subscriptions end with the component', async () => {
    const tp = sdk();
    const seen: string[] = [];
    let used: Touchpoint | undefined;
    const Child = defineComponent({
      setup() {
        used = useVueTouchpoint();
        useVueTouchpointEvent('event', (e: Event) => seen.push(e.type === 'track' ? e.event : e.type));
        return () => withDirectives(h('tp-consent-banner', { policyVersion: 'vue-bindings' }), [[resolveDirective('touchpoint')!]]);
      },
    });
    const show = ref(true);
    const Root = defineComponent({ setup: () => () => (show.value ? h(Child) : h('p', 'gone')) });
    const host = document.body.appendChild(document.createElement('div'));
    cleanup.push(() => host.remove());
    app = createApp(Root).use(touchpointPlugin, tp);
    app.mount(host);
    expect(used).toBe(tp);
    expect((host.querySelector('tp-consent-banner') as unknown as { sdk?: Touchpoint }).sdk).toBe(tp);
    tp.track('Seen');
    await until(() => seen.includes('Seen'), 5_000);
    show.value = false;
    await until(() => host.textContent === 'gone', 5_000);
    tp.track('Not seen');
    await tp.flush().catch(() => {});
    expect(seen.filter((s) => s === 'Not seen')).toEqual([]);
  });
});
