import type { HelpSettings } from 'touchpoint/protocol';
import { ApiError } from '../lib/api-error.js';

/**
 * What the schema cannot say about a site's help rules (docs/console.md#help-rules),
 * each refusal a documented `invalid_body` naming the field: ids unique (every
 * firing is recorded by id), a condition in every rule (an empty one would fire
 * on every page of the site), a cart range that can hold, and a survey action
 * naming one of the site's surveys.
 */
export function checkHelpSettings(help: HelpSettings, config: Record<string, unknown>): void {
  const surveys = new Set(((config.surveys as { id?: unknown }[] | undefined) ?? []).map((s) => s.id));
  const seen = new Set<string>();
  help.rules.forEach((r, i) => {
    const at = `/rules/${i}`;
    if (seen.has(r.id)) throw new ApiError('invalid_body', `${at}/id: "${r.id}" is used by an earlier rule; ids must be unique.`, `${at}/id`);
    seen.add(r.id);
    const w = r.when;
    if (!Object.values(w).some((v) => v !== undefined)) throw new ApiError('invalid_body', `${at}/when: give at least one condition (a rule without one would fire on every page).`, `${at}/when`);
    if (w.friction && !w.friction.rage && !w.friction.dead && !w.friction.error) throw new ApiError('invalid_body', `${at}/when/friction: give a count of rage, dead or error clicks.`, `${at}/when/friction`);
    if (w.cart && w.cart.min !== undefined && w.cart.max !== undefined && w.cart.min > w.cart.max) throw new ApiError('invalid_body', `${at}/when/cart: min is above max.`, `${at}/when/cart`);
    if (r.action.kind === 'survey' && !surveys.has(r.action.surveyId)) throw new ApiError('invalid_body', `${at}/action/surveyId: the site has no survey "${r.action.surveyId}".`, `${at}/action/surveyId`);
  });
}
