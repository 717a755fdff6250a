/**
 * The HTTP server (Hono on @hono/node-server): the admin API under `/api/v1` (bearer admin
 * token, OpenAPI at `/api/v1/openapi.json`), webhook ingress `POST /hooks/{connectionId}`, GHL
 * OAuth connect (`/connect/ghl`, `/oauth/callback`), `/healthz`, `/readyz`, `/metrics`, and the
 * operator console at `/` (its built files; sign-in by session cookie, see `./console`).
 * A request id (`x-request-id` when sane) is on every log line and echoed in the answer.
 *
 * @example
 * const bridge = await openBridge(config, { logger });
 * const server = await startServer(bridge, { host: '127.0.0.1', port: 8787 });
 * console.log(`${server.url}/readyz`);
 * await server.close();
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Bridge } from './bridge.js';
import { consoleStatic } from './console/static.js';
import { ApiError, errorBody, sendError } from './http/errors.js';
import { drainUnreadBodies, UNREAD_BODY_BOUNDS, type UnreadBodyBounds } from './http/unread-body.js';
import type { ServerMetrics } from './metrics/index.js';
import { API_ROUTES, openApiDocument, openApiRoute, registerRoutes, WEB_ROUTES, type AnyRoute, type ServerContext, type ServerEnv } from './routes/index.js';
import { createNotifier } from './notify/index.js';
import { createSyncManager } from './syncs/index.js';

export { createMetrics, type ServerMetrics } from './metrics/index.js';
export { API_ROUTES, WEB_ROUTES } from './routes/index.js';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** How long `close()` waits for requests in flight before closing their connections. */
export const SHUTDOWN_GRACE_MS = 5000;

export interface AppOptions {
  /** The registry `/metrics` renders (default the bridge's, which its engine and GHL clients count into). */
  metrics?: ServerMetrics;
  /** How browsers reach this server (default `config.server.publicUrl`). */
  publicUrl?: () => string;
  /** The console's built files served at `/` (default `<repo>/dist/web`). */
  consoleDir?: string;
}

/**
 * The Hono app with every route; `startServer` listens with it. Tests may call `app.request()`.
 *
 * @example
 * const { app, close } = createApp(bridge);
 * const res = await app.request('/healthz');
 */
export function createApp(bridge: Bridge, options: AppOptions = {}) {
  const metrics = options.metrics ?? bridge.metrics;
  const syncs = createSyncManager(bridge, bridge.logger);
  const publicUrl = options.publicUrl ?? (() => bridge.config.server.publicUrl);
  // the outbox's sender: its loop runs once the server listens (`startServer`); `alerts test` uses it directly
  const notifier = createNotifier({ db: bridge.db, alerts: bridge.config.alerts, publicUrl, log: bridge.logger.child({ component: 'notifier' }), onEnded: (channel, status) => metrics.notificationEnded(channel, status) });
  const server: ServerContext = { bridge, metrics, syncs, notifier, publicUrl };
  const app = new Hono<ServerEnv>();

  app.use('*', async (c, next) => {
    const started = performance.now();
    const given = c.req.header('x-request-id');
    const requestId = given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    // the path only: a query may carry an OAuth code
    const log = bridge.logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    c.set('route', 'unmatched');
    await next();
    c.header('x-request-id', requestId);
    const seconds = (performance.now() - started) / 1000;
    const route = c.get('route');
    metrics.http.observe({ route, method: c.req.method, status: String(c.res.status) }, seconds);
    log.info({ method: c.req.method, path: new URL(c.req.url).pathname, route, status: c.res.status, ms: Math.round(seconds * 10000) / 10 }, 'request');
  });

  app.onError((e, c) => {
    if (e instanceof ApiError) return sendError(c, e);
    if (e instanceof HTTPException) return c.json(errorBody('http-error', e.message || 'request refused'), e.status);
    // the reason stays in the log; the answer tells nothing of the internals
    (c.get('log') ?? bridge.logger).error({ err: { name: (e as Error).name, message: (e as Error).message } }, 'request failed');
    return c.json(errorBody('internal', 'something went wrong on our side; the request id is in the x-request-id header'), 500);
  });
  app.notFound((c) => c.json(errorBody('not-found', `no route ${c.req.method} ${new URL(c.req.url).pathname}`), 404));

  let document: Record<string, unknown> | undefined;
  const spec = openApiRoute(() => (document ??= openApiDocument(routes, { version: '0.1.0' })));
  const routes: readonly AnyRoute[] = [spec, ...API_ROUTES, ...WEB_ROUTES];
  registerRoutes(app, routes, server);
  // the console last: any GET no route took (the API, ingress and OAuth paths keep their JSON 404)
  app.get('*', consoleStatic({ dir: options.consoleDir }).handler);

  return {
    app,
    metrics,
    routes,
    notifier,
    /** Stops the notifier (its sends in flight settled) and running full syncs (resumable later). */
    close: async () => {
      await notifier.stop();
      await syncs.close();
    },
  };
}

export interface StartServerOptions {
  host?: string;
  port?: number;
  metrics?: ServerMetrics;
  /** How much of a body left unread by its answer (a 413) is discarded before closing (default 64 MiB, 5 s). */
  unreadBody?: UnreadBodyBounds;
  /** The console's built files served at `/` (default `<repo>/dist/web`). */
  consoleDir?: string;
}

/**
 * Listens on `host:port` (defaults from the config; port 0 picks a free one, and the public URL
 * then follows the real port unless `server.publicUrl` was set to something else).
 *
 * @example
 * const { url, close } = await startServer(bridge, { host: '127.0.0.1', port: 0 });
 */
export async function startServer(bridge: Bridge, options: StartServerOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const host = options.host ?? bridge.config.server.host;
  const port = options.port ?? bridge.config.server.port;
  let url = '';
  const configured = bridge.config.server.publicUrl;
  const derived = /:0$/.test(configured) || configured === `http://${bridge.config.server.host}:${bridge.config.server.port}`;
  const built = createApp(bridge, { metrics: options.metrics, publicUrl: () => (derived ? url : configured), consoleDir: options.consoleDir });
  const server: ServerType = await new Promise((resolve, reject) => {
    // unread bodies are drained by drainUnreadBodies: @hono/node-server's own cleanup gives up after 500 ms with a reset
    const s = serve({ fetch: built.app.fetch, port, hostname: host, autoCleanupIncoming: false }, () => resolve(s));
    s.once('error', reject);
  });
  const http = server as import('node:http').Server;
  drainUnreadBodies(http, options.unreadBody ?? UNREAD_BODY_BOUNDS);
  let closing = false;
  // once closing, a keep-alive socket whose answer just went out is idle: close it rather than wait for its timeout
  http.on('request', (_req, res: import('node:http').ServerResponse) => res.once('close', () => closing && setImmediate(() => http.closeIdleConnections())));
  const address = server.address() as AddressInfo;
  url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  // the console links need the real URL: the loop starts now
  built.notifier.wake();
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    closing = true;
    // stop accepting; idle keep-alive sockets go now, requests in flight may finish their answer
    const closed = new Promise<void>((resolve, reject) => http.close((e) => (e ? reject(e) : resolve())));
    http.closeIdleConnections();
    const deadline = new Promise<'late'>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS, 'late').unref());
    if ((await Promise.race([closed, deadline])) === 'late') {
      bridge.logger.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'requests still in flight at shutdown: closing their connections');
      http.closeAllConnections();
      await closed;
    }
    // then the notifier and the full syncs: stopped, and awaited so their rows are saved before the database closes
    await built.close();
  };
  return {
    url,
    /** Stops accepting, lets requests in flight finish (up to SHUTDOWN_GRACE_MS), then stops the notifier and the full syncs. */
    close: () => (stopped ??= stop()),
  };
}
