import { clipText } from '../lib/clip-text.js';
import type { Call } from './start-autocapture.js';
import { scrubUrl } from '../lib/scrub-url.js';

/** Every URL in a message or stack (script URLs carry tokens too), through the one URL scrubber. */
const scrubUrls = (text?: string) => text?.replace(/\bhttps?:\/\/[^\s()]+/g, scrubUrl);

/** Errors per page load after which the rest are only counted: a loop must not flood the outbox. */
const MAX_ERRORS = 20;

/** Uncaught errors and unhandled promise rejections. */
export const trackErrors = (call: Call): void => {
  let count = 0;
  const report = (props: Record<string, unknown>) => {
    if (++count <= MAX_ERRORS) call('track', ['Error Occurred', { ...props, message: scrubUrls(props.message as string), source: scrubUrls(props.source as string), stack: scrubUrls(props.stack as string) }]);
    dispatchEvent(new CustomEvent('tp-error-captured'));
  };
  addEventListener('error', (e) => {
    // Resource load errors don't bubble to window's `error` with a message; skip them.
    if (!e.message) return;
    const stack = (e.error as Error | undefined)?.stack;
    report({ message: clipText(String(e.message), 500), source: e.filename, line: e.lineno, column: e.colno, stack: stack && clipText(stack, 2000), kind: 'error' });
  });
  addEventListener('unhandledrejection', (e) => {
    const r = e.reason as Error | undefined;
    report({ message: clipText(String(r?.message ?? r), 500), stack: r?.stack && clipText(r.stack, 2000), kind: 'unhandledrejection' });
  });
};
