import { processRun, type RunnerDeps, type TurnOutcome } from '../apply/run.js';
import { probeHeldConnections } from '../apply/probe.js';
import { releaseRecoveredConnections } from './holds.js';
import { CLAIM_LEASE_SECONDS, claimRuns, RUNS_CHANNEL, reapLapsedClaims, renewClaims, WORKER_ID, type ClaimedRun } from './runs.js';
import { Signal } from './signal.js';

export interface WorkerOptions {
  /** runs worked at once in this process (default by database: 16 embedded, 32 on a server) */
  concurrency?: number;
  /** most runs claimed by one statement (default 16) */
  batchSize?: number;
  /** longest sleep while the queue is empty; a new run wakes the worker before that (default 0.5 s) */
  pollingIntervalSeconds?: number;
  /** a claim not renewed for this long has lapsed: its worker died, another takes the run (default 30 s) */
  leaseSeconds?: number;
}

export const WORKER_DEFAULTS = {
  pglite: { concurrency: 16, batchSize: 16, pollingIntervalSeconds: 0.5, leaseSeconds: CLAIM_LEASE_SECONDS },
  postgres: { concurrency: 32, batchSize: 16, pollingIntervalSeconds: 0.5, leaseSeconds: CLAIM_LEASE_SECONDS },
} as const;

export interface RunWorker {
  /** Stops claiming; waits (bounded) for the runs in hand to end their turn. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** Runs held right now. */
  readonly inFlight: number;
  /** Runs it works at once. */
  readonly concurrency: number;
}

/**
 * Works the runs queue (the `runs` table): claims due runs in batches, works up to `concurrency`
 * side by side, and claims again as soon as a slot frees or a run arrives, so the worker is never
 * idle while work waits. It sleeps only on an empty queue, until a new run is announced (in this
 * process at once; from other processes by `NOTIFY` on a server), a run it put back falls due, or
 * the polling interval ends. A lane (GHL connection) waiting for rate budget is not claimed from
 * until its budget returns, so it holds no slot another location could use. Claims are renewed
 * while runs work; lapsed claims of dead workers are put back within a fraction of the lease.
 *
 * @example
 * const worker = await startWorker({ db, ghl, wake }, { concurrency: 16 });
 * await worker.stop();
 */
export async function startWorker(deps: RunnerDeps & { wake: Signal }, options: WorkerOptions = {}): Promise<RunWorker> {
  const { db, wake } = deps;
  const defaults = WORKER_DEFAULTS[db.kind];
  const slots = options.concurrency ?? defaults.concurrency;
  const batch = Math.max(1, Math.min(options.batchSize ?? defaults.batchSize, slots));
  const pollMs = (options.pollingIntervalSeconds ?? defaults.pollingIntervalSeconds) * 1000;
  const leaseSeconds = options.leaseSeconds ?? defaults.leaseSeconds;
  const held = new Map<number, Promise<void>>();
  const blockedLanes = new Map<string, number>();
  let stopping = false;

  // The embedded database belongs to this process: a run left running by another worker id was held by a process that is gone.
  if (db.kind === 'pglite') await reapLapsedClaims(db, { leaseSeconds, allBut: WORKER_ID });
  const unlisten = db.listen ? await db.listen(RUNS_CHANNEL, () => wake.fire()) : null;

  const lanesBlockedNow = (now: number): string[] => {
    const lanes: string[] = [];
    for (const [lane, until] of blockedLanes) {
      if (until > now) lanes.push(lane);
      else blockedLanes.delete(lane);
    }
    return lanes;
  };

  const work = (run: ClaimedRun) => {
    const turn = processRun({ ...deps, workerId: WORKER_ID }, run)
      .then((outcome: TurnOutcome) => {
        if (outcome.kind !== 'requeued') return;
        if (outcome.laneBlockedUntil && run.lane) blockedLanes.set(run.lane, Math.max(blockedLanes.get(run.lane) ?? 0, outcome.laneBlockedUntil));
        wake.fireAt(outcome.at);
      })
      .catch((error: unknown) => {
        // the database failed under the run: its claim lapses and it is taken again
        deps.log?.('error', `run ${run.id} stopped: ${(error as Error).message}`, { event: 'run.stopped', runId: run.id, recipeId: run.recipeId, connection: run.lane, cause: (error as Error).message });
      })
      .finally(() => {
        held.delete(run.id);
        wake.fire();
      });
    held.set(run.id, turn);
  };

  const loop = (async () => {
    while (!stopping) {
      const free = slots - held.size;
      if (free <= 0) {
        await wake.wait(pollMs);
        continue;
      }
      const want = Math.min(free, batch);
      let runs: ClaimedRun[];
      try {
        runs = await claimRuns(db, { limit: want, workerId: WORKER_ID, blockedLanes: lanesBlockedNow(Date.now()) });
      } catch (error) {
        if (stopping) break;
        deps.log?.('warn', `claiming runs failed: ${(error as Error).message}`, { event: 'worker.claim-failed', cause: (error as Error).message });
        await wake.wait(pollMs);
        continue;
      }
      for (const run of runs) work(run);
      // A full batch: more may wait, claim again at once. Otherwise sleep until something changes.
      if (runs.length < want) await wake.wait(nextWake(blockedLanes, pollMs));
    }
  })();

  // Renew what this worker holds; put back what dead workers held.
  const renewMs = (leaseSeconds * 1000) / 3;
  const renewal = setInterval(() => {
    if (held.size === 0) return;
    void renewClaims(db, [...held.keys()], WORKER_ID).catch((error: unknown) => deps.log?.('warn', `renewing claims failed: ${(error as Error).message}`, { event: 'worker.renew-failed', runs: held.size, cause: (error as Error).message }));
  }, renewMs);
  const reapMs = Math.max(250, (leaseSeconds * 1000) / 6);
  const reaper = setInterval(() => {
    void reapLapsedClaims(db, { leaseSeconds })
      .then((ids) => ids.length > 0 && wake.fire())
      .catch((error: unknown) => deps.log?.('warn', `reaping lapsed claims failed: ${(error as Error).message}`, { event: 'worker.reap-failed', cause: (error as Error).message }));
    // a held connection is tried again now and then: its credentials may work again without us
    void probeHeldConnections(deps, leaseSeconds)
      .then((ids) => ids.length > 0 && wake.fire())
      .catch((error: unknown) => deps.log?.('warn', `trying held connections again failed: ${(error as Error).message}`, { event: 'worker.probe-failed', cause: (error as Error).message }));
    // a connection with new credentials since its hold: its waiting runs go again
    void releaseRecoveredConnections(db)
      .then((ids) => {
        for (const id of ids) deps.log?.('info', `connection ${id} has new credentials: the runs that waited for it resume`, { event: 'connection.reauthorized', connection: id });
        if (ids.length > 0) wake.fire();
      })
      .catch((error: unknown) => deps.log?.('warn', `releasing re-authorized connections failed: ${(error as Error).message}`, { event: 'worker.release-failed', cause: (error as Error).message }));
  }, reapMs);
  renewal.unref();
  reaper.unref();

  return {
    get inFlight() {
      return held.size;
    },
    concurrency: slots,
    async stop({ timeoutMs = 5_000 } = {}) {
      stopping = true;
      clearInterval(reaper);
      wake.clear();
      await loop;
      const ended = Promise.allSettled([...held.values()]);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
      clearInterval(renewal);
      await unlisten?.();
    },
  };
}

/** How long to sleep on an empty queue: the polling interval, or less when a blocked lane frees sooner. */
function nextWake(blockedLanes: Map<string, number>, pollMs: number, now = Date.now()): number {
  let ms = pollMs;
  for (const until of blockedLanes.values()) ms = Math.min(ms, Math.max(0, until - now));
  return ms;
}
