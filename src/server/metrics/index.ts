/**
 * What `/metrics` shows: in-process counters (HTTP latency by route, webhook deliveries, GHL calls
 * seen by an observer) and, read from the database at scrape time so every worker counts, events
 * by source, runs by status, the queue depth, run steps by action and the rate budget per location.
 */
import type { Database } from '../../engine/db/types.js';
import type { Observer } from '../../ghl/layers/observe.js';
import { rateBudgetStates } from '../queries/rate-budget.js';
import { Counter, family, Histogram } from './registry.js';

export { Counter, Histogram, escapeLabel, family } from './registry.js';

/**
 * The server's metrics. `ghlObserver` counts GHL calls by route (operation) and status and the
 * 429s of any client it is given to (the OAuth client here; the engine's clients once the bridge
 * passes it to `ghlTargets`).
 *
 * @example
 * const metrics = createMetrics();
 * createGhlClient({ …, observer: metrics.ghlObserver });
 * res.end(await metrics.render(db));
 */
export function createMetrics() {
  const http = new Histogram('ghlbridge_http_request_duration_seconds', 'HTTP request latency by route, method and status');
  const webhooks = new Counter('ghlbridge_webhook_deliveries_total', 'Webhook deliveries answered, by connection and status');
  const ghlCalls = new Counter('ghlbridge_ghl_calls_total', 'GHL API calls (attempts) by route and status, as seen by the observer');
  const ghl429 = new Counter('ghlbridge_ghl_rate_limited_total', 'GHL answers 429 (rate limited), by route');
  const ghlObserver: Observer = {
    onResponse(e) {
      const route = e.operationId ?? `${e.method} ${e.path.replace(/\/[A-Za-z0-9_-]{16,}(?=\/|$)/g, '/{id}')}`;
      ghlCalls.inc({ route, status: e.status === null ? 'network-error' : String(e.status) });
      if (e.status === 429) ghl429.inc({ route });
    },
  };
  return {
    http,
    webhooks,
    ghlCalls,
    ghl429,
    ghlObserver,
    /** The whole exposition text. */
    async render(db: Database, now = Date.now()): Promise<string> {
      const [events, runs, steps, budgets] = await Promise.all([
        db.query<{ source: string; n: string }>('select source, count(*) as n from events group by source order by source'),
        db.query<{ status: string; n: string }>('select status, count(*) as n from runs where dry_run = false group by status order by status'),
        db.query<{ action: string; status: string; n: string }>('select action, status, count(*) as n from run_steps group by action, status order by action, status'),
        rateBudgetStates(db, now),
      ]);
      const runCounts = new Map(runs.rows.map((r) => [r.status, Number(r.n)]));
      for (const s of ['queued', 'running', 'succeeded', 'skipped', 'dead']) if (!runCounts.has(s)) runCounts.set(s, 0);
      const parts = [
        family('ghlbridge_events_received_total', 'counter', 'Events stored, by source', events.rows.map((r) => ({ labels: { source: r.source }, value: Number(r.n) }))),
        family('ghlbridge_runs', 'gauge', 'Runs by status', [...runCounts].map(([status, value]) => ({ labels: { status }, value }))),
        family('ghlbridge_queue_depth', 'gauge', 'Runs waiting for a worker (status queued)', [{ labels: {}, value: runCounts.get('queued') ?? 0 }]),
        family('ghlbridge_run_steps_total', 'counter', 'Journaled run steps (GHL calls and app actions) by action and status', steps.rows.map((r) => ({ labels: { action: r.action, status: r.status }, value: Number(r.n) }))),
        family('ghlbridge_rate_budget_remaining', 'gauge', 'Requests left in the current window, per location (or company)', budgets.map((b) => ({ labels: { location: b.key }, value: b.remainingInWindow }))),
        family('ghlbridge_rate_budget_daily_remaining', 'gauge', 'Requests left today, per location (or company)', budgets.map((b) => ({ labels: { location: b.key }, value: b.dailyRemaining }))),
        ghlCalls.render(),
        ghl429.render(),
        webhooks.render(),
        http.render(),
      ];
      return `${parts.join('\n')}\n`;
    },
  };
}

export type ServerMetrics = ReturnType<typeof createMetrics>;
