/**
 * The sync engine: durable, idempotent recipes from source events to GHL, on embedded PGlite or a
 * PostgreSQL server. Events are stored before they are acknowledged; each matching recipe gets a
 * run; a run plans the exact GHL calls from the ledger and applies them step by step.
 *
 * @example
 * const engine = await createEngine({ db: await openDatabase(), ghl: async () => ({ client, locationId }) });
 * await engine.saveRecipe(recipe);
 * await engine.startWorker();
 * await engine.ingest({ source: 'recruitee', externalId: 'evt-1', type: 'candidate.created', payload });
 */
import { auditTrail } from './audit.js';
import { migrate } from './db/migrate.js';
import type { Database } from './db/types.js';
import { ingestEvent, recipeMatchesTrigger, type IncomingEvent } from './events.js';
import { pgBossQueue } from './queue/pg-boss.js';
import type { JobQueue } from './queue/types.js';
import { activeRecipes, saveRecipe } from './recipe-store.js';
import type { Recipe } from './recipes/types.js';
import { planFor, type GhlTarget, type RunnerDeps } from './runner.js';
import { getRun, listRuns, type RunStatus } from './runs.js';
import { replayDeadLetters, requeueOpenRuns, startWorker, type WorkerOptions } from './worker.js';

export interface EngineOptions {
  db: Database;
  /** Server URL when `db` is a PostgreSQL server (pg-boss then uses its own pool). */
  url?: string;
  queue?: JobQueue;
  ghl: (connectionId: string) => Promise<GhlTarget>;
  maxAttempts?: number;
  onCall?: RunnerDeps['onCall'];
}

export async function createEngine(options: EngineOptions) {
  const { db } = options;
  await migrate(db);
  const queue = options.queue ?? pgBossQueue(db, { url: options.url });
  await queue.start();
  const deps: RunnerDeps & { queue: JobQueue } = { db, queue, ghl: options.ghl, maxAttempts: options.maxAttempts, onCall: options.onCall };
  return {
    db,
    queue,
    saveRecipe: (recipe: Recipe) => saveRecipe(db, recipe),
    ingest: (event: IncomingEvent) => ingestEvent({ db, queue }, event),
    startWorker: (o?: WorkerOptions) => startWorker(deps, o),
    /** Enqueues runs left open without a job (after `db import`). */
    requeueOpenRuns: () => requeueOpenRuns({ db, queue }),
    /** The exact GHL calls and field diffs an event would cause, per matching recipe; writes nothing. */
    async dryRun(event: Omit<IncomingEvent, 'externalId'>) {
      const recipes = (await activeRecipes(db)).filter((r) => recipeMatchesTrigger(r, event.source, event.type));
      return Promise.all(recipes.map(async (recipe) => ({ recipeId: recipe.id, ...(await planFor(deps, recipe, event)) })));
    },
    replay: (runIds?: number[]) => replayDeadLetters({ db, queue }, runIds),
    runs: (filter?: { status?: RunStatus; recipeId?: string; limit?: number }) => listRuns(db, filter),
    run: (id: number) => getRun(db, id),
    audit: (contactId: string) => auditTrail(db, contactId),
    async close() {
      // let running jobs finish (bounded) before the database goes away under them
      await queue.stop({ graceful: true });
      await db.close();
    },
  };
}

export type Engine = Awaited<ReturnType<typeof createEngine>>;
export { rescheduleLongWaits, Reschedule, type GhlTarget } from './runner.js';
export type { IncomingEvent } from './events.js';
export { openDatabase, openPglite, openPostgres, migrate } from './db/index.js';
export type * from './recipes/types.js';
export type { Plan, PlannedCall, FieldDiff } from './plan/types.js';
export { ghlTargets, type GhlTargetsOptions } from './ghl-targets.js';
export * from './connections/index.js';
export { createSqlTokenStore, type SqlTokenStore } from './auth/index.js';
export { createSqlRateBudgetStore, type SqlRateBudgetStore } from './governor/index.js';
