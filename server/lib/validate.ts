import { Compile } from 'typebox/compile';
import type { TSchema, Static } from 'typebox';
import { ApiError } from './api-error.js';

const cache = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/**
 * Checks `value` against a protocol schema; on failure throws `invalid_body`
 * naming the first offending value as a JSON Pointer below `base`.
 */
export function validate<S extends TSchema>(schema: S, value: unknown, base = ''): Static<S> {
  let check = cache.get(schema);
  if (!check) cache.set(schema, (check = Compile(schema)));
  if (check.Check(value)) return value as Static<S>;
  const errors = [...check.Errors(value)];
  // Prefer the deepest error: "must be string at /batch/0/event" says more than "does not match".
  const first = errors.sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  const path = base + (first?.instancePath ?? '');
  let message = first?.message ?? 'does not match the schema';
  if (first?.keyword === 'boolean') {
    // TypeBox reports a forbidden extra key as `additionalProperties: false` failing at the key itself.
    message = `unknown field "${path.split('/').pop()}"`;
  } else if (first?.keyword === 'additionalProperties') {
    const extra = (first.params as { additionalProperties?: string[] }).additionalProperties;
    message = `unknown field${extra && extra.length > 1 ? 's' : ''} ${extra?.map((k) => `"${k}"`).join(', ') ?? ''}`.trim();
  } else if (first?.keyword === 'required') {
    const missing = (first.params as { requiredProperties?: string[] }).requiredProperties;
    if (missing?.length) message = `missing required field ${missing.map((k) => `"${k}"`).join(', ')}`;
  }
  // Query parameters are named `?name`, not as a JSON Pointer.
  const shown = base === '?' ? `?${path.slice(2)}` : path || '/';
  throw new ApiError('invalid_body', `${shown}: ${message}`, base === '?' ? shown : path);
}
