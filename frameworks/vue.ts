/**
 * `touchpoint/vue`: a plugin that provides one SDK instance to the app
 * (`useTouchpoint()`, `this.$touchpoint`) and to the elements (`v-touchpoint`
 * sets it as their `touchpoint` property), composables, and the compiler
 * option that keeps <tp-*> tags custom elements. It imports no element:
 * import `touchpoint/components/…` for the ones you use.
 *
 *   createApp(App).use(touchpointPlugin, createTouchpoint({ siteKey: '…' })).mount('#app');
 *   // vite.config: vue({ template: { compilerOptions: { isCustomElement: isTouchpointElement } } })
 *   <tp-chat-launcher v-touchpoint site-key="…" @tp-chat-unread-change="…" />
 */
import { getCurrentScope, inject, onScopeDispose, type InjectionKey, type ObjectDirective, type Plugin } from 'vue';
import type { Touchpoint, TouchpointEvents } from 'touchpoint';
import { SDK_PROPERTY, type TakesTouchpoint } from './sdk-property.js';
// Template types for the <tp-*> tags (GlobalComponents), from custom-elements.json.
import './vue-elements.js';

export const touchpointKey: InjectionKey<Touchpoint> = Symbol('touchpoint');

/** For Vue's template compiler (`compilerOptions.isCustomElement`): Touchpoint's tags are custom elements, not components. */
export const isTouchpointElement = (tag: string): boolean => tag.startsWith('tp-');

/** `app.use(touchpointPlugin, tp)`. */
export const touchpointPlugin: Plugin<[Touchpoint]> = {
  install(app, tp) {
    app.provide(touchpointKey, tp);
    app.config.globalProperties.$touchpoint = tp;
    const give: ObjectDirective<HTMLElement & TakesTouchpoint> = {
      created: (el) => {
        el[SDK_PROPERTY] = tp;
      },
    };
    app.directive('touchpoint', give);
  },
};

/** The SDK instance the plugin provided. Outside an app that installed it, a mistake in the app, said at once. */
export function useTouchpoint(): Touchpoint {
  const tp = inject(touchpointKey, undefined);
  if (!tp) throw new Error('useTouchpoint(): install the plugin first: app.use(touchpointPlugin, createTouchpoint({ … })).');
  return tp;
}

/** Listens to an SDK event for the life of the component (or effect scope) that calls it. */
export function useTouchpointEvent<K extends keyof TouchpointEvents>(name: K, handler: (...args: TouchpointEvents[K]) => void): void {
  const off = useTouchpoint().on(name, handler);
  if (getCurrentScope()) onScopeDispose(off);
}

declare module 'vue' {
  interface ComponentCustomProperties {
    $touchpoint: Touchpoint;
  }
  interface GlobalDirectives {
    vTouchpoint: ObjectDirective<HTMLElement & TakesTouchpoint>;
  }
}
