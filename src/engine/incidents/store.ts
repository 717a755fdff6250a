/**
 * Incidents and their notification rows: open (one per rule and key at a time), seen again,
 * resolved, acknowledged, muted. Notifications are only queued here (the `notifications` table is
 * an outbox its sender drains); each row carries a snapshot of the incident as it was then.
 */
import type { Queryable } from '../db/types.js';
import type { Finding } from './types.js';

export type IncidentStatus = 'open' | 'resolved';
export type NotificationKind = 'opened' | 'reminder' | 'resolved';

export interface Incident {
  id: number;
  rule: string;
  key: string;
  status: IncidentStatus;
  recipeId: string | null;
  connectionId: string | null;
  locationId: string | null;
  cause: string;
  advice: string;
  count: number;
  firstRunId: number | null;
  latestRunId: number | null;
  openedAt: string;
  lastSeen: string;
  resolvedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  mutedUntil: string | null;
  nextReminderAt: string | null;
  reminders: number;
  /** the channels it is told on (fixed when it opened), and what the rule adds */
  details: Record<string, unknown>;
}

interface Raw {
  id: string;
  rule: string;
  key: string;
  status: IncidentStatus;
  recipe_id: string | null;
  connection_id: string | null;
  location_id: string | null;
  cause: string;
  advice: string;
  count: number;
  first_run_id: string | null;
  latest_run_id: string | null;
  opened_at: Date | string;
  last_seen: Date | string;
  resolved_at: Date | string | null;
  acknowledged_at: Date | string | null;
  acknowledged_by: string | null;
  muted_until: Date | string | null;
  next_reminder_at: Date | string | null;
  reminders: number;
  details: Record<string, unknown>;
}

const iso = (t: Date | string | null): string | null => (t === null ? null : new Date(t).toISOString());
const num = (v: string | null): number | null => (v === null ? null : Number(v));

function toIncident(r: Raw): Incident {
  return {
    id: Number(r.id), rule: r.rule, key: r.key, status: r.status, recipeId: r.recipe_id, connectionId: r.connection_id, locationId: r.location_id,
    cause: r.cause, advice: r.advice, count: r.count, firstRunId: num(r.first_run_id), latestRunId: num(r.latest_run_id),
    openedAt: iso(r.opened_at)!, lastSeen: iso(r.last_seen)!, resolvedAt: iso(r.resolved_at), acknowledgedAt: iso(r.acknowledged_at), acknowledgedBy: r.acknowledged_by,
    mutedUntil: iso(r.muted_until), nextReminderAt: iso(r.next_reminder_at), reminders: r.reminders, details: r.details,
  };
}

/** The channels fixed in an incident when it opened. */
export const channelsOf = (incident: Incident): string[] => (Array.isArray(incident.details.channels) ? (incident.details.channels as string[]) : []);

/** Whether notifications of the incident are held back at `now` (epoch ms). */
export const isMuted = (incident: Incident, now: number): boolean => incident.mutedUntil !== null && Date.parse(incident.mutedUntil) > now;

/** The open incidents of one rule. */
export async function openIncidentsOf(q: Queryable, rule: string): Promise<Incident[]> {
  const { rows } = await q.query<Raw>(`select * from incidents where rule = $1 and status = 'open' order by id`, [rule]);
  return rows.map(toIncident);
}

/**
 * Opens the incident of `finding` for `rule`, answering it, or null when one of that (rule, key)
 * is open already (another check won the race: the unique open index decides).
 */
export async function openIncident(q: Queryable, rule: string, finding: Finding, o: { channels: string[]; now: number; firstReminderAt: number }): Promise<Incident | null> {
  const { rows } = await q.query<Raw>(
    `insert into incidents (rule, key, recipe_id, connection_id, location_id, cause, advice, count, first_run_id, latest_run_id, opened_at, last_seen, next_reminder_at, details)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, to_timestamp($11::double precision / 1000), to_timestamp($11::double precision / 1000), to_timestamp($12::double precision / 1000), $13::jsonb)
     on conflict (rule, key) where status = 'open' do nothing
     returning *`,
    [rule, finding.key, finding.recipeId ?? null, finding.connectionId ?? null, finding.locationId ?? null, finding.cause, finding.advice, finding.count,
      finding.firstRunId ?? null, finding.latestRunId ?? null, o.now, o.firstReminderAt, JSON.stringify({ ...finding.details, channels: o.channels })],
  );
  return rows[0] ? toIncident(rows[0]) : null;
}

/** An open incident seen again: its count, cause, latest example and last_seen follow the rule's finding. */
export async function touchIncident(q: Queryable, id: number, finding: Finding, now: number): Promise<void> {
  await q.query(
    `update incidents set count = $2, cause = $3, advice = $4, latest_run_id = coalesce($5, latest_run_id), first_run_id = coalesce(first_run_id, $6),
        last_seen = to_timestamp($7::double precision / 1000), details = details || $8::jsonb
      where id = $1 and status = 'open'`,
    [id, finding.count, finding.cause, finding.advice, finding.latestRunId ?? null, finding.firstRunId ?? null, now, JSON.stringify(finding.details ?? {})],
  );
}

/** Resolves an open incident; answers it as resolved, or null when it was not open any more. */
export async function resolveIncident(q: Queryable, id: number, now: number): Promise<Incident | null> {
  const { rows } = await q.query<Raw>(
    `update incidents set status = 'resolved', resolved_at = to_timestamp($2::double precision / 1000), next_reminder_at = null where id = $1 and status = 'open' returning *`,
    [id, now],
  );
  return rows[0] ? toIncident(rows[0]) : null;
}

/** A resolve told while muted waits for the mute to pass: marked, then told by `deferredResolves`. */
export async function holdResolvedNotice(q: Queryable, id: number): Promise<void> {
  await q.query(`update incidents set details = details || '{"resolvedNoticePending": true}'::jsonb where id = $1`, [id]);
}

/** Resolved incidents whose resolve was held back by a mute that has passed at `now`; each is unmarked. */
export async function takeDeferredResolves(q: Queryable, now: number): Promise<Incident[]> {
  const { rows } = await q.query<Raw>(
    `update incidents set details = details - 'resolvedNoticePending'
      where status = 'resolved' and details ? 'resolvedNoticePending' and muted_until <= to_timestamp($1::double precision / 1000)
      returning *`,
    [now],
  );
  return rows.map(toIncident);
}

/** Counts one reminder sent and when the next one falls due. */
export async function markReminded(q: Queryable, id: number, nextAt: number): Promise<void> {
  await q.query(`update incidents set reminders = reminders + 1, next_reminder_at = to_timestamp($2::double precision / 1000) where id = $1`, [id, nextAt]);
}

/** The open incidents whose reminder is due at `now`, not acknowledged. */
export async function dueReminders(q: Queryable, now: number): Promise<Incident[]> {
  const { rows } = await q.query<Raw>(
    `select * from incidents where status = 'open' and acknowledged_at is null and next_reminder_at <= to_timestamp($1::double precision / 1000) order by id`,
    [now],
  );
  return rows.map(toIncident);
}

/**
 * One notification row per channel, each with the incident's snapshot: the sender delivers what
 * the incident was when this happened, not what it became.
 */
export async function queueNotifications(q: Queryable, incident: Incident, kind: NotificationKind, channels: readonly string[]): Promise<void> {
  if (channels.length === 0) return;
  const { details: _details, ...snapshot } = incident;
  await q.query(
    `insert into notifications (incident_id, kind, channel, payload) select $1, $2, c, $4::jsonb from unnest($3::text[]) as c`,
    [incident.id, kind, [...channels], JSON.stringify({ incident: snapshot, kind })],
  );
}

/**
 * One incident by id, or null.
 *
 * @example
 * const incident = await getIncident(db, 12); // { rule: 'deadLetter', cause: '1,000 dead runs of recipe …', … }
 */
export async function getIncident(q: Queryable, id: number): Promise<Incident | null> {
  const { rows } = await q.query<Raw>('select * from incidents where id = $1', [id]);
  return rows[0] ? toIncident(rows[0]) : null;
}

/**
 * Incidents newest first (keyset on id): `status` open, resolved or all.
 *
 * @example
 * const page = await listIncidents(db, { status: 'open', before: null, limit: 101 });
 */
export async function listIncidents(q: Queryable, o: { status: IncidentStatus | 'all'; before: number | null; limit: number }): Promise<Incident[]> {
  const { rows } = await q.query<Raw>(
    `select * from incidents where ($1::text = 'all' or status = $1) and id < coalesce($2::bigint, 9223372036854775807) order by id desc limit $3`,
    [o.status, o.before, o.limit],
  );
  return rows.map(toIncident);
}

export interface IncidentNotification {
  id: number;
  kind: string;
  channel: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/**
 * The notification rows of one incident, oldest first, with their delivery status.
 *
 * @example
 * await incidentNotifications(db, 12); // [{ kind: 'opened', channel: 'ops-slack', status: 'sent', attempts: 1, … }]
 */
export async function incidentNotifications(q: Queryable, incidentId: number): Promise<IncidentNotification[]> {
  const { rows } = await q.query<{ id: string; kind: string; channel: string; status: string; attempts: number; last_error: string | null; created_at: Date | string; sent_at: Date | string | null }>(
    'select id, kind, channel, status, attempts, last_error, created_at, sent_at from notifications where incident_id = $1 order by id',
    [incidentId],
  );
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, channel: r.channel, status: r.status, attempts: r.attempts, lastError: r.last_error, createdAt: iso(r.created_at)!, sentAt: iso(r.sent_at) }));
}

/**
 * Acknowledges an open incident: no more reminders (its resolve is still told). Answers the
 * incident, or null when there is none of that id; an incident already resolved is answered unchanged.
 *
 * @example
 * await acknowledgeIncident(db, 12, 'ops@example.com');
 */
export async function acknowledgeIncident(q: Queryable, id: number, by: string): Promise<Incident | null> {
  const { rows } = await q.query<Raw>(
    `update incidents set acknowledged_at = coalesce(acknowledged_at, now()), acknowledged_by = coalesce(acknowledged_by, $2) where id = $1 and status = 'open' returning *`,
    [id, by],
  );
  return rows[0] ? toIncident(rows[0]) : getIncident(q, id);
}

/**
 * Mutes an open incident for `minutes`: no notification row until then (a reminder due, or its
 * resolve, is queued once the mute has passed).
 * Answers the incident, or null when there is none of that id; a resolved one is answered unchanged.
 *
 * @example
 * await muteIncident(db, 12, 120); // muted_until: two hours from now
 */
export async function muteIncident(q: Queryable, id: number, minutes: number): Promise<Incident | null> {
  const { rows } = await q.query<Raw>(
    `update incidents set muted_until = now() + make_interval(mins => $2) where id = $1 and status = 'open' returning *`,
    [id, minutes],
  );
  return rows[0] ? toIncident(rows[0]) : getIncident(q, id);
}
