/**
 * The contract of one HTTP route: method, path (OpenAPI style, `{id}`), strict zod schemas for its
 * path parameters, query and JSON body, and the handler that gets them parsed. The router
 * registers routes from these and the OpenAPI document is built from the same objects, so the
 * spec cannot drift from what the server checks.
 */
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Bridge } from '../bridge.js';
import type { ServerMetrics } from '../metrics/index.js';
import type { Notifier } from '../notify/index.js';
import type { SyncManager } from '../syncs/index.js';

/** Per-request values the middleware sets. */
export interface ServerEnv {
  /** absent under `app.request()` in tests */
  Bindings: Partial<HttpBindings> | undefined;
  Variables: {
    requestId: string;
    log: Logger;
    /** the matched route's contract path, for metrics and logs */
    route: string;
  };
}

/** What every handler can reach besides its input. */
export interface ServerContext {
  bridge: Bridge;
  metrics: ServerMetrics;
  syncs: SyncManager;
  /** sends the notifications outbox (and `alerts test`) */
  notifier: Notifier;
  /** How browsers and apps reach this server (OAuth redirect URI). */
  publicUrl(): string;
}

export interface HandlerInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  c: Context<ServerEnv>;
  log: Logger;
  server: ServerContext;
}

export type Method = 'GET' | 'POST' | 'DELETE';

export interface RouteDef<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** `/api/v1/connections/{id}` */
  path: string;
  summary: string;
  tag: string;
  /** Needs the admin bearer token. */
  auth: boolean;
  params?: P;
  query?: Q;
  /** JSON body (absent: the body must be empty or `{}`). */
  body?: B;
  /** The handler reads the raw body itself (webhook ingress); no JSON parsing. */
  rawBody?: boolean;
  /**
   * Success answers: status → description, and the body's shape: `body` (a zod schema, the
   * typed console client is generated from it) or a raw JSON Schema.
   */
  responses: Record<number, { description: string; body?: z.ZodType; schema?: Record<string, unknown>; contentType?: string }>;
  handler(input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<Response> | Response;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- a list of routes of different inputs */
export type AnyRoute = RouteDef<any, any, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** An empty strict object: no path parameters, no query, no body fields. */
export const NONE = z.strictObject({});

/**
 * Declares a route with its handler's input typed from its schemas.
 *
 * @example
 * export default defineRoute({ method: 'GET', path: '/healthz', summary: 'Liveness', tag: 'ops', auth: false,
 *   responses: { 200: { description: 'alive' } }, handler: ({ c }) => c.json({ ok: true }) });
 */
export function defineRoute<P extends z.ZodType = typeof NONE, Q extends z.ZodType = typeof NONE, B extends z.ZodType = typeof NONE>(def: RouteDef<P, Q, B>): RouteDef<P, Q, B> {
  return def;
}

/** `{id}` → `:id` for Hono. */
export function honoPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}
