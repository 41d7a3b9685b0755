// <tp-*> elements in templates, typed from custom-elements.json.
import type {} from 'touchpoint/vue';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
