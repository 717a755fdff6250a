import { z } from 'zod';
import { strict } from '../engine/recipes/schema-values.js';

/**
 * The `alerts:` section of ghl-bridge.yaml: where notifications go (channels), which rules open
 * incidents and how sensitive they are, and how reminders back off. Every rule is on by default;
 * with no channel configured, incidents are still opened, logged and listed (API, CLI, console).
 * Secrets (SMTP password, Slack URL, webhook signing secret) come from the environment, named here.
 */
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, { error: 'an environment variable name (A-Z, 0-9, _)' });

const emailChannel = strict({
  type: z.literal('email'),
  to: z.array(z.email()).min(1),
  from: z.email(),
  smtp: strict({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** true: TLS from the first byte (465); false: STARTTLS when offered */
    secure: z.boolean().default(false),
    userEnv: envName.optional().describe('env var holding the SMTP user'),
    passwordEnv: envName.optional().describe('env var holding the SMTP password'),
  }),
});
const slackChannel = strict({
  type: z.literal('slack'),
  urlEnv: envName.describe('env var holding the incoming-webhook URL (it is a secret)'),
});
const webhookChannel = strict({
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }),
  secretEnv: envName.describe('env var holding the Standard Webhooks signing secret (whsec_…)'),
});
export const channelSchema = z.discriminatedUnion('type', [emailChannel, slackChannel, webhookChannel]);

const channels = z.array(z.string().min(1)).optional().describe('channel names (default: alerts.default)');
const rule = <T extends z.ZodRawShape>(shape: T) => strict({ enabled: z.boolean().default(true), channels, ...shape });

export const RULE_NAMES = ['deadLetter', 'failureRate', 'reauth', 'rateBudget', 'webhookRejections', 'triggerStalled', 'queueStalled', 'reconciliation', 'autoPause', 'channelFailing'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export const rulesSchema = strict({
  deadLetter: rule({}).default({ enabled: true }),
  failureRate: rule({ threshold: z.number().gt(0).max(1).default(0.5), windowMinutes: z.number().int().min(1).max(1440).default(15), minRuns: z.number().int().min(1).default(10) }).default({ enabled: true, threshold: 0.5, windowMinutes: 15, minRuns: 10 }),
  reauth: rule({}).default({ enabled: true }),
  rateBudget: rule({ dailyUsedRatio: z.number().gt(0).max(1).default(0.8) }).default({ enabled: true, dailyUsedRatio: 0.8 }),
  webhookRejections: rule({ count: z.number().int().min(1).default(20), windowMinutes: z.number().int().min(1).max(1440).default(10) }).default({ enabled: true, count: 20, windowMinutes: 10 }),
  triggerStalled: rule({ intervals: z.number().int().min(1).default(3) }).default({ enabled: true, intervals: 3 }),
  queueStalled: rule({ oldestMinutes: z.number().min(1).default(15) }).default({ enabled: true, oldestMinutes: 15 }),
  reconciliation: rule({}).default({ enabled: true }),
  autoPause: rule({ failureRatio: z.number().gt(0).max(1).default(0.95), minRuns: z.number().int().min(1).default(50) }).default({ enabled: true, failureRatio: 0.95, minRuns: 50 }),
  channelFailing: rule({}).default({ enabled: true }),
});

export const alertsSchema = strict({
  channels: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'a channel name: lower-case letters, digits, - and _' }), channelSchema).default({}),
  default: z.array(z.string().min(1)).default([]).describe('channels of every rule that names none'),
  rules: rulesSchema.default(rulesSchema.parse({})),
  reminders: strict({
    firstAfterMinutes: z.number().min(1).default(60),
    thenEveryHours: z.number().min(1).default(24),
  }).default({ firstAfterMinutes: 60, thenEveryHours: 24 }),
  digest: z.enum(['off', 'hourly', 'daily']).default('off'),
  /** how often the incident monitor looks at the database */
  checkSeconds: z.number().min(1).max(3600).default(15),
}).superRefine((alerts, ctx) => {
  const known = new Set(Object.keys(alerts.channels));
  const check = (names: string[] | undefined, path: (string | number)[]) => {
    for (const [i, name] of (names ?? []).entries()) if (!known.has(name)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `no channel "${name}" in alerts.channels` });
  };
  check(alerts.default, ['default']);
  for (const r of RULE_NAMES) check(alerts.rules[r].channels, ['rules', r, 'channels']);
});

export type AlertsConfig = z.output<typeof alertsSchema>;
export type ChannelConfig = z.output<typeof channelSchema>;
