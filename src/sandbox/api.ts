import type { IncomingMessage } from 'node:http';
import { ACCEPTED_VERSIONS, routes, type SpecRoute } from '../spec/index.js';
import { authenticate, authorize, rateKey } from './auth.js';
import type { OperationContext } from './context.js';
import type { SandboxCore } from './core.js';
import { ApiError, apiError, unprocessable } from './errors.js';
import { parseBody } from './http-io.js';
import { ID_PATTERN } from './ids.js';
import { operations, tokenEndpoint } from './operations/index.js';
import { Router } from './router.js';
import { validateBody } from './validation.js';

/** The API part of the sandbox: every spec operation, behind the same checks as the live API. */

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  origin: string;
  traceId: string;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  operationId: string | null;
  locationId: string | null;
}

const router = new Router(routes.map((r) => ({ method: r.method, path: r.path, value: r } as const)));

export function matchRoute(method: string, path: string) {
  return router.match(method, path);
}

function checkVersion(route: SpecRoute, headers: IncomingMessage['headers']): void {
  if (!route.params.some((p) => p.in === 'header' && p.name === 'Version')) return;
  const version = headers['version'];
  if (!version) throw apiError(400, `Version header is required (use ${ACCEPTED_VERSIONS[0]})`);
  if (!(ACCEPTED_VERSIONS as readonly string[]).includes(String(version))) {
    throw apiError(400, `Version header ${String(version)} is not supported (use ${ACCEPTED_VERSIONS[0]})`);
  }
}

function checkParams(route: SpecRoute, params: Record<string, string>, query: URLSearchParams): void {
  const problems: string[] = [];
  for (const p of route.params) {
    if (p.in === 'query' && p.required && !query.get(p.name)) problems.push(`${p.name} should not be empty`);
    if (p.in === 'path' && p.name !== 'type' && !ID_PATTERN.test(params[p.name] ?? '')) problems.push(`${p.name} must be a valid id`);
  }
  if (problems.length > 0) throw unprocessable(problems);
}

/** Runs one API request through version, auth, rate limit, validation and the operation. */
export async function handleApi(core: SandboxCore, req: ApiRequest, route: SpecRoute, params: Record<string, string>): Promise<ApiAnswer> {
  let headers: Record<string, string> = {};
  const answer = (status: number, body: unknown, locationId: string | null = null): ApiAnswer => ({ status, body, headers, operationId: route.operationId, locationId });
  try {
    const body = parseBody(req.raw, req.headers['content-type']);
    if (route.operationId === 'get-access-token') {
      validateBody('GetAccessCodebodyDto', body ?? {});
      const result = tokenEndpoint(core, body ?? {});
      return answer(result.status, result.body);
    }
    checkVersion(route, req.headers);
    const token = authenticate(core, req.headers.authorization);
    const decision = core.limiter.take(rateKey(token));
    headers = decision.headers;
    if (!decision.allowed) {
      const message = decision.scope === 'daily' ? 'Daily rate limit exceeded for this resource' : 'Too many requests, please retry after the interval';
      return answer(429, { statusCode: 429, message, error: 'Too Many Requests', traceId: req.traceId }, token.locationId);
    }
    authorize(token, route);
    checkParams(route, params, req.query);
    if (route.requestBody?.schema) validateBody(route.requestBody.schema, body ?? {});
    const handler = operations[route.operationId];
    if (!handler) throw apiError(501, `operation ${route.operationId} is not implemented`);
    const ctx: OperationContext = {
      core,
      route,
      method: req.method,
      path: req.path,
      params,
      query: req.query,
      body: body ?? {},
      token,
      traceId: req.traceId,
      origin: req.origin,
    };
    const result = await handler(ctx);
    return answer(result.status, result.body, token.locationId);
  } catch (error) {
    if (error instanceof ApiError) {
      const body = error.status >= 400 && !('traceId' in error.body) ? { ...error.body, traceId: req.traceId } : error.body;
      headers = { ...headers, ...error.headers };
      return answer(error.status, body);
    }
    throw error;
  }
}
