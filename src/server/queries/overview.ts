/**
 * What the console's overview shows, read in a few statements: each connection's health (its last
 * succeeded and last failed run, its credentials' hold, its OAuth token's age and expiry — never the
 * token), the queue (depth, oldest waiting run) and the open incidents.
 */
import type { Queryable } from '../../engine/db/types.js';
import type { ConnectionSummary } from '../../engine/connections/index.js';

/**
 * Runs looked at for a connection's last success and last error: the newest this many. Keeps the
 * overview's cost flat however many runs the table holds (a connection quiet for longer shows none).
 */
export const HEALTH_RUN_WINDOW = 50_000;

export interface ConnectionHealth {
  id: string;
  app: string;
  name: string;
  /** the GHL location (or agency) id of a GHL connection */
  locationId: string | null;
  /** `oauth`, `pit` (Private Integration Token), or null for app connections */
  auth: string | null;
  /** finished time of its newest succeeded run (as source or as GHL target) */
  lastSuccessAt: string | null;
  /** the newest failure: a dead run, a refused webhook delivery, or refused credentials */
  lastError: { at: string; message: string; kind: 'run' | 'webhook' | 'credentials'; runId: number | null } | null;
  /** stored OAuth tokens (metadata only): when they were last written and when the access token expires */
  token: { updatedAt: string; ageSeconds: number; expiresAt: string; expiresInSeconds: number } | null;
  /** its credentials are refused: its runs wait until it is re-authorized */
  reconnectNeeded: boolean;
  hold: { reason: string; since: string; failures: number } | null;
  /** runs waiting for a worker whose recipe writes to this connection */
  queued: number;
  /** in one word: credentials refused, newest outcome a failure, working, or nothing ran yet */
  state: ConnectionState;
}

export type ConnectionState = 'reconnect-needed' | 'failing' | 'healthy' | 'idle';

/** A connection's state from its hold and its newest success and failure. */
export function connectionState(k: Pick<ConnectionHealth, 'reconnectNeeded' | 'lastSuccessAt' | 'lastError'>): ConnectionState {
  if (k.reconnectNeeded) return 'reconnect-needed';
  if (k.lastError && (!k.lastSuccessAt || Date.parse(k.lastError.at) > Date.parse(k.lastSuccessAt))) return 'failing';
  return k.lastSuccessAt ? 'healthy' : 'idle';
}

const iso = (v: Date | string) => new Date(v).toISOString();

/**
 * The health of every given connection, one statement (a lateral look-up per connection, each on
 * the primary key walked backwards within the newest `HEALTH_RUN_WINDOW` runs).
 *
 * @example
 * const health = await connectionHealth(db, await bridge.connections.list(), Date.now());
 */
export async function connectionHealth(db: Queryable, connections: readonly ConnectionSummary[], now: number): Promise<ConnectionHealth[]> {
  if (connections.length === 0) return [];
  const { rows } = await db.query<{
    id: string;
    ok_at: Date | string | null;
    dead_at: Date | string | null;
    dead_id: string | null;
    dead_error: { reason?: string; code?: string } | null;
    rej_at: Date | string | null;
    rej_reason: string | null;
    rej_detail: string | null;
    hold_reason: string | null;
    hold_since: Date | string | null;
    hold_failures: number | null;
    hold_seen: Date | string | null;
    token_updated: Date | string | null;
    token_expires: string | null;
    queued: string;
  }>(
    `with w as (select coalesce(max(id), 0) - $2::bigint as low from runs)
     select c.id,
            ok.finished_at as ok_at,
            dead.finished_at as dead_at, dead.id as dead_id, dead.error as dead_error,
            rej.at as rej_at, rej.reason as rej_reason, rej.detail as rej_detail,
            h.reason as hold_reason, h.since as hold_since, h.failures as hold_failures, h.last_seen as hold_seen,
            t.updated_at as token_updated, t.expires_at::text as token_expires,
            (select count(*) from runs q where q.status = 'queued' and q.dry_run = false and q.lane = c.id) as queued
       from unnest($1::text[]) as c(id)
       cross join w
       left join lateral (select r.finished_at from runs r join events e on e.id = r.event_id
                           where r.id > w.low and r.status = 'succeeded' and r.dry_run = false and (r.lane = c.id or e.connection_id = c.id)
                           order by r.id desc limit 1) ok on true
       left join lateral (select r.id, r.finished_at, r.error from runs r join events e on e.id = r.event_id
                           where r.id > w.low and r.status = 'dead' and r.dry_run = false and (r.lane = c.id or e.connection_id = c.id)
                           order by r.id desc limit 1) dead on true
       left join lateral (select x.at, x.reason, x.detail from webhook_rejections x where x.connection_id = c.id order by x.at desc limit 1) rej on true
       left join connection_health h on h.connection_id = c.id and h.status = 'needs-reauth'
       left join oauth_tokens t on t.key = 'connection:' || c.id`,
    [connections.map((k) => k.id), HEALTH_RUN_WINDOW],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return connections.map((k) => {
    const r = byId.get(k.id)!;
    const errors: NonNullable<ConnectionHealth['lastError']>[] = [];
    if (r.dead_at) errors.push({ at: iso(r.dead_at), message: [r.dead_error?.code, r.dead_error?.reason].filter(Boolean).join(': ') || 'the run failed', kind: 'run', runId: Number(r.dead_id) });
    if (r.rej_at) errors.push({ at: iso(r.rej_at), message: `webhook refused: ${r.rej_reason}${r.rej_detail ? ` (${r.rej_detail})` : ''}`, kind: 'webhook', runId: null });
    if (r.hold_seen && r.hold_reason) errors.push({ at: iso(r.hold_seen), message: `credentials refused: ${r.hold_reason}`, kind: 'credentials', runId: null });
    errors.sort((a, b) => b.at.localeCompare(a.at));
    const expires = r.token_expires === null ? null : Number(r.token_expires);
    const cfg = k.config;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
    const health = {
      id: k.id,
      app: k.app,
      name: k.name,
      locationId: str(cfg.locationId) ?? str(cfg.companyId),
      auth: str(cfg.auth) ?? (r.token_updated ? 'oauth' : null),
      lastSuccessAt: r.ok_at ? iso(r.ok_at) : null,
      lastError: errors[0] ?? null,
      token:
        r.token_updated && expires !== null
          ? { updatedAt: iso(r.token_updated), ageSeconds: Math.max(0, Math.round((now - new Date(r.token_updated).getTime()) / 1000)), expiresAt: new Date(expires).toISOString(), expiresInSeconds: Math.round((expires - now) / 1000) }
          : null,
      reconnectNeeded: r.hold_reason !== null,
      hold: r.hold_reason !== null ? { reason: r.hold_reason, since: iso(r.hold_since!), failures: r.hold_failures ?? 1 } : null,
      queued: Number(r.queued),
    };
    return { ...health, state: connectionState(health) };
  });
}

export interface QueueState {
  /** runs waiting for a worker (status queued, not dry runs) */
  queued: number;
  /** of them, due now (not scheduled for a later retry) */
  due: number;
  running: number;
  /** the oldest due queued run: its id and how long it has waited since it became due */
  oldest: { runId: number; waitingSeconds: number; createdAt: string } | null;
}

/** The queue's depth and oldest waiting run (the partial indexes of migration 005). */
export async function queueState(db: Queryable): Promise<QueueState> {
  const { rows } = await db.query<{ queued: string; due: string; running: string; oldest_id: string | null; oldest_wait: string | null; oldest_created: Date | string | null }>(
    `with o as (select id, run_at, created_at from runs where status = 'queued' and dry_run = false and run_at <= now() order by run_at, id limit 1)
     select (select count(*) from runs where status = 'queued' and dry_run = false) as queued,
            (select count(*) from runs where status = 'queued' and dry_run = false and run_at <= now()) as due,
            (select count(*) from runs where status = 'running') as running,
            (select id from o) as oldest_id,
            (select extract(epoch from now() - run_at) from o)::text as oldest_wait,
            (select created_at from o) as oldest_created`,
  );
  const r = rows[0]!;
  return {
    queued: Number(r.queued),
    due: Number(r.due),
    running: Number(r.running),
    oldest: r.oldest_id === null ? null : { runId: Number(r.oldest_id), waitingSeconds: Math.max(0, Math.round(Number(r.oldest_wait ?? 0))), createdAt: iso(r.oldest_created!) },
  };
}

export interface OpenIncidentBrief {
  id: number;
  rule: string;
  cause: string;
  recipeId: string | null;
  connectionId: string | null;
  count: number;
  openedAt: string;
  lastSeen: string;
  acknowledged: boolean;
  mutedUntil: string | null;
}

/** How many incidents are open, and the newest few. */
export async function openIncidents(db: Queryable, limit: number): Promise<{ open: number; items: OpenIncidentBrief[] }> {
  const [count, list] = await Promise.all([
    db.query<{ n: string }>(`select count(*) as n from incidents where status = 'open'`),
    db.query<{ id: string; rule: string; cause: string; recipe_id: string | null; connection_id: string | null; count: number; opened_at: Date | string; last_seen: Date | string; acknowledged_at: Date | string | null; muted_until: Date | string | null }>(
      `select id, rule, cause, recipe_id, connection_id, count, opened_at, last_seen, acknowledged_at, muted_until from incidents where status = 'open' order by last_seen desc limit $1`,
      [limit],
    ),
  ]);
  return {
    open: Number(count.rows[0]!.n),
    items: list.rows.map((r) => ({ id: Number(r.id), rule: r.rule, cause: r.cause, recipeId: r.recipe_id, connectionId: r.connection_id, count: r.count, openedAt: iso(r.opened_at), lastSeen: iso(r.last_seen), acknowledged: r.acknowledged_at !== null, mutedUntil: r.muted_until === null ? null : iso(r.muted_until) })),
  };
}
