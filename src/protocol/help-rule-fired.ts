/**
 * The events the SDK records each time a help rule fires, or would have fired
 * for a visitor in its holdout (docs/sdk.md#help-rules), with `ruleId` and
 * `action`: the funnel splits units on them. A module of its own, without
 * TypeBox: only the help-rules chunk imports it, so the core never carries
 * the strings.
 */
export const HELP_RULE_FIRED = 'Help Rule Fired';
export const HELP_RULE_HELD_OUT = 'Help Rule Held Out';
