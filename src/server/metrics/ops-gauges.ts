/**
 * The gauges of issue 12 (incidents, notifications), read from the database like the queue's:
 * one statement per scrape window, each on a partial index, so a scrape costs the same however
 * much history the tables keep.
 */
import { RULE_NAMES } from '../../config/alerts.js';
import type { Database } from '../../engine/db/types.js';
import { family } from './registry.js';

export interface OpsGauges {
  /** open incidents by rule */
  incidentsOpen: Map<string, number>;
  /** pending notifications by channel */
  notificationsPending: Map<string, number>;
}

/**
 * Open incidents by rule (the partial unique index `incidents_open_key` holds exactly the open
 * ones) and pending notifications by channel (the partial index `notifications_due`). Sent and
 * failed rows are not counted here: no index bounds them, and a count of them grows with history;
 * the sender counts them as they happen (`ghlbridge_notifications_total`).
 */
export async function readOpsGauges(db: Database): Promise<OpsGauges> {
  const { rows } = await db.query<{ kind: 'incident' | 'notification'; label: string; n: string }>(
    `select 'incident' as kind, rule as label, count(*) as n from incidents where status = 'open' group by rule
     union all
     select 'notification', channel, count(*) from notifications where status = 'pending' group by channel`,
  );
  const gauges: OpsGauges = { incidentsOpen: new Map(), notificationsPending: new Map() };
  for (const r of rows) (r.kind === 'incident' ? gauges.incidentsOpen : gauges.notificationsPending).set(r.label, Number(r.n));
  return gauges;
}

/**
 * The two families as text. Every rule and every configured channel has a series (0 when quiet),
 * so a dashboard shows a line and `absent()` is never needed; label values are rule and channel
 * names only (bounded by code and config).
 */
export function renderOpsGauges(g: OpsGauges, channels: readonly string[]): string[] {
  const rules = new Set<string>([...RULE_NAMES, ...g.incidentsOpen.keys()]);
  const chans = new Set<string>([...channels, ...g.notificationsPending.keys()]);
  return [
    family('ghlbridge_incidents_open', 'gauge', 'Open incidents (every process), by rule', [...rules].map((rule) => ({ labels: { rule }, value: g.incidentsOpen.get(rule) ?? 0 }))),
    family('ghlbridge_notifications', 'gauge', 'Notifications waiting to be sent (every process), by channel and status (pending)', [...chans].map((channel) => ({ labels: { channel, status: 'pending' }, value: g.notificationsPending.get(channel) ?? 0 }))),
  ];
}
