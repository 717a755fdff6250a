/** What the notifier tests share: the secrets, a three-channel alerts config, an incident and its outbox rows. */
import { Writable } from 'node:stream';
import { alertsSchema, type AlertsConfig } from '../../../src/config/alerts.js';
import type { Queryable } from '../../../src/engine/db/types.js';
import { createLogger } from '../../../src/server/logger.js';

export const SECRETS = {
  smtpUser: 'bridge-mailer',
  smtpPassword: 'smtp-pass-Zq81x7',
  slackToken: 'slk-secret-token-T0AA-B0BB-9f8e7d6c',
  webhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
};

/** The env of the channels' secrets (the Slack URL's path is its token). */
export function secretEnv(receiverUrl: (path: string) => string): Record<string, string> {
  return {
    NT_SMTP_USER: SECRETS.smtpUser,
    NT_SMTP_PASSWORD: SECRETS.smtpPassword,
    NT_SLACK_URL: receiverUrl(`/services/${SECRETS.slackToken}`),
    NT_HOOK_SECRET: SECRETS.webhookSecret,
  };
}

export function alertsConfig(o: { smtpPort: number; hookUrl: string; digest?: 'off' | 'hourly' | 'daily'; default?: string[] }): AlertsConfig {
  return alertsSchema.parse({
    channels: {
      mail: { type: 'email', to: ['ops@example.com'], from: 'bridge@example.com', smtp: { host: '127.0.0.1', port: o.smtpPort, secure: false, userEnv: 'NT_SMTP_USER', passwordEnv: 'NT_SMTP_PASSWORD' } },
      chat: { type: 'slack', urlEnv: 'NT_SLACK_URL' },
      hook: { type: 'webhook', url: o.hookUrl, secretEnv: 'NT_HOOK_SECRET' },
    },
    default: o.default ?? ['mail', 'chat', 'hook'],
    digest: o.digest ?? 'off',
  });
}

export const CAUSE = 'recipe app-signup: 3 runs dead-lettered (MAPPING at step 2)';
export const ADVICE = 'fix the mapping of step 2, then `ghl-bridge dlq replay --all`';

/** An incident row as the monitor makes it, and its snapshot for payloads. */
export async function insertIncident(db: Queryable, o: { firstRunId?: number; latestRunId?: number; cause?: string } = {}) {
  // one open incident per rule and key: another cause, another key
  const key = o.cause ? `cause|${o.cause}` : 'app-signup|MAPPING|step 2';
  const { rows } = await db.query<{ id: string; opened_at: Date; last_seen: Date }>(
    `insert into incidents (rule, key, recipe_id, connection_id, cause, advice, count, first_run_id, latest_run_id)
     values ('deadLetter', $5, 'app-signup', 'ghl-main', $1, $2, 3, $3, $4) returning id, opened_at, last_seen`,
    [o.cause ?? CAUSE, ADVICE, o.firstRunId ?? 41, o.latestRunId ?? 58, key],
  );
  const r = rows[0]!;
  const incident = { id: Number(r.id), rule: 'deadLetter', key, status: 'open', recipe_id: 'app-signup', connection_id: 'ghl-main', location_id: null as string | null, cause: o.cause ?? CAUSE, advice: ADVICE, count: 3, first_run_id: o.firstRunId ?? 41, latest_run_id: o.latestRunId ?? 58, opened_at: new Date(r.opened_at).toISOString(), last_seen: new Date(r.last_seen).toISOString(), resolved_at: null as string | null };
  return incident;
}

export type Snapshot = Awaited<ReturnType<typeof insertIncident>>;

/** One outbox row, as the monitor inserts it. */
export async function insertNotification(db: Queryable, o: { kind: string; channel: string; incident: Snapshot }): Promise<number> {
  const { rows } = await db.query<{ id: string }>(`insert into notifications (incident_id, kind, channel, payload) values ($1, $2, $3, $4::jsonb) returning id`, [o.incident.id, o.kind, o.channel, JSON.stringify({ kind: o.kind, incident: o.incident })]);
  return Number(rows[0]!.id);
}

/** A pino logger whose lines are kept. */
export function capturedLogger() {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(chunk.toString('utf8')); cb(); } });
  return { log: createLogger({ level: 'info', destination }), lines };
}

/** Row states by id. */
export async function rowsById(db: Queryable) {
  const { rows } = await db.query<{ id: string; status: string; attempts: number; last_error: string | null; next_at: Date; sent_at: Date | null; claimed_by: string | null; channel: string; kind: string }>('select * from notifications order by id');
  return new Map(rows.map((r) => [Number(r.id), r]));
}
