/** Response shapes of the syncs routes (the console's typed client is generated from them). */
import { z } from 'zod';

export const SYNC_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;

export const syncListItemSchema = z.object({
  id: z.number(),
  connectionId: z.string(),
  recipeId: z.string().nullable(),
  scheduleId: z.string().nullable().describe('the schedule that started it, if one did'),
  status: z.string().describe('queued, running, done (the listing ended), failed or cancelled'),
  filter: z.unknown(),
  error: z.string().nullable(),
  records: z.number().describe('records the app listed'),
  matched: z.number(),
  ingested: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable().describe('when the listing ended'),
  running: z.boolean().describe('listing now in this server process'),
});

export const syncCompletionSchema = z.object({
  done: z.number().describe('runs of the sync that finished (succeeded, skipped, dead or dismissed)'),
  total: z.number().describe('runs of the sync so far (grows while the app is listed)'),
  listing: z.boolean().describe('the app is still being listed: the total is not final'),
  complete: z.boolean().describe('the listing ended (status done) and every run finished; a cancelled or failed sync is not complete'),
  percent: z.number().describe('done / total, 0 to 100'),
  ratePerSecond: z.number().describe('runs finished per second since the sync started'),
  etaSeconds: z.number().nullable().describe('seconds until every run finished at this rate (null while listing, when the listing stopped, or before any run finished)'),
  elapsedSeconds: z.number(),
});

export const syncDetailSchema = z.object({
  syncId: z.number(),
  status: z.string(),
  records: z.number(),
  matched: z.number(),
  ingested: z.number(),
  runs: z.record(z.string(), z.number()).describe('runs of this sync by status'),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  failed: z.number(),
  connection: z.string(),
  recipe: z.string().nullable(),
  filter: z.unknown(),
  running: z.boolean(),
  progress: z.object({ records: z.number(), matched: z.number(), ingested: z.number() }).describe('the listing: live while it runs'),
  completion: syncCompletionSchema,
  failedRunIds: z.array(z.number()).describe('the dead runs of this sync, newest first (at most 100): open them at /runs/{id}'),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const syncAcceptedSchema = z.object({ id: z.number() });
