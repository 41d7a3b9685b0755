import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify';
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
 * (docs/protocol.md §6), and `unsupported_protocol` for a body's `protocol`.
 * Headers are not validated by schema.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const base = BASE[httpPart ?? ''];
  if (base === undefined) return () => true;
  return (data: unknown) => {
    try {
      return { value: validate(schema, data, base) };
    } catch (err) {
      if (err instanceof ApiError) return { error: err };
      throw err;
    }
  };
};

/**
 * Bodies arrive raw (app.ts reads every body as a Buffer: the route decides).
 * A route with a body schema has its body read as JSON first, through the
 * input discipline (UTF-8, no NUL or lone surrogate, finite numbers, bounded
 * depth), inflated when `?encoding=gzip` — at most the route's `bodyLimit`,
 * inflated too (Fastify enforces it on the bytes as they stream in).
 */
const readBody = async (req: FastifyRequest): Promise<void> => {
  if (!req.routeOptions.schema?.body) return;
  req.body = readJsonBody(req.body, (req.query as { encoding?: unknown } | undefined)?.encoding, req.routeOptions.bodyLimit ?? Infinity);
};

/** Routes declare `schema: { params, querystring, body, response }`; this makes the declaration the check. */
export function useRouteSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(validatorCompiler);
  app.addHook('preValidation', readBody);
}
