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
import type { AppActions } from './apply/apps.js';
import { auditTrail } from './ledger/audit.js';
import { createRejectionLog, type RejectionInput, type RejectionLogOptions } from './ingest/rejections.js';
import { isGhlEcho, isRecordEcho, learnGhlContact, learnRecord, linksOf, recordLinksOf } from './ledger/ghl-observe.js';
import { migrate } from './db/migrate.js';
import type { Database } from './db/types.js';
import type { EngineLog } from './log.js';
import type { EngineMetrics } from './metrics.js';
import { ingestEvent, recipeMatchesTrigger, type IncomingEvent } from './ingest/events.js';
import { activeRecipes, recipeVersionCache, saveRecipe } from './recipes/store.js';
import type { Recipe } from './recipes/types.js';
import { saveRecipeVersion, type SaveMode } from './recipes/versions.js';
import { type GhlTargets, type RunnerDeps } from './apply/run.js';
import { planFor } from './plan/event.js';
import { listConnectionHolds, listPauses, pauseRecipe, resumeRecipe } from './queue/holds.js';
import { dismissDeadLetters } from './queue/dismiss.js';
import { runHistory } from './queue/history.js';
import { openRunCount, replayDeadLetters, type ReplayOptions } from './queue/replay.js';
import type { DeadLetterSelection } from './queue/selection.js';
import { getRun, listRuns, type RunStatus } from './queue/runs.js';
import { Signal } from './queue/signal.js';
import { startWorker, type RunWorker, type WorkerOptions } from './queue/worker.js';

export interface EngineOptions {
  db: Database;
  ghl: GhlTargets;
  /** Real faults before a run is dead-lettered (default 5); waits for budget never count. */
  maxAttempts?: number;
  onCall?: RunnerDeps['onCall'];
  /** Source-app actions for `type: app` recipe actions (`connectorActions` from the connectors). */
  apps?: AppActions;
  /** In-process counters (the server's `/metrics`). */
  metrics?: EngineMetrics;
  /** Where dead letters (one warn line each, with structured fields) and worker trouble are told (default: nowhere). */
  log?: EngineLog;
  /** How refused webhook deliveries are kept (per-connection rate, retention). */
  rejections?: Pick<RejectionLogOptions, 'perMinute' | 'retentionDays'>;
}

export async function createEngine(options: EngineOptions) {
  const { db } = options;
  await migrate(db);
  // new runs wake this process's workers at once (other processes hear a NOTIFY)
  const wake = new Signal();
  const deps: RunnerDeps & { wake: Signal } = { db, wake, ghl: options.ghl, recipes: recipeVersionCache(db), maxAttempts: options.maxAttempts, onCall: options.onCall, apps: options.apps, metrics: options.metrics, log: options.log };
  const workers: RunWorker[] = [];
  const rejections = createRejectionLog(db, { ...options.rejections, onUnrecorded: (c) => options.metrics?.rejectionUnrecorded?.(c), log: options.log });
  return {
    db,
    saveRecipe: (recipe: Recipe, text?: string) => saveRecipe(db, recipe, text),
    /** Saves as the recipe's next version (`next`), or as `start` loads a file (`file`: never behind the database); see `saveRecipeVersion`. */
    saveRecipeVersion: (recipe: Recipe, o: { text?: string; mode: SaveMode }) => saveRecipeVersion(db, recipe, o),
    ingest: (event: IncomingEvent) => ingestEvent({ db, wake, metrics: options.metrics }, event),
    /** Records a refused webhook delivery, bounded per connection (see `createRejectionLog`). */
    recordRejection: (r: RejectionInput) => rejections.record(r),
    /** Works the runs queue in this process until `close` (see `startWorker`). */
    async startWorker(o?: WorkerOptions): Promise<RunWorker> {
      const worker = await startWorker(deps, o);
      workers.push(worker);
      return worker;
    },
    /** Runs queued or running (a running one whose worker died is taken again once its lease lapses). */
    openRuns: () => openRunCount(db),
    /** The exact GHL calls and field diffs an event would cause, per matching recipe; writes nothing. */
    async dryRun(event: Omit<IncomingEvent, 'externalId' | 'recipeIds'>) {
      const recipes = (await activeRecipes(db)).filter((r) => recipeMatchesTrigger(r, event.source, event.type));
      return Promise.all(recipes.map(async (recipe) => ({ recipeId: recipe.id, ...(await planFor(deps, recipe, event)) })));
    },
    /** Pauses a recipe: its runs wait, queued, until `resumeRecipe` (events are still taken in). */
    pauseRecipe: (recipeId: string, o: { by: 'auto' | 'user'; reason: string }) => pauseRecipe(db, recipeId, o),
    /** Resumes a paused recipe; this process's workers are woken (others hear a NOTIFY). */
    async resumeRecipe(recipeId: string): Promise<boolean> {
      const resumed = await resumeRecipe(db, recipeId);
      if (resumed) wake.fire();
      return resumed;
    },
    /** What makes runs wait: paused recipes and connections to re-authorize. */
    holds: async () => ({ recipes: await listPauses(db), connections: await listConnectionHolds(db) }),
    /** Replays dead letters (given ids, else all) with their recipe's newest version; answers the run ids. */
    replay: async (runIds?: number[]) => (await replayDeadLetters(db, runIds ? { runIds } : { all: true }, {}, wake)).map((r) => r.runId),
    /** Replays the selected dead letters (newest recipe version unless `originalVersion`), with the versions each used. */
    replayDeadLetters: (selection: DeadLetterSelection, o?: ReplayOptions) => replayDeadLetters(db, selection, o, wake),
    /** Dismisses the selected dead letters with a reason: kept, never run again. */
    dismissDeadLetters: (selection: DeadLetterSelection, reason: string, actor?: string) => dismissDeadLetters(db, selection, reason, actor),
    /** What was done to a run (dead-lettered, replayed, dismissed …), oldest first. */
    history: (runId: number) => runHistory(db, runId),
    /** A saved recipe version (cached: a version never changes). */
    recipeVersion: (id: string, version: number) => deps.recipes(id, version),
    runs: (filter?: { status?: RunStatus; recipeId?: string; limit?: number }) => listRuns(db, filter),
    run: (id: number) => getRun(db, id),
    audit: (contactId: string) => auditTrail(db, contactId),
    /** Source records linked to a GHL contact: `{ [source]: sourceId }`. */
    links: (ghlContactId: string) => linksOf(db, ghlContactId),
    /** Source records linked to a GHL task or note. */
    recordLinks: (kind: 'task' | 'note', ghlId: string) => recordLinksOf(db, kind, ghlId),
    /** A GHL contact as a webhook shows it: true for an echo of our own write (loop prevention). */
    isGhlEcho: (contact: Record<string, unknown>) => isGhlEcho(db, contact),
    /** The ledger learns a GHL contact state that is not ours (after its event is stored). */
    learnGhlContact: (contact: Record<string, unknown>) => learnGhlContact(db, contact),
    /** A GHL task or note state equal to what we last wrote (our echo). */
    isRecordEcho: (kind: 'task' | 'note', ghlId: string, shown: Record<string, unknown>) => isRecordEcho(db, kind, ghlId, shown),
    /** The ledger learns a GHL task or note state that is not ours. */
    learnRecord: (kind: 'task' | 'note', ghlId: string, shown: Record<string, unknown>) => learnRecord(db, kind, ghlId, shown),
    async close() {
      // let running runs end their turn (bounded) before the database goes away under them
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await rejections.flush().catch((error: unknown) => options.log?.('warn', `writing the count of unrecorded webhook refusals failed: ${(error as Error).message}`));
      await db.close();
    },
  };
}

export type Engine = Awaited<ReturnType<typeof createEngine>>;
export { rescheduleLongWaits, Reschedule, type GhlTarget, type GhlTargets } from './apply/run.js';
export { WORKER_DEFAULTS, type RunWorker, type WorkerOptions } from './queue/worker.js';
export { holdConnection, listConnectionHolds, listPauses, pauseRecipe, releaseRecoveredConnections, resumeRecipe, type ConnectionHold, type RecipePause } from './queue/holds.js';
export type { IncomingEvent } from './ingest/events.js';
export type { EngineMetrics } from './metrics.js';
export type { EngineLog, EngineLogLevel } from './log.js';
export { openDatabase, openPglite, openPostgres, migrate } from './db/index.js';
export type * from './recipes/types.js';
export type { Plan, PlannedCall, FieldDiff } from './plan/types.js';
export { ghlTargets, type GhlTargetsOptions } from './apply/ghl-targets.js';
export { AppActionError, type AppActions, type AppActionInfo } from './apply/apps.js';
export { readContactView, type ContactView } from './apply/contact-view.js';
export { readCursor, writeCursor, resetCursor } from './ingest/cursors.js';
export { recordRejection, listRejections, recordReplay, listReplays, redactHeaders, keptHeaders, createRejectionLog, type RejectionInput, type RejectionLogOptions, type WebhookRejection, type WebhookReplay } from './ingest/rejections.js';
export { MAX_PAYLOAD_DEPTH, PayloadTooDeepError, jsonNestingDepth, storableJson, storableText } from './ingest/storable.js';
export { isGhlEcho, isRecordEcho, learnGhlContact, learnRecord, linksOf, recordLinksOf } from './ledger/ghl-observe.js';
export { recipeMatchesTrigger } from './ingest/events.js';
export { activeRecipes } from './recipes/store.js';
export { recipeHistory, recipeVersionText, type SaveMode, type SaveOutcome, type VersionInfo } from './recipes/versions.js';
export { recipeLocator, type RecipeLocation } from './recipes/locate.js';
export { explainDeadLetter, type DeadLetterExplanation, type ExplainContext } from './queue/explain.js';
export { EmptySelectionError, type DeadLetterSelection } from './queue/selection.js';
export type { ReplayOptions, ReplayedRun } from './queue/replay.js';
export type { RunHistoryEntry } from './queue/history.js';
export * from './connections/index.js';
export { createSqlTokenStore, type SqlTokenStore } from './auth/index.js';
export { createSqlRateBudgetStore, type SqlRateBudgetStore } from './governor/index.js';
