/** Response shapes of the incidents and alerts routes (the console's typed client is generated from them). */
import { z } from 'zod';

export const incidentSchema = z.object({
  id: z.number(),
  rule: z.string().describe('a rule of alerts.rules (deadLetter, failureRate, reauth, …)'),
  key: z.string().describe('what groups occurrences into one incident'),
  status: z.enum(['open', 'resolved']),
  recipeId: z.string().nullable(),
  connectionId: z.string().nullable(),
  locationId: z.string().nullable(),
  cause: z.string().describe('one line: what broke'),
  advice: z.string().describe('what to do about it'),
  count: z.number(),
  firstRunId: z.number().nullable(),
  latestRunId: z.number().nullable(),
  openedAt: z.string(),
  lastSeen: z.string(),
  resolvedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  mutedUntil: z.string().nullable(),
  nextReminderAt: z.string().nullable(),
  reminders: z.number(),
  details: z.record(z.string(), z.unknown()),
});

export const incidentNotificationSchema = z.object({
  id: z.number(),
  kind: z.string(),
  channel: z.string(),
  status: z.string(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

export const notificationSummarySchema = incidentNotificationSchema.extend({
  incidentId: z.number().nullable(),
  nextAt: z.string(),
  cause: z.string().nullable(),
});

export const channelSummarySchema = z.object({
  name: z.string(),
  type: z.string().describe('email, slack or webhook'),
  default: z.boolean().describe('told about every incident unless a recipe names others'),
  target: z.string().describe('where it sends, without secrets'),
  missingEnv: z.array(z.string()).describe('env vars it needs that the server lacks'),
});
