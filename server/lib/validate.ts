import { Compile } from 'typebox/compile';
import Format from 'typebox/format';
import type { TSchema, Static } from 'typebox';
import { LIMITS, PROTOCOL_VERSION } from '../../src/protocol/constants.js';
import { parseDateTime } from '../../src/protocol/date-time.js';
import { ApiError } from './api-error.js';

// One meaning of `date-time` for every schema: RFC 3339 within years 0001–9999
// (TypeBox's own also takes RFC 9557 suffixes, which Date.parse cannot read).
Format.Set('date-time', (s) => parseDateTime(s) !== undefined);

const cache = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/** JSON Pointer (RFC 6901) of one key or index below `base`. */
export const pointer = (base: string, key: string | number): string => `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Why a string cannot be stored as text: PostgreSQL text holds no NUL, and UTF-8 has no unpaired surrogates. */
const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const textFault = (s: string): string | undefined =>
  s.includes('\u0000') ? 'a NUL character (U+0000) is not allowed' : UNPAIRED.test(s) ? 'an unpaired surrogate (not valid Unicode) is not allowed' : undefined;

/**
 * The input discipline every request body and URL value passes before any
 * schema: strings (values and keys) free of NUL and unpaired surrogates,
 * numbers finite, nesting at most `LIMITS.jsonDepth`. Refused with
 * `invalid_body` at the offending value's path, so one bad item is named and
 * the client drops it alone. Recursion is bounded by the depth limit itself.
 */
export function checkJson(value: unknown, path = '', depth = 1): void {
  if (typeof value === 'string') {
    const fault = textFault(value);
    if (fault) throw new ApiError('invalid_body', `${path || '/'}: ${fault}`, path);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ApiError('invalid_body', `${path || '/'}: the number is out of range`, path);
  } else if (value !== null && typeof value === 'object') {
    if (depth > LIMITS.jsonDepth) throw new ApiError('invalid_body', `${path}: nested deeper than ${LIMITS.jsonDepth} levels`, path);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) checkJson(value[i], pointer(path, i), depth + 1);
    } else {
      for (const k of Object.keys(value)) {
        const p = pointer(path, k);
        const fault = textFault(k);
        if (fault) throw new ApiError('invalid_body', `${p}: the key has ${fault.replace(/ is not allowed$/, '')}`, p);
        checkJson((value as Record<string, unknown>)[k], p, depth + 1);
      }
    }
  }
}

/**
 * Checks `value` against a protocol schema; on failure throws `invalid_body`
 * naming the first offending value as a JSON Pointer below `base` (`?` for a
 * query, `{}` for path parameters: `?name`, `{name}`). A missing field is named
 * itself (`/batch/0/messageId`). A body whose `protocol` is not ours is
 * `unsupported_protocol`, before anything else about it.
 */
export function validate<S extends TSchema>(schema: S, value: unknown, base = ''): Static<S> {
  let check = cache.get(schema);
  if (!check) cache.set(schema, (check = Compile(schema)));
  const props = (schema as { properties?: Record<string, unknown> }).properties;
  if (base === '' && props && Object.hasOwn(props, 'protocol') && value && typeof value === 'object' && Object.hasOwn(value, 'protocol') && (value as { protocol: unknown }).protocol !== PROTOCOL_VERSION) {
    throw new ApiError('unsupported_protocol', `This backend speaks protocol ${PROTOCOL_VERSION}.`, '/protocol');
  }
  if (check.Check(value)) return value as Static<S>;
  const errors = [...check.Errors(value)];
  // Prefer the deepest error: "must be string at /batch/0/event" says more than "does not match".
  const first = errors.sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  let path = base + (first?.instancePath ?? '');
  let message = first?.message ?? 'does not match the schema';
  if (first?.keyword === 'boolean') {
    // TypeBox reports a forbidden extra key as `additionalProperties: false` failing at the key itself.
    message = `unknown field "${path.split('/').pop()}"`;
  } else if (first?.keyword === 'additionalProperties') {
    const extra = (first.params as { additionalProperties?: string[] }).additionalProperties;
    message = `unknown field${extra && extra.length > 1 ? 's' : ''} ${extra?.map((k) => `"${k}"`).join(', ') ?? ''}`.trim();
  } else if (first?.keyword === 'required') {
    const missing = (first.params as { requiredProperties?: string[] }).requiredProperties;
    if (missing?.length) {
      message = `missing required field "${missing[0]}"`;
      path = pointer(path, missing[0]!);
    }
  }
  // URL values are named `?name` / `{name}`, not as a JSON Pointer.
  const shown = base === '?' || base === '{}' ? `${base === '?' ? '?' : ''}${base === '{}' ? `{${path.slice(3)}}` : path.slice(2)}` : path || '/';
  throw new ApiError('invalid_body', `${shown}: ${message}`, base === '?' || base === '{}' ? shown : path);
}

/**
 * The text discipline for URL values, before routing goes further: every path
 * parameter and query value free of NUL and unpaired surrogates, named
 * `{name}` / `?name` in the error. Limits per value are each route's schema.
 */
export function checkUrlText(params: unknown, query: unknown): void {
  for (const [where, values] of [['{}', params], ['?', query]] as const) {
    if (!values || typeof values !== 'object') continue;
    for (const [k, v] of Object.entries(values)) {
      const name = where === '?' ? `?${k}` : `{${k}}`;
      for (const one of Array.isArray(v) ? v : [v]) {
        const fault = typeof one === 'string' ? textFault(one) : undefined;
        if (fault) throw new ApiError('invalid_body', `${name}: ${fault}`, name);
      }
      const keyFault = textFault(k);
      if (keyFault) throw new ApiError('invalid_body', `the query has ${keyFault.replace(/ is not allowed$/, '')} in a name`, '?');
    }
  }
}

/** Path parameters against their schema: `{name}` in the error. */
export const validateParams = <S extends TSchema>(schema: S, params: unknown): Static<S> => validate(schema, params, '{}');
/** The query against its schema: `?name` in the error. */
export const validateQuery = <S extends TSchema>(schema: S, query: unknown): Static<S> => validate(schema, query, '?');
