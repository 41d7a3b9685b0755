// touchpoint/vue brings the <tp-*> template types (from custom-elements.json) and this.$touchpoint.
import type {} from 'touchpoint/vue';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
