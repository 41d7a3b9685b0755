/** What a canned reply's placeholders may name (Chatwoot's set, the ones we know). */
export interface PlaceholderContext {
  customer: { name?: string | null; email?: string | null; id?: string | null };
  agent: { name?: string | null; email?: string | null };
  conversation: { id?: string | null };
}

/**
 * `{{customer.name}}`, `{{agent.name}}`… filled from what the inbox knows;
 * an unknown placeholder or a missing value becomes "" (Chatwoot does the
 * same), so a customer never reads braces. Filled in the browser: the agent
 * sees the words before sending them.
 */
export const fillPlaceholders = (template: string, ctx: PlaceholderContext): string =>
  template.replace(/\{\{\s*([a-z]+)\.([a-z_]+)\s*\}\}/gi, (_m, scope: string, key: string) => {
    const group = (ctx as unknown as Record<string, Record<string, unknown> | undefined>)[scope.toLowerCase()];
    const first = key.toLowerCase() === 'first_name' ? String(group?.name ?? '').trim().split(/\s+/)[0] : undefined;
    const v = first ?? (group && Object.prototype.hasOwnProperty.call(group, key.toLowerCase()) ? group[key.toLowerCase()] : undefined);
    return typeof v === 'string' ? v : '';
  });

/** The `/shortcut` the agent is typing: a slash at the start of the composer, then letters, digits, - or _. */
export const shortcutQuery = (text: string): string | undefined => /^\/([\p{L}\p{N}_-]*)$/u.exec(text)?.[1]?.toLowerCase();
