import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { handleAdmin, type AdminEnv } from './admin.js';
import { handleApi, matchRoute } from './api.js';
import { AUTHORIZE_PATHS, renderAuthorizePage, submitAuthorizeChoice } from './authorize-page.js';
import type { SandboxCore } from './core.js';
import { ApiError, reason } from './errors.js';
import { parseBody, readBody, sendJson } from './http-io.js';
import { newUuid } from './ids.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The HTTP front: body limit, routing, fault injection, logging. Never lets input crash it. */
export function createHttpServer(core: SandboxCore, env: AdminEnv): Server {
  const server = createServer((req, res) => {
    handle(core, env, req, res).catch((error: unknown) => {
      process.stderr.write(`sandbox: internal error on ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}\n`);
      if (!res.headersSent) sendJson(res, 500, { statusCode: 500, message: 'Internal Server Error', error: 'Internal Server Error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 10_000;
  // Requests Node's parser refuses (raw non-ASCII bytes in the path, bad header syntax) get the
  // same JSON error shape as every other answer instead of Node's empty 400.
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const text = status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
    const payload = JSON.stringify({ statusCode: status, message: text, error: text });
    // an answer to HEAD carries no body
    const head = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(payload)}\r\nconnection: close\r\n\r\n${head ? '' : payload}`);
  });
  return server;
}

async function handle(core: SandboxCore, env: AdminEnv, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const method = (req.method ?? 'GET').toUpperCase();
  const host = req.headers.host ?? 'localhost';
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://${host}`);
  } catch {
    url = new URL('http://localhost/');
  }
  const path = url.pathname;
  const traceId = newUuid();
  let status = 500;
  let operationId: string | null = null;
  let locationId: string | null = null;
  let fault: string | null = null;
  const log = () =>
    core.log.record({ at: new Date().toISOString(), method, path, operationId, status, durationMs: Math.round((performance.now() - started) * 100) / 100, locationId, fault });

  try {
    const raw = await readBody(req, core.config.bodyLimitBytes);
    if (path === '/_sandbox' || path.startsWith('/_sandbox/')) {
      const result = handleAdmin(core, { method, path, query: url.searchParams, body: parseBody(raw, req.headers['content-type']) }, env);
      status = result.status;
      sendJson(res, status, result.body);
      return;
    }
    if (AUTHORIZE_PATHS.includes(path.replace(/\/+$/, ''))) {
      status = method === 'POST' ? 302 : 200;
      if (method === 'POST') submitAuthorizeChoice(core, res, new URLSearchParams(raw.toString('utf8')));
      else renderAuthorizePage(core, res, url.searchParams);
      status = res.statusCode;
      return;
    }
    const match = matchRoute(method, path);
    if (match.kind !== 'found') {
      // NestJS answers an unknown route or method with 404 "Cannot METHOD /path".
      status = 404;
      const headers: Record<string, string> = match.kind === 'method-not-allowed' ? { allow: match.allowed.join(', ') } : {};
      sendJson(res, 404, { statusCode: 404, message: `Cannot ${method} ${path}`, error: 'Not Found', traceId }, headers);
      return;
    }
    operationId = match.value.operationId;
    for (const rule of core.faults.fire(method, path, ['latency', 'drop', 'status'])) {
      fault = `${rule.kind}:${rule.status ?? rule.latencyMs ?? ''}`;
      if (rule.kind === 'latency') await sleep(rule.latencyMs ?? 0);
      else if (rule.kind === 'drop') {
        status = 0;
        req.socket.destroy();
        return;
      } else {
        status = rule.status!;
        // An injected 429 carries all five headers like a limiter refusal (no Retry-After: the live API
        // is not known to send one, so clients wait the interval).
        const { max, intervalMs, daily } = core.config.rateLimit;
        const headers: Record<string, string> =
          status === 429
            ? { 'X-RateLimit-Limit-Daily': String(daily), 'X-RateLimit-Daily-Remaining': String(daily), 'X-RateLimit-Interval-Milliseconds': String(intervalMs), 'X-RateLimit-Max': String(max), 'X-RateLimit-Remaining': '0' }
            : {};
        sendJson(res, status, { statusCode: status, message: `Injected fault: ${reason(status)}`, error: reason(status), traceId }, headers);
        return;
      }
    }
    const answer = await handleApi(core, { method, path, query: url.searchParams, headers: req.headers, raw, origin: `http://${host}`, traceId }, match.value, match.params);
    status = answer.status;
    locationId = answer.locationId;
    sendJson(res, status, answer.body, answer.headers);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    status = error.status;
    sendJson(res, status, { ...error.body, traceId }, { ...error.headers, ...(status === 413 ? { connection: 'close' } : {}) });
  } finally {
    log();
  }
}
