/**
 * Schedules (recipe 10 and scheduled polls): YAML documents beside the recipes
 * (`recipes/*.schedule.yaml`) that run a full sync of an app's records through a recipe, or a
 * poll trigger, on a cron. A full sync that a crash interrupted is resumed by its next turn.
 */
import { z } from 'zod';
import { capIssues } from '../../engine/text/cap.js';
import { textProblem } from '../../engine/text/decode.js';
import { RECIPE_TEXT_LIMIT, sizeProblem } from '../../engine/text/limits.js';
import { readRecipeFile } from '../../engine/text/recipe-file.js';
import { runSteps } from '../../engine/text/steps.js';
import { readYaml } from '../../engine/text/yaml.js';
import { conditionSchema, strict } from '../../engine/recipes/schema-values.js';
import { toRecipeIssues, type RecipeIssue } from '../../engine/recipes/schema-errors.js';
import { validateCron } from '../../engine/recipes/cron.js';
import type { Condition } from '../../engine/recipes/types.js';
import type { ConnectorRuntime } from './index.js';
import { startPolling, type PollSchedule } from './scheduler.js';

const cron = z.string().superRefine((value, ctx) => {
  const problem = validateCron(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `invalid schedule: ${problem}` });
});
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, { error: 'an id is 1-100 letters, digits, ".", "_", ":" or "-"' });

export const scheduleSchema = z.discriminatedUnion('kind', [
  strict({
    kind: z.literal('fullSync'),
    id,
    connection: z.string().min(1).describe('The app connection whose records are listed'),
    recipe: z.string().min(1).describe('The recipe that runs each record'),
    schedule: cron,
    filter: conditionSchema.optional().describe('Only records matching it, e.g. { path: customer.businessId, equals: b-42 }'),
  }),
  strict({ kind: z.literal('poll'), id, connection: z.string().min(1), trigger: z.string().min(1).describe('A poll trigger id of the catalog'), schedule: cron }),
]);

export type Schedule = { kind: 'fullSync'; id: string; connection: string; recipe: string; schedule: string; filter?: Condition } | { kind: 'poll'; id: string; connection: string; trigger: string; schedule: string };

/**
 * Reads a schedule from YAML or JSON text; problems come back with their path.
 *
 * @example
 * const s = parseSchedule(readFileSync('recipes/erp-nightly.schedule.yaml', 'utf8'));
 */
export function parseSchedule(text: string): { ok: true; schedule: Schedule } | { ok: false; errors: RecipeIssue[] } {
  const problem = sizeProblem('schedule', Buffer.byteLength(text, 'utf8'), RECIPE_TEXT_LIMIT) ?? textProblem(text, 'text');
  if (problem) return { ok: false, errors: [{ path: '', message: problem }] };
  const read = runSteps(readYaml(text));
  if (!read.ok) return { ok: false, errors: capIssues(read.issues, read.total) };
  const r = scheduleSchema.safeParse(read.data);
  return r.success ? { ok: true, schedule: r.data as Schedule } : { ok: false, errors: capIssues(toRecipeIssues(r.error.issues, read.data)) };
}

/** Reads a schedule file, failing with every problem listed. */
export function loadSchedule(file: string): Schedule {
  const text = readRecipeFile(file);
  if (!text.ok) throw new Error(`${file}: ${text.problem}`);
  const r = parseSchedule(text.text);
  if (!r.ok) throw new Error(`${file}: ${r.errors.map((e) => `${e.path || '(schedule)'}: ${e.message}`).join('; ')}`);
  return r.schedule;
}

/** What one turn of a schedule did, for logs and the admin API. */
export type ScheduleReport = { schedule: string; kind: 'fullSync'; syncId: number; records: number; matched: number } | { schedule: string; kind: 'poll'; ingested: number; duplicates: number };

/**
 * One turn of a schedule. A full sync left `running` by a crash is resumed (its records are not
 * ingested twice) rather than started afresh.
 */
export async function runSchedule(runtime: ConnectorRuntime, schedule: Schedule, options: { signal?: AbortSignal; onProgress?: (p: { syncId: number; records: number; matched: number }) => void } = {}): Promise<ScheduleReport> {
  const { signal, onProgress } = options;
  if (schedule.kind === 'poll') {
    const r = await runtime.poll(schedule.connection, schedule.trigger, { signal });
    return { schedule: schedule.id, kind: 'poll', ingested: r.ingested, duplicates: r.duplicates };
  }
  // resume the last interrupted sync of this schedule (failed, cancelled, or running with no progress for minutes)
  const { rows } = await runtime.engine.db.query<{ id: string }>(
    `select id from syncs where schedule_id = $1 and (status in ('failed', 'cancelled') or (status = 'running' and updated_at < now() - interval '120 seconds')) order by id desc limit 1`,
    [schedule.id],
  );
  const resume = rows[0] ? Number(rows[0].id) : undefined;
  let last = { syncId: resume ?? 0, records: 0, matched: 0 };
  const { syncId } = await runtime.fullSync({ connectionId: schedule.connection, recipeId: schedule.recipe, filter: schedule.filter, resume, scheduleId: schedule.id, signal, onProgress: (p) => { last = p; onProgress?.(p); } });
  return { schedule: schedule.id, kind: 'fullSync', syncId, records: last.records, matched: last.matched };
}

/**
 * Runs schedules on their crons in this process (one turn of a schedule at a time).
 *
 * @example
 * const stop = startSchedules(runtime, [loadSchedule('recipes/erp-nightly.schedule.yaml')], { onReport: console.log, onError: console.error });
 */
export function startSchedules(runtime: ConnectorRuntime, schedules: Schedule[], options: { onReport?: (r: ScheduleReport) => void; onError: (schedule: string, error: unknown) => void; now?: () => number }): () => Promise<void> {
  const jobs: PollSchedule[] = schedules.map((s) => ({
    name: s.id,
    cron: s.schedule,
    run: async (signal) => options.onReport?.(await runSchedule(runtime, s, { signal })),
  }));
  return startPolling(jobs, { onError: options.onError, now: options.now });
}
