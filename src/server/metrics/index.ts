/**
 * What `/metrics` shows. Counters kept in-process as the work happens (HTTP latency by route,
 * webhook deliveries, GHL calls seen by an observer, events stored, run outcomes, journaled steps
 * by operation), and gauges that every worker shares, read from the database through partial
 * indexes (runs queued, running, dead, oldest waiting; incidents open; notifications pending) at
 * most once per `gaugeTtlMs` — never a count of whole tables, so a scrape costs the same at 1k and
 * at 1M events. Every label value is bounded: route templates, operation, recipe and connection
 * ids, statuses — never a record, contact or run id (`boundedOperation`, `ghlRoute`).
 */
import type { Database } from '../../engine/db/types.js';
import type { EngineMetrics } from '../../engine/index.js';
import type { RateBudgetStore } from '../../ghl/index.js';
import type { Observer } from '../../ghl/layers/observe.js';
import { rateBudgetStates } from '../queries/rate-budget.js';
import { cachedRead } from './cache.js';
import { readOpsGauges, renderOpsGauges } from './ops-gauges.js';
import { Counter, family, Histogram } from './registry.js';

export { Counter, Histogram, escapeLabel, family } from './registry.js';

/** What a scrape reads besides the counters. */
export interface MetricsSources {
  db: Database;
  /** the engine's rate budget (`bridge.ghl.budget`) */
  budget: RateBudgetStore;
  /** the configured alert channels (`alerts.channels`): each gets a series, 0 when nothing waits */
  channels?: readonly string[];
}

/** An operation id as code and recipes name them (`upsert-contact`, `recruitee.add-note`): lower-case words; anything else is `other`. */
const OPERATION_ID = /^[a-z][a-z0-9]*(?:[._-][a-z][a-z0-9]*)*$/;

/**
 * A label for an operation id that stays bounded whatever reaches it: a value with an id-like
 * part (digits first, mixed case, too long) collapses to `other` instead of opening a series per record.
 */
export function boundedOperation(id: string | undefined): string {
  return id && id.length <= 64 && OPERATION_ID.test(id) ? id : 'other';
}

/**
 * The route of a GHL call the client did not name (no operation id): every path segment that is
 * not a plain lower-case word is an id (`/contacts/{id}/tasks/{id}`), whatever its length.
 */
export function ghlRoute(method: string, path: string): string {
  const template = path.split('?')[0]!.split('/').map((seg) => (seg === '' || /^[a-z]+(?:-[a-z]+)*$/.test(seg) ? seg : '{id}')).join('/');
  return `${method} ${template}`;
}

interface QueueGauges {
  queued: number;
  running: number;
  dead: number;
  oldestQueuedSeconds: number;
}

/** The queue's live state in one statement; each count runs on a partial index (migration 005). */
async function readQueueGauges(db: Database): Promise<QueueGauges> {
  const { rows } = await db.query<{ queued: string; running: string; dead: string; oldest: string | null }>(
    `select (select count(*) from runs where status = 'queued' and dry_run = false) as queued,
            (select count(*) from runs where status = 'running') as running,
            (select count(*) from runs where status = 'dead') as dead,
            (select extract(epoch from now() - min(run_at)) from runs where status = 'queued' and dry_run = false and run_at <= now()) as oldest`,
  );
  const r = rows[0]!;
  return { queued: Number(r.queued), running: Number(r.running), dead: Number(r.dead), oldestQueuedSeconds: Math.max(0, Number(r.oldest ?? 0)) };
}

/**
 * The server's metrics. Give `ghlObserver` to the GHL clients and `engine` to the engine
 * (`openBridge` does both).
 *
 * @example
 * const metrics = createMetrics();
 * const engine = await createEngine({ db, ghl, metrics: metrics.engine });
 * res.end(await metrics.render({ db, budget: ghl.budget }));
 */
export function createMetrics(options: { gaugeTtlMs?: number } = {}) {
  const gaugeTtlMs = options.gaugeTtlMs ?? 2000;
  const http = new Histogram('ghlbridge_http_request_duration_seconds', 'HTTP request latency by route, method and status');
  const webhooks = new Counter('ghlbridge_webhook_deliveries_total', 'Webhook deliveries answered, by connection and status');
  const ghlCalls = new Counter('ghlbridge_ghl_calls_total', 'GHL API calls (attempts) by route and status, as seen by the observer');
  const ghl429 = new Counter('ghlbridge_ghl_rate_limited_total', 'GHL answers 429 (rate limited), by route');
  const events = new Counter('ghlbridge_events_received_total', 'Events stored by this process (duplicates not counted), by source');
  const runsEnded = new Counter('ghlbridge_run_turns_total', "Runs' turns ended in this process, by recipe and outcome (succeeded, skipped, dead; rescheduled and retry went back to the queue)");
  const unrecorded = new Counter('ghlbridge_webhook_rejections_unrecorded_total', 'Refused webhook deliveries counted but not recorded one by one (over the per-connection limit), by connection');
  const steps = new Counter('ghlbridge_run_steps_total', 'Journaled run steps ended in this process, by operation (GHL operation or app action) and status');
  // Sent and failed notifications are counted as the sender ends them (in the process that sends):
  // counting those rows at scrape time would read the whole outbox history, no index bounds them.
  const notifications = new Counter('ghlbridge_notifications_total', 'Notifications the sender of this process ended, by channel and status (sent, failed: gave up after its attempts)');
  const ghlObserver: Observer = {
    onResponse(e) {
      const route = e.operationId ? boundedOperation(e.operationId) : ghlRoute(e.method, e.path);
      ghlCalls.inc({ route, status: e.status === null ? 'network-error' : String(e.status) });
      if (e.status === 429) ghl429.inc({ route });
    },
  };
  const engine: EngineMetrics = {
    eventStored: (source) => events.inc({ source }),
    runEnded: (recipe, outcome) => runsEnded.inc({ recipe, outcome }),
    stepEnded: (operation, status) => steps.inc({ operation: boundedOperation(operation), status }),
    rejectionUnrecorded: (connection) => unrecorded.inc({ connection }),
  };

  const queueGauges = cachedRead(gaugeTtlMs, readQueueGauges);
  const opsGauges = cachedRead(gaugeTtlMs, readOpsGauges);

  return {
    http,
    webhooks,
    ghlCalls,
    ghl429,
    events,
    runsEnded,
    steps,
    unrecorded,
    /** the notification sender calls `notificationEnded(channel, 'sent' | 'failed')` */
    notifications,
    notificationEnded: (channel: string, status: 'sent' | 'failed') => notifications.inc({ channel, status }),
    ghlObserver,
    engine,
    /** The whole exposition text. */
    async render(sources: MetricsSources, now = Date.now()): Promise<string> {
      const [queue, ops, budgets] = await Promise.all([queueGauges(sources.db, now), opsGauges(sources.db, now), rateBudgetStates(sources.budget, now)]);
      const parts = [
        events.render(),
        family('ghlbridge_runs', 'gauge', 'Runs waiting, running or dead-lettered (every worker), by status', [
          { labels: { status: 'queued' }, value: queue.queued },
          { labels: { status: 'running' }, value: queue.running },
          { labels: { status: 'dead' }, value: queue.dead },
        ]),
        family('ghlbridge_queue_depth', 'gauge', 'Runs waiting for a worker (status queued)', [{ labels: {}, value: queue.queued }]),
        family('ghlbridge_queue_oldest_waiting_seconds', 'gauge', 'How long the oldest due queued run has waited', [{ labels: {}, value: queue.oldestQueuedSeconds }]),
        runsEnded.render(),
        steps.render(),
        family('ghlbridge_rate_budget_remaining', 'gauge', 'Requests left in the current window, per location (or company)', budgets.map((b) => ({ labels: { location: b.key }, value: b.remainingInWindow }))),
        family('ghlbridge_rate_budget_daily_remaining', 'gauge', 'Requests left today, per location (or company)', budgets.map((b) => ({ labels: { location: b.key }, value: b.dailyRemaining }))),
        ghlCalls.render(),
        ghl429.render(),
        webhooks.render(),
        unrecorded.render(),
        ...renderOpsGauges(ops, sources.channels ?? []),
        notifications.render(),
        http.render(),
      ];
      return `${parts.join('\n')}\n`;
    },
  };
}

export type ServerMetrics = ReturnType<typeof createMetrics>;
