import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config/index.js';
import { openBridge, type Bridge } from '../../../src/server/bridge.js';
import type { UnreadBodyBounds } from '../../../src/server/http/unread-body.js';
import { startServer } from '../../../src/server/index.js';
import { createLogger } from '../../../src/server/logger.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

export const ADMIN_TOKEN = 'gbat_test-admin-token-0123456789abcdef';

export interface ServerHarness {
  sb: TestSandbox;
  bridge: Bridge;
  url: string;
  /** every log line written so far (JSON text) */
  logs: string[];
  /** calls the server; `token: null` sends none */
  call(method: string, path: string, o?: { body?: unknown; raw?: string | Buffer; token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; text: string; json: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * The real server over a real bridge: a sandbox for GHL, PGlite in a temp data dir, the recipes of
 * `recipes/` named in `recipes`, OAuth configured with the sandbox's app (its redirect URI pointed
 * at this server), on 127.0.0.1 with a free port; `alerts` is the config's alerts section.
 */
export async function startServerHarness(options: { bodyLimit?: number; recipes?: string[]; oauth?: boolean; unreadBody?: UnreadBodyBounds; metricsToken?: string; alerts?: Record<string, unknown>; consoleDir?: string } = {}): Promise<ServerHarness> {
  const sb = await startSandbox();
  const dataDir = await mkdtemp(join(tmpdir(), 'ghlb-server-'));
  const logs: string[] = [];
  const destination = new Writable({ write(chunk: Buffer, _e, cb) { logs.push(chunk.toString('utf8')); cb(); } });
  const logger = createLogger({ level: 'info', destination });
  const loaded = loadConfig({
    env: { GHL_BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN, ...(options.oauth === false ? {} : { GHL_CLIENT_SECRET: sb.info.clientSecret }), ...(options.metricsToken ? { TEST_METRICS_TOKEN: options.metricsToken } : {}) },
    overrides: {
      dataDir,
      server: { host: '127.0.0.1', port: 0, bodyLimit: options.bodyLimit ?? 4096 },
      ...(options.metricsToken ? { metrics: { tokenEnv: 'TEST_METRICS_TOKEN' } } : {}),
      recipes: { dir: join(import.meta.dirname, '../../../recipes'), only: options.recipes ?? ['app-signup'] },
      ghl: { baseUrl: sb.url, authorizeBaseUrl: sb.url, ...(options.oauth === false ? {} : { oauth: { clientId: sb.info.clientId } }) },
      ...(options.alerts ? { alerts: options.alerts } : {}),
    },
  });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const bridge = await openBridge(loaded.config, { logger });
  const load = await bridge.loadRecipes();
  if (load.problems.length > 0) throw new Error(load.problems.join('; '));
  const server = await startServer(bridge, { host: '127.0.0.1', port: 0, unreadBody: options.unreadBody, consoleDir: options.consoleDir });
  const put = await fetch(`${sb.url}/_sandbox/apps/${sb.info.clientId}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirectUris: [`${server.url}/oauth/callback`] }) });
  if (put.status !== 200) throw new Error(`sandbox app update: ${put.status}`);
  return {
    sb,
    bridge,
    url: server.url,
    logs,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      const token = o.token === undefined ? ADMIN_TOKEN : o.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | Buffer | undefined;
      if (o.raw !== undefined) body = o.raw;
      else if (o.body !== undefined) body = JSON.stringify(o.body);
      if (body !== undefined) headers['content-type'] ??= 'application/json';
      const res = await fetch(`${server.url}${path}`, { method, headers, body, redirect: 'manual' });
      const text = await res.text();
      let json: Record<string, unknown> = {};
      try {
        json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        // HTML or Prometheus text
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async close() {
      await server.close();
      await bridge.close();
      await sb.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
