import type { Queryable } from '../db/types.js';
import { RUNS_CHANNEL } from './channel.js';

/**
 * What makes queued runs wait without failing: a paused recipe (by hand, or by the auto-pause
 * rule) and a connection whose credentials are refused. Their runs stay queued, unclaimed (the
 * claim skips them, see `claimRuns` in runs.ts), spend no attempt and are worked as soon as the hold ends: a
 * resume, or new credentials (a re-authorization, a re-added token), which end a connection's hold
 * by themselves.
 */

/** SQL: the run aliased `run` belongs to a paused recipe or waits for its connection's re-authorization. */
export function heldRun(run: string): string {
  return `(exists (select 1 from recipe_pauses p where p.recipe_id = ${run}.recipe_id)
  or exists (select 1 from connection_health h join connections c on c.id = h.connection_id
              left join oauth_tokens t on t.key = 'connection:' || h.connection_id
             where h.connection_id = ${run}.lane and h.status = 'needs-reauth'
               and c.updated_at <= h.since and (t.updated_at is null or t.updated_at <= h.since)))`;
}

export interface RecipePause {
  recipeId: string;
  pausedAt: Date;
  pausedBy: 'auto' | 'user';
  reason: string;
}

/**
 * Pauses a recipe: its queued runs wait (new events are still stored and queued) until
 * `resumeRecipe`. Answers false when it was paused already (the first reason stays).
 *
 * @example
 * await pauseRecipe(db, 'app-signup', { by: 'user', reason: 'fixing the mapping' });
 */
export async function pauseRecipe(db: Queryable, recipeId: string, o: { by: 'auto' | 'user'; reason: string }): Promise<boolean> {
  const { rowCount } = await db.query('insert into recipe_pauses (recipe_id, paused_by, reason) values ($1, $2, $3) on conflict (recipe_id) do nothing', [recipeId, o.by, o.reason]);
  return rowCount > 0;
}

/**
 * Resumes a paused recipe; its waiting runs are worked at once (workers are told). False when it
 * was not paused.
 *
 * @example
 * await resumeRecipe(db, 'app-signup');
 */
export async function resumeRecipe(db: Queryable, recipeId: string): Promise<boolean> {
  const { rows } = await db.query<{ recipe_id: string }>(
    `with gone as (delete from recipe_pauses where recipe_id = $1 returning recipe_id)
     select recipe_id, (select pg_notify($2, '') from gone limit 1)::text as notified from gone`,
    [recipeId, RUNS_CHANNEL],
  );
  return rows.length > 0;
}

export async function listPauses(db: Queryable): Promise<RecipePause[]> {
  const { rows } = await db.query<{ recipe_id: string; paused_at: Date | string; paused_by: 'auto' | 'user'; reason: string }>('select * from recipe_pauses order by paused_at');
  return rows.map((r) => ({ recipeId: r.recipe_id, pausedAt: new Date(r.paused_at), pausedBy: r.paused_by, reason: r.reason }));
}

export interface ConnectionHold {
  connectionId: string;
  status: 'needs-reauth';
  reason: string;
  since: Date;
  lastSeen: Date;
  failures: number;
}

/**
 * Records that a connection's credentials were refused: its runs wait from now on. Answers true
 * when this is news (the hold is new), so the caller tells people once, not per run.
 *
 * @example
 * if (await holdConnection(db, 'ghl-main', 'the refresh token was refused (invalid_grant)')) log.warn(…);
 */
export async function holdConnection(db: Queryable, connectionId: string, reason: string): Promise<boolean> {
  const { rows } = await db.query<{ inserted: boolean }>(
    `insert into connection_health (connection_id, status, reason) values ($1, 'needs-reauth', $2)
     on conflict (connection_id) do update set last_seen = now(), failures = connection_health.failures + 1, reason = excluded.reason
     returning (xmax = 0) as inserted`,
    [connectionId, reason],
  );
  return rows[0]?.inserted === true;
}

/**
 * Ends the holds of connections that have new credentials since (or are gone), and answers which;
 * the workers' next claim takes their runs.
 */
export async function releaseRecoveredConnections(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ connection_id: string }>(
    `delete from connection_health h
      where not exists (select 1 from connections c where c.id = h.connection_id
                          and c.updated_at <= h.since
                          and not exists (select 1 from oauth_tokens t where t.key = 'connection:' || h.connection_id and t.updated_at > h.since))
      returning h.connection_id`,
  );
  return rows.map((r) => r.connection_id);
}

export async function listConnectionHolds(db: Queryable): Promise<ConnectionHold[]> {
  const { rows } = await db.query<{ connection_id: string; status: 'needs-reauth'; reason: string; since: Date | string; last_seen: Date | string; failures: number }>('select * from connection_health order by since');
  return rows.map((r) => ({ connectionId: r.connection_id, status: r.status, reason: r.reason, since: new Date(r.since), lastSeen: new Date(r.last_seen), failures: r.failures }));
}

/**
 * Held connections due for another try, claimed (so one worker of many tries each): first after
 * `everySeconds`, then backing off (doubling per failure) to ten times that. A hold can end
 * without us: the token becomes valid again in GHL, the app is reinstalled.
 */
export async function claimHoldsToProbe(db: Queryable, everySeconds: number): Promise<string[]> {
  const { rows } = await db.query<{ connection_id: string }>(
    `update connection_health set last_seen = now()
      where status = 'needs-reauth'
        and last_seen < now() - make_interval(secs => $1::double precision * least(10, power(2, least(failures, 10) - 1)))
      returning connection_id`,
    [everySeconds],
  );
  return rows.map((r) => r.connection_id);
}

/** Ends a connection's hold (its credentials work again); true when there was one. */
export async function releaseConnection(db: Queryable, connectionId: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from connection_health where connection_id = $1', [connectionId]);
  return rowCount > 0;
}
