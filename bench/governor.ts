import { setMaxListeners } from 'node:events';
import { createCall } from '../src/ghl/core/call.js';
import { fetchTransport } from '../src/ghl/core/transport.js';
import { compose, type Layer } from '../src/ghl/core/types.js';
import { governor, MemoryRateBudgetStore } from '../src/ghl/governor/index.js';
import { headers } from '../src/ghl/layers/headers.js';
import { retry } from '../src/ghl/layers/retry.js';
import { CLI, startChild } from './processes.js';

/**
 * Component benchmark (the GHL client's governor in this process, not the bridge; the bridge's
 * own figures under the real limit are in rate-limits.ts). The rate governor against the sandbox's burst limit (100 requests per 2 s, a sliding window per
 * PIT per location), the sandbox in its own process: more callers than the budget allows hammer
 * GET /contacts/ through retry → governor → fetch, for 1 location and for 10 in parallel.
 *
 * utilization = requests answered 2xx / (max × span / interval), over a span of WINDOWS intervals
 * after a warm-up. The span starts and ends at a send (the first after the warm-up, the first at
 * least WINDOWS intervals later), so it covers whole cycles whatever the phase of the bursts.
 * Targets: utilization >= 0.97 with zero 429s for each scenario; no location below 0.90.
 */
export interface GovernorScenario {
  name: string;
  locations: number;
  /** requests answered 2xx inside the measured spans */
  requests: number;
  utilization: number;
  minShare: number;
  /** 429s the client received over the whole run, warm-up included */
  client429s: number;
  /** 429s the sandbox logged over the whole run */
  server429s: number;
  /** errors other than the stop signal */
  failures: number;
}

export interface GovernorBenchResult {
  rows: GovernorScenario[];
  pass: boolean;
  lines: string[];
}

const MAX = 100;
const INTERVAL_MS = 2000;
const WINDOWS = 3;
const WARMUP_MS = 2500;
/** callers per location: more than a window's budget, so a freed slot always has a taker */
const CALLERS = 120;

interface SandboxProcess {
  info: { url: string; companyId: string };
  stop: () => Promise<unknown>;
}

async function startSandbox(): Promise<SandboxProcess> {
  const child = await startChild('sandbox', [CLI, 'sandbox', '--port', '0', '--json', '--rate-limit', `${MAX}/${INTERVAL_MS}`]);
  return { info: JSON.parse(child.line) as SandboxProcess['info'], stop: () => child.stop() };
}

async function admin<T>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Fresh locations, each with its own PIT (its own rate-limit bucket). */
async function seedLocations(sb: SandboxProcess, prefix: string, n: number): Promise<Record<string, string>> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  await admin(sb.info.url, 'POST', '/_sandbox/seed', {
    locations: ids.map((id) => ({ id, companyId: sb.info.companyId, name: `Bench ${id}` })),
    pits: ids.map((id) => ({ token: `pit-${id}`, locationId: id, scopes: ['contacts.readonly', 'contacts.write'] })),
  });
  return Object.fromEntries(ids.map((id) => [id, `pit-${id}`]));
}

/** Utilization of one location from its send times (ms, ascending) of 2xx answers. */
function share(sends: number[], from: number): { count: number; allowed: number } {
  const a = sends.findIndex((t) => t >= from);
  const b = a < 0 ? -1 : sends.findIndex((t) => t >= sends[a]! + WINDOWS * INTERVAL_MS);
  if (b < 0) return { count: 0, allowed: MAX * WINDOWS };
  return { count: b - a, allowed: (MAX * (sends[b]! - sends[a]!)) / INTERVAL_MS };
}

async function scenario(sb: SandboxProcess, name: string, pits: Record<string, string>): Promise<GovernorScenario> {
  await admin(sb.info.url, 'DELETE', '/_sandbox/requests');
  const sent: Array<{ key: string; at: number; status: number | null }> = [];
  const recorder: Layer = (next) => async (request) => {
    const entry = { key: request.resourceId ?? '', at: performance.now(), status: null as number | null };
    sent.push(entry);
    const response = await next(request);
    entry.status = response.status;
    return response;
  };
  const bearer: Layer = (next) => (request) => next({ ...request, headers: { ...request.headers, authorization: `Bearer ${pits[request.resourceId ?? '']}` } });
  const send = compose([retry(), governor({ store: new MemoryRateBudgetStore() }), headers(), bearer, recorder], fetchTransport({ baseUrl: sb.info.url }));
  const call = createCall(send);

  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every caller listens to it
  let failures = 0;
  const caller = async (locationId: string) => {
    while (!stop.signal.aborted) {
      try {
        await call({ method: 'GET', path: '/contacts/', query: { locationId, limit: 1 }, idempotent: true, resourceId: locationId, signal: stop.signal });
      } catch {
        if (!stop.signal.aborted) failures++;
      }
    }
  };
  const started = performance.now();
  const callers = Object.keys(pits).flatMap((id) => Array.from({ length: CALLERS }, () => caller(id)));
  await new Promise((r) => setTimeout(r, WARMUP_MS + (WINDOWS + 1.5) * INTERVAL_MS));
  stop.abort();
  await Promise.all(callers);

  const shares = Object.keys(pits).map((id) => share(sent.filter((s) => s.key === id && s.status !== null && s.status < 300).map((s) => s.at), started + WARMUP_MS));
  const stats = await admin<{ byRoute: Record<string, Record<string, number>> }>(sb.info.url, 'GET', '/_sandbox/requests/stats');
  const server429s = Object.entries(stats.byRoute).reduce((n, [route, byStatus]) => n + (route.includes('/_sandbox') ? 0 : byStatus['429'] ?? 0), 0);
  return {
    name,
    locations: shares.length,
    requests: shares.reduce((n, s) => n + s.count, 0),
    utilization: shares.reduce((n, s) => n + s.count, 0) / shares.reduce((n, s) => n + s.allowed, 0),
    minShare: Math.min(...shares.map((s) => s.count / s.allowed)),
    client429s: sent.filter((s) => s.status === 429).length,
    server429s,
    failures,
  };
}

export async function benchGovernor(): Promise<GovernorBenchResult> {
  const sb = await startSandbox();
  try {
    const rows = [
      await scenario(sb, '1 location', await seedLocations(sb, 'solo', 1)),
      await scenario(sb, '10 locations in parallel', await seedLocations(sb, 'many', 10)),
    ];
    const lines: string[] = [];
    let pass = true;
    const check = (ok: boolean, text: string) => {
      lines.push(`${ok ? 'PASS' : 'FAIL'}: ${text}`);
      pass &&= ok;
    };
    for (const r of rows) {
      check(r.utilization >= 0.97, `governor, ${r.name}: utilization >= 0.97 of the allowed rate (got ${r.utilization.toFixed(3)})`);
      check(r.client429s === 0 && r.server429s === 0 && r.failures === 0, `governor, ${r.name}: 0 429s and 0 failures (got ${r.client429s} 429s, sandbox logged ${r.server429s}, ${r.failures} failures)`);
    }
    const many = rows[1]!;
    check(many.minShare >= 0.9, `governor, ${many.name}: every location gets >= 0.90 of its budget (lowest ${many.minShare.toFixed(3)})`);
    return { rows, pass, lines };
  } finally {
    await sb.stop();
  }
}
