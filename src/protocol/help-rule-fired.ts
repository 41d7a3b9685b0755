/**
 * The event the SDK records each time a help rule fires (docs/sdk.md#help-rules),
 * with `ruleId` and `action`: the funnel splits sessions on it. A module of its
 * own, without TypeBox: only the help-rules chunk imports it, so the core never
 * carries the string.
 */
export const HELP_RULE_FIRED = 'Help Rule Fired';
