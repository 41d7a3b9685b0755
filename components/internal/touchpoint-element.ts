import { LitElement } from 'lit';

/** Package version, compared when two copies of Touchpoint define the same tag. */
const VERSION = '0.1.0';

/**
 * Base class of every Touchpoint element: a typed `emit()` whose events
 * bubble and cross shadow roots, and an idempotent `define()` that tolerates
 * a page embedding two copies of Touchpoint.
 */
export class TouchpointElement extends LitElement {
  static readonly version = VERSION;

  /** Registers the class under `tag` unless the tag is taken; warns on a version clash in development. */
  static define(tag: string): void {
    const existing = customElements.get(tag) as (typeof TouchpointElement & CustomElementConstructor) | undefined;
    if (!existing) customElements.define(tag, this as unknown as CustomElementConstructor);
    else if (DEV_MODE && existing.version !== VERSION) {
      // eslint-disable-next-line no-console -- development builds only
      console.warn(`[touchpoint] <${tag}> is already defined by version ${existing.version}; this copy (${VERSION}) is ignored.`);
    }
  }

  /** Dispatches a `tp-` event that bubbles and is composed (crosses shadow DOM). */
  emit<K extends keyof GlobalEventHandlersEventMap>(
    name: K,
    detail?: GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never,
    options: { cancelable?: boolean } = {},
  ): boolean {
    return this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, cancelable: options.cancelable ?? false, detail }));
  }
}
