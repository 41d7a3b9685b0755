import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { ApiError } from './api-error.js';
import { readJsonBody } from './read-json-body.js';
import { validate } from './validate.js';

/** Where each part of a request is named in an error: `{name}`, `?name`, a JSON Pointer (validate.ts). */
const BASE: Record<string, string> = { params: '{}', querystring: '?', body: '' };

/**
 * Fastify's validator for every route's `schema`: the protocol's own checks
 * instead of Ajv's, so a schema failure is the documented `invalid_body` with
 * the same `{name}` / `?name` / `/pointer` path a hand-called `validate` gave
 * (docs/protocol.md §6). Bodies arrive raw (app.ts reads every body as a
 * Buffer): a body schema first reads it as JSON through the input discipline
 * (UTF-8, no NUL or lone surrogate, bounded depth) — its size is the route's
 * `bodyLimit`, which Fastify enforces while the body streams in. Headers are
 * not validated by schema.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const base = BASE[httpPart ?? ''];
  if (base === undefined) return () => true;
  return (data: unknown) => {
    try {
      const value = base === '' && (Buffer.isBuffer(data) || data === undefined) ? readJsonBody(data, undefined, Infinity) : data;
      return { value: validate(schema, value, base) };
    } catch (err) {
      if (err instanceof ApiError) return { error: err };
      throw err;
    }
  };
};
