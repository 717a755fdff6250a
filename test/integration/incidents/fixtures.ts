import { alertsSchema, type AlertsConfig } from '../../../src/config/alerts.js';
import type { Queryable } from '../../../src/engine/db/index.js';
import type { Recipe } from '../../../src/engine/index.js';

/** Two channels (never reached: these tests read the outbox rows the sender would drain). */
export function testAlerts(overrides: Record<string, unknown> = {}): AlertsConfig {
  return alertsSchema.parse({
    channels: {
      mail: { type: 'email', to: ['ops@example.com'], from: 'bridge@example.com', smtp: { host: '127.0.0.1', port: 2525 } },
      chat: { type: 'slack', urlEnv: 'TEST_SLACK_URL' },
    },
    default: ['mail', 'chat'],
    checkSeconds: 3600,
    reminders: { firstAfterMinutes: 60, thenEveryHours: 24 },
    ...overrides,
  });
}

/**
 * v1 always fails planning: its task title reads `user.name`, which the events never carry (a
 * mapping error, dead at once). v2 is the fix: the title from the id.
 */
export const failingRecipe: Recipe = {
  id: 'signup-tasks',
  version: 1,
  trigger: { source: 'app', events: ['user.created'] },
  connection: 'ghl-a',
  recordId: 'user.id',
  mapping: { contact: { email: { path: 'user.email', transforms: ['email'] } } },
  actions: [{ type: 'upsertContact' }, { type: 'task', sourceId: { template: 'welcome-{{user.id}}' }, title: 'user.name', dueDate: { value: '2026-12-01T10:00:00.000Z' } }],
};
export const fixedRecipe: Recipe = { ...failingRecipe, version: 2, actions: [{ type: 'upsertContact' }] };

/** An event of user `i` for `failingRecipe` (no name). */
export const signup = (i: number, prefix = 'u') => ({ source: 'app', externalId: `${prefix}${i}`, type: 'user.created', payload: { user: { id: `${prefix}${i}`, email: `${prefix}${i}@example.com` } } });

export interface NotificationRow {
  incident_id: string;
  kind: string;
  channel: string;
  payload: { kind: string; incident: Record<string, unknown> };
}

export async function notificationRows(q: Queryable): Promise<NotificationRow[]> {
  return (await q.query<NotificationRow>('select incident_id, kind, channel, payload from notifications order by id')).rows;
}

export async function incidentRows(q: Queryable, status?: 'open' | 'resolved'): Promise<Array<Record<string, unknown> & { id: string; rule: string; key: string; status: string; count: number }>> {
  return (await q.query<Record<string, unknown> & { id: string; rule: string; key: string; status: string; count: number }>(`select * from incidents where $1::text is null or status = $1 order by id`, [status ?? null])).rows;
}

/** `kind/channel` of every row, sorted: what was queued, at a glance. */
export const kinds = (rows: NotificationRow[]) => rows.map((r) => `${r.kind}/${r.channel}`).sort();
