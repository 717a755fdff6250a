import type { Database } from '../db/types.js';
import { RUNS_CHANNEL } from './runs.js';
import type { Signal } from './signal.js';

/**
 * Re-queues dead-lettered runs (one or all), due at once, their attempts counted afresh. A run with
 * an interrupted step keeps its plan and journal (the step is resolved before anything is re-sent);
 * any other run is planned afresh from the ledger, which already holds what its finished steps wrote.
 */
export async function replayDeadLetters(db: Database, runIds?: number[], wake?: Signal): Promise<number[]> {
  const ids = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; replanned: boolean }>(
      `update runs r set status = 'queued', run_at = now(), attempts = 0, error = null, finished_at = null, claimed_by = null,
          plan = case when exists (select 1 from run_steps s where s.run_id = r.id and s.status = 'started') then r.plan else null end
        where r.status = 'dead' and ($1::bigint[] is null or r.id = any($1::bigint[]))
        returning r.id, r.plan is null as replanned`,
      [runIds ?? null],
    );
    const replanned = rows.filter((r) => r.replanned).map((r) => Number(r.id));
    if (replanned.length > 0) await tx.query('delete from run_steps where run_id = any($1::bigint[])', [replanned]);
    if (rows.length > 0) await tx.query(`select pg_notify($1, '')::text`, [RUNS_CHANNEL]);
    return rows.map((r) => Number(r.id));
  });
  if (ids.length > 0) wake?.fire();
  return ids;
}

/**
 * The runs left open (queued, or running under a claim that no live worker renews, e.g. after
 * `db import`): a queued run is worked as it is; a running one is put back once its lease lapses.
 * Answers how many are open.
 */
export async function openRunCount(db: Database): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`select count(*) as n from runs where status in ('queued', 'running') and dry_run = false`);
  return Number(rows[0]!.n);
}
