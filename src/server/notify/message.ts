/**
 * What a notification says, built from its row's payload at send time: a title, a plain-text body
 * with the cause, the advice and the deep links into the console, and the incident snapshot the
 * channels format their own way (Slack blocks, a webhook event).
 */
import type { NotificationKind } from './outbox.js';

/** The incident as the monitor snapshots it into `notifications.payload.incident`. */
export interface IncidentSnapshot {
  id: number;
  rule: string;
  key: string;
  status: string;
  recipe_id: string | null;
  connection_id: string | null;
  location_id: string | null;
  cause: string;
  advice: string;
  count: number;
  first_run_id: number | null;
  latest_run_id: number | null;
  opened_at: string | null;
  last_seen: string | null;
  resolved_at: string | null;
}

export interface IncidentLinks {
  incident: string;
  firstRun?: string;
  latestRun?: string;
}

export interface NotificationMessage {
  /** the row id: the webhook's stable message id */
  notificationId: number;
  kind: NotificationKind;
  channel: string;
  /** one line: `OPENED: <cause>` */
  title: string;
  /** the plain-text body (e-mail; Slack's fallback `text`) */
  text: string;
  /** absent for a test (and a digest, which lists `incidents`) */
  incident?: IncidentSnapshot;
  links?: IncidentLinks;
  /** a digest's open incidents, each with its links */
  incidents?: Array<{ incident: IncidentSnapshot; links: IncidentLinks }>;
  /** the console, for a test or a digest */
  consoleUrl: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);

/** A snapshot read leniently: a field the monitor left out is null, never an exception at send time. */
export function readIncident(value: unknown): IncidentSnapshot | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  // the monitor snapshots its `Incident` (camelCase, src/engine/incidents/store.ts); rows made by hand may use the column names
  const field = (camel: string, column: string) => raw[camel] ?? raw[column];
  const id = num(raw.id);
  if (id === null) return undefined;
  return {
    id,
    rule: str(raw.rule) ?? 'unknown',
    key: str(raw.key) ?? '',
    status: str(raw.status) ?? 'open',
    recipe_id: str(field('recipeId', 'recipe_id')),
    connection_id: str(field('connectionId', 'connection_id')),
    location_id: str(field('locationId', 'location_id')),
    cause: str(raw.cause) ?? `incident ${id}`,
    advice: str(raw.advice) ?? '',
    count: num(raw.count) ?? 1,
    first_run_id: num(field('firstRunId', 'first_run_id')),
    latest_run_id: num(field('latestRunId', 'latest_run_id')),
    opened_at: str(field('openedAt', 'opened_at')),
    last_seen: str(field('lastSeen', 'last_seen')),
    resolved_at: str(field('resolvedAt', 'resolved_at')),
  };
}

/**
 * The console pages of an incident (the alerts page with it selected) and of its example runs; the
 * console is served at the root of the public URL (its pages are `/alerts`, `/runs/:id`).
 *
 * @example
 * incidentLinks('https://bridge.example.com', incident);
 * // { incident: 'https://bridge.example.com/alerts?incident=7', firstRun: '…/runs/41', latestRun: '…/runs/58' }
 */
export function incidentLinks(publicUrl: string, incident: Pick<IncidentSnapshot, 'id' | 'first_run_id' | 'latest_run_id'>): IncidentLinks {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    incident: `${base}/alerts?incident=${incident.id}`,
    ...(incident.first_run_id !== null ? { firstRun: `${base}/runs/${incident.first_run_id}` } : {}),
    ...(incident.latest_run_id !== null && incident.latest_run_id !== incident.first_run_id ? { latestRun: `${base}/runs/${incident.latest_run_id}` } : {}),
  };
}

/** `2026-12-04 01:37 UTC` (the text as given when it is not a date). */
export function whenText(value: string | null): string {
  if (!value) return '-';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const LABEL: Record<NotificationKind, string> = { opened: 'OPENED', reminder: 'STILL OPEN', resolved: 'RESOLVED', digest: 'DIGEST', test: 'TEST' };

function incidentLines(incident: IncidentSnapshot, links: IncidentLinks): string[] {
  const scope = [incident.recipe_id && `recipe ${incident.recipe_id}`, incident.connection_id && `connection ${incident.connection_id}`, incident.location_id && `location ${incident.location_id}`].filter(Boolean).join(', ');
  return [
    `Cause: ${incident.cause}`,
    ...(incident.advice ? [`What to do: ${incident.advice}`] : []),
    '',
    `Rule: ${incident.rule}${scope ? ` (${scope})` : ''}`,
    `Seen ${incident.count} time${incident.count === 1 ? '' : 's'}; opened ${whenText(incident.opened_at)}, last seen ${whenText(incident.last_seen)}${incident.resolved_at ? `, resolved ${whenText(incident.resolved_at)}` : ''}`,
    '',
    `Incident: ${links.incident}`,
    ...(links.firstRun ? [`First run: ${links.firstRun}`] : []),
    ...(links.latestRun ? [`Latest run: ${links.latestRun}`] : []),
  ];
}

/**
 * The message of one notification row.
 *
 * @example
 * const m = buildMessage({ id: 12, kind: 'opened', channel: 'ops-mail', payload }, 'https://bridge.example.com');
 * m.title; // 'OPENED: recipe app-signup: 3 runs dead-lettered (MAPPING at step 2)'
 */
export function buildMessage(row: { id: number; kind: NotificationKind; channel: string; payload: Record<string, unknown> }, publicUrl: string): NotificationMessage {
  // the console's overview is its root page
  const consoleUrl = `${publicUrl.replace(/\/+$/, '')}/`;
  const base = { notificationId: row.id, kind: row.kind, channel: row.channel, consoleUrl };
  if (row.kind === 'test') {
    return { ...base, title: `TEST: alerts channel "${row.channel}" works`, text: [`This is a test notification of ghl-bridge, sent by \`ghl-bridge alerts test ${row.channel}\`.`, 'Incidents (opened, reminders, resolved) will arrive here the same way.', '', `Console: ${consoleUrl}`].join('\n') };
  }
  if (row.kind === 'digest') {
    const listed = Array.isArray(row.payload.incidents) ? row.payload.incidents : [];
    const incidents = listed.map(readIncident).filter((i): i is IncidentSnapshot => i !== undefined).map((incident) => ({ incident, links: incidentLinks(publicUrl, incident) }));
    const title = `DIGEST: ${incidents.length} open incident${incidents.length === 1 ? '' : 's'}`;
    const lines = incidents.length === 0 ? ['No open incidents.'] : incidents.flatMap(({ incident, links }) => [`- ${incident.cause} (${incident.count}×, since ${whenText(incident.opened_at)})`, `  ${incident.advice}`, `  ${links.incident}`]);
    return { ...base, title, text: [...lines, '', `Console: ${consoleUrl}`].join('\n'), incidents };
  }
  const incident = readIncident(row.payload.incident);
  if (!incident) throw new Error(`notification ${row.id}: its payload has no incident snapshot (payload.incident with an id)`);
  const links = incidentLinks(publicUrl, incident);
  const title = `${LABEL[row.kind]}: ${incident.cause}`;
  const intro = row.kind === 'resolved' ? 'This incident is resolved.' : row.kind === 'reminder' ? 'This incident is still open.' : 'A new incident was opened.';
  return { ...base, title, text: [intro, '', ...incidentLines(incident, links)].join('\n'), incident, links };
}
