import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/** The JSON error every route answers: `{ error: { code, message, field? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/**
 * An error a handler throws to answer with a status, a stable code and a message for people
 * (never a secret, never a stack).
 *
 * @example
 * throw new ApiError(404, 'not-found', 'no connection "ghl-main"');
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorBody(code: string, message: string, field?: string): ErrorBody {
  return { error: { code, message, ...(field !== undefined ? { field } : {}) } };
}

/** Answers an `ApiError` as JSON with its headers. */
export function sendError(c: Context, e: ApiError): Response {
  for (const [k, v] of Object.entries(e.headers ?? {})) c.header(k, v);
  return c.json(errorBody(e.code, e.message, e.field), e.status);
}

/**
 * The first zod issue as a 400 naming the field (`config.locationId`; for an unknown key the key
 * itself), with where it sat (`body`, `query`, `path`) in the message.
 *
 * @example
 * throw fromZod(schema.safeParse(body).error!, 'body');
 */
export function fromZod(error: z.ZodError, part: 'body' | 'query' | 'path'): ApiError {
  const issue = error.issues[0]!;
  let path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path = [...path, issue.keys[0]!];
  const field = path.join('.') || part;
  const where = path.length > 0 ? `${part}.${path.join('.')}` : part;
  return new ApiError(400, issue.code === 'unrecognized_keys' ? 'unknown-field' : 'invalid-input', `${where}: ${issue.message}`, field);
}
