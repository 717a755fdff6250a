import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { standardWebhookHeaders } from '../src/connectors/webhook/sign.js';
import { openBridge } from '../src/server/bridge.js';
import { startServer } from '../src/server/index.js';
import { createLogger } from '../src/server/logger.js';

/**
 * Webhook ingress latency on loopback: signed Standard Webhooks deliveries (each a new message, so
 * each is verified, stored and given a run in one transaction) into the real server on embedded
 * PGlite, against a bare node:http echo measured the same way in the same run. Target: p99 < 50 ms.
 */
export interface IngressBenchResult {
  rows: Array<{ name: string; requests: number; p50: number; p99: number; non2xx: number }>;
  pass: boolean;
}

const REQUESTS = Number(process.env.BENCH_INGRESS_REQUESTS ?? 1000);
const SECRET = 'whsec_YmVuY2gtaW5ncmVzcy1zaWduaW5nLXNlY3JldC0wMQ==';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** `n` requests, `CONCURRENCY` at a time; latency of each in ms. */
async function measure(n: number, send: (i: number) => Promise<number>, concurrency = 1): Promise<{ times: number[]; non2xx: number }> {
  const times: number[] = [];
  let non2xx = 0;
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++;
      const t = performance.now();
      const status = await send(i);
      times.push(performance.now() - t);
      if (status < 200 || status > 299) non2xx++;
    }
  }));
  return { times: times.sort((a, b) => a - b), non2xx };
}

function row(name: string, r: { times: number[]; non2xx: number }) {
  return { name, requests: r.times.length, p50: Math.round(percentile(r.times, 50) * 100) / 100, p99: Math.round(percentile(r.times, 99) * 100) / 100, non2xx: r.non2xx };
}

export async function benchIngress(): Promise<IngressBenchResult> {
  const echo = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, bytes: Buffer.concat(chunks).length }));
    });
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;

  const dataDir = await mkdtemp(join(tmpdir(), 'ghlb-bench-ingress-'));
  const loaded = loadConfig({ env: { GHL_BRIDGE_ADMIN_TOKEN: 'gbat_bench-admin-token-0123456789abcdef' }, overrides: { dataDir, log: { level: 'silent' }, recipes: { dir: join(dataDir, 'none') } } });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const bridge = await openBridge(loaded.config, { logger: createLogger({ level: 'silent' }) });
  const server = await startServer(bridge, { host: '127.0.0.1', port: 0 });
  try {
    await bridge.connections.create({ id: 'app-bench', app: 'webhook', name: 'bench', secrets: { signingSecret: SECRET } });
    await bridge.engine.saveRecipe({ id: 'bench-users', version: 1, trigger: { source: 'webhook', events: ['user.created'] }, connection: 'ghl-main', recordId: 'data.id', mapping: { contact: { email: 'data.email' } }, actions: [{ type: 'upsertContact' }] });
    const deliver = (base: string, run: string) => async (i: number) => {
      const body = JSON.stringify({ type: 'user.created', data: { id: `u-${run}-${i}`, email: `u${i}@bench.test`, name: 'Bench User' } });
      const headers = { 'content-type': 'application/json', ...standardWebhookHeaders(SECRET, { id: `msg-${run}-${i}`, timestamp: Math.floor(Date.now() / 1000), body }) };
      const res = await fetch(base, { method: 'POST', headers, body });
      await res.arrayBuffer();
      return res.status;
    };
    // warm-up: JIT, the database's caches and connection pools
    await measure(100, deliver(`${server.url}/hooks/app-bench`, 'warm'));
    await measure(100, deliver(echoUrl, 'warm'));
    // one sender at a time (the target), then 8 at once (PGlite serializes writes: latency adds up)
    const baseline = row('bare node:http echo (baseline), 1 sender', await measure(REQUESTS, deliver(echoUrl, 'echo')));
    const ingress = row('POST /hooks/{connectionId} (verify + store + run), 1 sender', await measure(REQUESTS, deliver(`${server.url}/hooks/app-bench`, 'main')));
    const loaded8 = row('POST /hooks/{connectionId}, 8 senders', await measure(REQUESTS, deliver(`${server.url}/hooks/app-bench`, 'load'), 8));
    return { rows: [baseline, ingress, loaded8], pass: ingress.p99 < 50 && ingress.non2xx === 0 && loaded8.non2xx === 0 };
  } finally {
    await server.close();
    await bridge.close();
    await new Promise<void>((r) => echo.close(() => r()));
    await rm(dataDir, { recursive: true, force: true });
  }
}
