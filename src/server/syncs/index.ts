/**
 * Full syncs run in the server process: one `AbortController` per sync id (cancel), live progress
 * from the runtime's `onProgress` (the `syncs` row is only written at the end), and a resume that
 * continues under the same id without ingesting a record twice.
 *
 * Claims are taken synchronously, before any await: a sync id, and a connection + recipe pair,
 * are reserved in this process's maps first, so two requests racing cannot both start one.
 */
import type { Logger } from 'pino';
import type { Condition } from '../../engine/recipes/types.js';
import type { Bridge } from '../bridge.js';
import { ApiError } from '../http/errors.js';
import { failSync, insertSync } from '../queries/syncs.js';

export interface SyncProgress {
  records: number;
  matched: number;
  ingested: number;
}

interface Running {
  controller: AbortController;
  progress: SyncProgress;
  done: Promise<void>;
}

interface SyncTarget {
  connectionId: string;
  recipeId: string;
  filter?: Condition;
}

const pairOf = (o: SyncTarget) => JSON.stringify([o.connectionId, o.recipeId]);

/**
 * @example
 * const syncs = createSyncManager(bridge, logger);
 * const id = await syncs.start({ connectionId: 'erp-main', recipeId: 'erp-customers' });
 * syncs.cancel(id);
 * await syncs.close();
 */
export function createSyncManager(bridge: Pick<Bridge, 'db' | 'runtime'>, logger: Logger) {
  const running = new Map<number, Running>();
  /** connection + recipe → the sync id running it here (0 while its row is being inserted) */
  const pairs = new Map<string, number>();

  /** Reserves the pair or refuses: one full sync of a connection through a recipe at a time. */
  function claimPair(o: SyncTarget, id: number): string {
    const key = pairOf(o);
    const holder = pairs.get(key);
    if (holder !== undefined) throw new ApiError(409, 'conflict', `a full sync of "${o.connectionId}" through "${o.recipeId}" is already running${holder ? ` (sync ${holder})` : ''}; wait for it, or cancel it first`);
    pairs.set(key, id);
    return key;
  }

  /** Starts listing in the background; the entry is in the map before this returns. */
  function launch(id: number, o: SyncTarget, pair: string, takeOver: boolean): void {
    const controller = new AbortController();
    const progress: SyncProgress = { records: 0, matched: 0, ingested: 0 };
    const listing = async () => {
      // left `running` by a process that is gone (this one does not run it: it was not in the map);
      // marked as the cancel route does, so the runtime resumes it instead of waiting for it to go stale
      if (takeOver) await failSync(bridge.db, id, 'cancelled', 'taken over: it was running in no live process (the server stopped mid-sync)');
      controller.signal.throwIfAborted();
      await bridge.runtime.fullSync({ connectionId: o.connectionId, recipeId: o.recipeId, filter: o.filter, resume: id, signal: controller.signal, progressEvery: 10, onProgress: (p) => Object.assign(progress, { records: p.records, matched: p.matched, ingested: p.ingested }) });
    };
    const done = listing()
      .then(
        () => logger.info({ syncId: id, ...progress }, 'full sync done'),
        async (e: unknown) => {
          const cancelled = controller.signal.aborted;
          // the runtime records its own failures; this covers one before it started listing
          await failSync(bridge.db, id, cancelled ? 'cancelled' : 'failed', (e as Error).message).catch(() => undefined);
          if (cancelled) logger.info({ syncId: id }, 'full sync cancelled');
          else logger.warn({ syncId: id, err: (e as Error).message }, 'full sync failed');
        },
      )
      .finally(() => {
        running.delete(id);
        pairs.delete(pair);
      });
    running.set(id, { controller, progress, done });
  }

  return {
    /** Inserts the sync row and starts listing in the background; answers its id at once. 409 while the same pair runs here. */
    async start(o: SyncTarget): Promise<number> {
      const pair = claimPair(o, 0);
      let id: number;
      try {
        id = await insertSync(bridge.db, o);
      } catch (e) {
        pairs.delete(pair);
        throw e;
      }
      pairs.set(pair, id);
      launch(id, o, pair, false);
      return id;
    },
    /**
     * Continues an interrupted (cancelled, failed, or orphaned) sync under its id. Synchronous, so
     * the check and the claim cannot interleave with another resume: 409 when it already runs here
     * or its pair does. A row still `running` here is not this process's, so it is taken over.
     */
    resume(id: number, o: SyncTarget & { status: string }): void {
      if (running.has(id)) throw new ApiError(409, 'conflict', `sync ${id} is running`);
      const pair = claimPair(o, id);
      launch(id, o, pair, o.status === 'running');
    },
    isRunning: (id: number) => running.has(id),
    progress: (id: number): SyncProgress | null => (running.get(id) ? { ...running.get(id)!.progress } : null),
    /** Aborts a running sync; resolves once it stopped (its row saved). False when it does not run here. */
    async cancel(id: number): Promise<boolean> {
      const r = running.get(id);
      if (!r) return false;
      r.controller.abort();
      await r.done;
      return true;
    },
    /** Aborts every running sync (server shutdown) and waits until their rows are saved; they can be resumed later. */
    async close(): Promise<void> {
      const all = [...running.values()];
      for (const r of all) r.controller.abort();
      await Promise.all(all.map((r) => r.done));
    },
  };
}

export type SyncManager = ReturnType<typeof createSyncManager>;
