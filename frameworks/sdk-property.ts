import type { Touchpoint } from 'touchpoint';

/**
 * The element property the framework bindings hand the SDK instance to
 * (`<tp-chat-launcher>.sdk = tp`, the property every element declares), so an element needs no global to
 * find it (issue #26: elements take an SDK instance by property).
 */
export const SDK_PROPERTY = 'sdk';
export interface TakesTouchpoint {
  [SDK_PROPERTY]?: Touchpoint;
}
