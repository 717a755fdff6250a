import type { Hono } from 'hono';
import type { z } from 'zod';
import { parseJsonBody, readLimitedBody } from '../http/body.js';
import { ApiError, fromZod } from '../http/errors.js';
import { authorize } from './auth.js';
import { honoPath, NONE, type AnyRoute, type ServerContext, type ServerEnv } from './contract.js';

function parse<S extends z.ZodType>(schema: S, value: unknown, part: 'body' | 'query' | 'path'): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error, part);
  return r.data;
}

/**
 * Registers each route: admin token or console session first (a 401 comes before any reading), then the path
 * parameters, the query and the JSON body (read with the body limit) through their strict
 * schemas, then the handler.
 *
 * @example
 * registerRoutes(app, ROUTES, server);
 */
export function registerRoutes(app: Hono<ServerEnv>, routes: readonly AnyRoute[], server: ServerContext): void {
  for (const route of routes) {
    app.on(route.method, honoPath(route.path), async (c) => {
      c.set('route', route.path);
      if (route.auth) await authorize(c, server);
      const params = parse(route.params ?? NONE, c.req.param(), 'path');
      const query = parse(route.query ?? NONE, c.req.query(), 'query');
      let body: unknown;
      if (!route.rawBody && route.method !== 'GET') {
        const raw = await readLimitedBody(c, server.bridge.config.server.bodyLimit);
        const json = parseJsonBody(raw);
        // a body-less route accepts nothing or `{}`
        body = parse(route.body ?? NONE.optional(), json, 'body');
      }
      return route.handler({ params, query, body, c, log: c.get('log'), server });
    });
  }
  // an unknown admin path still needs the token: nothing about the API is told to strangers
  app.all('/api/v1/*', async (c) => {
    c.set('route', '/api/v1/*');
    await authorize(c, server);
    throw new ApiError(404, 'not-found', `no route ${c.req.method} ${new URL(c.req.url).pathname}`);
  });
}
