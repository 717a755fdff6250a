/**
 * Full syncs run in the server process: one `AbortController` per sync id (cancel), live progress
 * from the runtime's `onProgress` (the `syncs` row is only written at the end), and a resume that
 * continues under the same id without ingesting a record twice.
 */
import type { Logger } from 'pino';
import type { Condition } from '../../engine/recipes/types.js';
import type { Bridge } from '../bridge.js';
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

/**
 * @example
 * const syncs = createSyncManager(bridge, logger);
 * const id = await syncs.start({ connectionId: 'erp-main', recipeId: 'erp-customers' });
 * syncs.cancel(id);
 * await syncs.close();
 */
export function createSyncManager(bridge: Pick<Bridge, 'db' | 'runtime'>, logger: Logger) {
  const running = new Map<number, Running>();

  function run(id: number, o: { connectionId: string; recipeId: string; filter?: Condition }): void {
    const controller = new AbortController();
    const progress: SyncProgress = { records: 0, matched: 0, ingested: 0 };
    const done = bridge.runtime
      .fullSync({ connectionId: o.connectionId, recipeId: o.recipeId, filter: o.filter, resume: id, signal: controller.signal, progressEvery: 10, onProgress: (p) => Object.assign(progress, { records: p.records, matched: p.matched, ingested: p.ingested }) })
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
      .finally(() => running.delete(id));
    running.set(id, { controller, progress, done });
  }

  return {
    /** Inserts the sync row and starts listing in the background; answers its id at once. */
    async start(o: { connectionId: string; recipeId: string; filter?: Condition }): Promise<number> {
      const id = await insertSync(bridge.db, o);
      run(id, o);
      return id;
    },
    /** Continues an interrupted (cancelled, failed, or orphaned) sync under its id. */
    resume(id: number, o: { connectionId: string; recipeId: string; filter?: Condition }): void {
      run(id, o);
    },
    isRunning: (id: number) => running.has(id),
    progress: (id: number): SyncProgress | null => (running.get(id) ? { ...running.get(id)!.progress } : null),
    /** Aborts a running sync; resolves once it stopped. False when it does not run here. */
    async cancel(id: number): Promise<boolean> {
      const r = running.get(id);
      if (!r) return false;
      r.controller.abort();
      await r.done;
      return true;
    },
    /** Aborts every running sync (server shutdown); they can be resumed later. */
    async close(): Promise<void> {
      const all = [...running.values()];
      for (const r of all) r.controller.abort();
      await Promise.all(all.map((r) => r.done));
    },
  };
}

export type SyncManager = ReturnType<typeof createSyncManager>;
