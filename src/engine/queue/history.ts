import type { Queryable } from '../db/types.js';

/** One thing done to a run: dead-lettered, replayed (which versions), dismissed (why), paused, resumed. */
export interface RunHistoryEntry {
  at: string;
  action: string;
  detail: Record<string, unknown>;
  actor: string | null;
}

/**
 * A run's history, oldest first.
 *
 * @example
 * await runHistory(db, 7);
 * // [{ action: 'dead-lettered', detail: { code: 'MAPPING', step: null, reason: '…' } }, { action: 'replayed', detail: { fromVersion: 1, toVersion: 2 } }]
 */
export async function runHistory(db: Queryable, runId: number): Promise<RunHistoryEntry[]> {
  const { rows } = await db.query<{ at: Date | string; action: string; detail: Record<string, unknown>; actor: string | null }>(
    'select at, action, detail, actor from run_history where run_id = $1 order by id',
    [runId],
  );
  return rows.map((r) => ({ at: new Date(r.at).toISOString(), action: r.action, detail: r.detail, actor: r.actor }));
}
