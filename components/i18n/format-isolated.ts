import { html, type TemplateResult } from 'lit';

/**
 * Fills `{name}` placeholders, each value in a `<bdi>`: a name, an address or a brand is someone else's
 * text, whose direction must neither take over the sentence nor be taken over by it.
 */
export const formatIsolated = (text: string, vars: Record<string, string | number>): (string | TemplateResult)[] =>
  text.split(/\{(\w+)\}/).map((part, i) => (i % 2 ? (part in vars ? html`<bdi>${vars[part]}</bdi>` : `{${part}}`) : part));
