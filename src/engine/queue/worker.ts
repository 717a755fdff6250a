import type { Database } from '../db/types.js';
import { RUNS_QUEUE } from '../ingest/events.js';
import type { JobQueue } from './types.js';
import { processRun, Reschedule, type RunnerDeps } from '../apply/run.js';
import { CLAIM_LEASE_SECONDS } from './runs.js';

export interface WorkerOptions {
  /** parallel work loops in this process (default 4) */
  concurrency?: number;
  /** jobs fetched at once per loop and run side by side (default 5) */
  batchSize?: number;
  pollingIntervalSeconds?: number;
}

/**
 * Creates the runs queue (idempotent). Done when the engine opens, so runs ingested before any
 * worker starts (an ingress process, a server whose workers start later) are never sent to a
 * queue that does not exist yet. A job of a crashed worker expires and is retried after the run's
 * claim lease has lapsed.
 */
export async function createRunsQueue(queue: JobQueue): Promise<void> {
  await queue.createQueue(RUNS_QUEUE, { retryLimit: 10, retryDelaySeconds: CLAIM_LEASE_SECONDS, retryBackoff: false, expireInSeconds: CLAIM_LEASE_SECONDS });
}

/**
 * Works the runs queue: each job is one run. A run that must wait is re-enqueued with
 * `startAfter` (no worker slot is held while a location has no budget); everything else ends in
 * the run's own status (succeeded, skipped, or dead-lettered with the reason).
 *
 * @example
 * await startWorker({ db, queue, ghl }, { concurrency: 4 });
 */
export async function startWorker(deps: RunnerDeps & { queue: JobQueue }, options: WorkerOptions = {}): Promise<void> {
  await createRunsQueue(deps.queue);
  const loops = options.concurrency ?? 4;
  for (let i = 0; i < loops; i++) {
    await deps.queue.work<{ runId: number }>(RUNS_QUEUE, { batchSize: options.batchSize ?? 5, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5 }, async (jobs) => {
      await Promise.all(jobs.map((job) => runJob(deps, job.data.runId)));
    });
  }
}

/** One job: process, or re-enqueue for later. Infrastructure errors propagate (the queue retries). */
export async function runJob(deps: RunnerDeps & { queue: JobQueue }, runId: number): Promise<void> {
  try {
    await processRun(deps, runId);
  } catch (error) {
    if (!(error instanceof Reschedule)) throw error;
    await deps.queue.send(RUNS_QUEUE, { runId }, { startAfter: error.at });
  }
}

/**
 * Re-queues dead-lettered runs (one or all). A run with an interrupted step keeps its plan and
 * journal (the step is resolved before anything is re-sent); any other run is planned afresh from
 * the ledger, which already holds what its finished steps wrote.
 */
export async function replayDeadLetters(deps: { db: Database; queue: JobQueue }, runIds?: number[]): Promise<number[]> {
  return deps.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; replanned: boolean }>(
      `update runs r set status = 'queued', attempts = 0, error = null, finished_at = null,
          plan = case when exists (select 1 from run_steps s where s.run_id = r.id and s.status = 'started') then r.plan else null end
        where r.status = 'dead' and ($1::bigint[] is null or r.id = any($1::bigint[]))
        returning r.id, r.plan is null as replanned`,
      [runIds ?? null],
    );
    const replanned = rows.filter((r) => r.replanned).map((r) => Number(r.id));
    if (replanned.length > 0) await tx.query('delete from run_steps where run_id = any($1::bigint[])', [replanned]);
    const ids = rows.map((r) => Number(r.id));
    for (const id of ids) await deps.queue.send(RUNS_QUEUE, { runId: id }, { tx });
    return ids;
  });
}

/**
 * Enqueues every run left queued or running without a job (after `db import`, or when the queue
 * was purged); a run already held by a live worker is protected by its claim.
 */
export async function requeueOpenRuns(deps: { db: Database; queue: JobQueue }): Promise<number> {
  const { rows } = await deps.db.query<{ id: string }>(`select id from runs where status in ('queued', 'running') and dry_run = false order by id`);
  for (const r of rows) await deps.queue.send(RUNS_QUEUE, { runId: Number(r.id) });
  return rows.length;
}
