import { Compile } from 'typebox/compile';
import Format from 'typebox/format';
import type { TSchema, Static } from 'typebox';
import { LIMITS, PROTOCOL_VERSION, parseDateTime } from 'touchpoint/protocol';
import { ApiError } from './api-error.js';

// One meaning of `date-time` for every schema: RFC 3339 within years 0001–9999
// (TypeBox's own also takes RFC 9557 suffixes, which Date.parse cannot read).
Format.Set('date-time', (s) => parseDateTime(s) !== undefined);

const cache = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/** JSON Pointer (RFC 6901) of one key or index below `base`. */
export const pointer = (base: string, key: string | number): string => `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Why a string cannot be stored as text: PostgreSQL text holds no NUL, and UTF-8 has no unpaired surrogates. */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const SUSPECT = /[\u0000\ud800-\udfff]/;
const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const textFault = (s: string): string | undefined =>
  // One cheap test first: almost every string has neither a NUL nor a surrogate.
  !SUSPECT.test(s) ? undefined : s.includes('\u0000') ? 'a NUL character (U+0000) is not allowed' : UNPAIRED.test(s) ? 'an unpaired surrogate (not valid Unicode) is not allowed' : undefined;

const pathOf = (keys: (string | number)[]) => keys.reduce<string>((p, k) => pointer(p, k), '');

/**
 * The input discipline every request body and URL value passes before any
 * schema: strings (values and keys) free of NUL and unpaired surrogates,
 * numbers finite, nesting at most `LIMITS.jsonDepth`. Refused with
 * `invalid_body` at the offending value's path, so one bad item is named and
 * the client drops it alone. Recursion is bounded by the depth limit itself;
 * the path is only built for an error (keys are kept on a stack meanwhile).
 */
export function checkJson(value: unknown): void {
  const keys: (string | number)[] = [];
  const fail = (why: string) => {
    const path = pathOf(keys);
    throw new ApiError('invalid_body', `${path || '/'}: ${why}`, path);
  };
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === 'string') {
      const fault = textFault(v);
      if (fault) fail(fault);
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail('the number is out of range');
    } else if (v !== null && typeof v === 'object') {
      if (depth > LIMITS.jsonDepth) fail(`nested deeper than ${LIMITS.jsonDepth} levels`);
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          keys.push(i);
          walk(v[i], depth + 1);
          keys.pop();
        }
      } else {
        for (const k of Object.keys(v)) {
          keys.push(k);
          const fault = textFault(k);
          if (fault) fail(`the key has ${fault.replace(/ is not allowed$/, '')}`);
          walk((v as Record<string, unknown>)[k], depth + 1);
          keys.pop();
        }
      }
    }
  };
  walk(value, 1);
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
