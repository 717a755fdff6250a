import type { Rule } from '../types.js';
import { plural } from '../text.js';

/**
 * The queue does not move: a queued run has been due for `oldestMinutes` or more. Runs that are
 * meant to wait are left out: those of a paused recipe and those whose GHL connection needs
 * re-authorization (each has its own incident). One incident for the whole queue.
 */
export const queueStalledRule: Rule = {
  name: 'queueStalled',
  async find({ q, alerts, now }) {
    const minutes = alerts.rules.queueStalled.oldestMinutes;
    const { rows } = await q.query<{ n: string; oldest: Date | string | null; first: string | null; latest: string | null }>(
      `select count(*) as n, min(r.run_at) as oldest, min(r.id) as first, max(r.id) as latest
         from runs r
        where r.status = 'queued' and r.dry_run = false
          and r.run_at <= to_timestamp($1::double precision / 1000) - make_interval(secs => $2::double precision * 60)
          and not exists (select 1 from recipe_pauses p where p.recipe_id = r.recipe_id)
          and not exists (select 1 from connection_health h where h.connection_id = r.lane and h.status = 'needs-reauth')`,
      [now, minutes],
    );
    const r = rows[0];
    const n = Number(r?.n ?? 0);
    if (!r || n === 0 || r.oldest === null) return [];
    const waited = Math.round((now - new Date(r.oldest).getTime()) / 60_000);
    return [{
      key: 'queue',
      cause: `${plural(n, 'queued run')} due for ${minutes} min or more (the oldest for ${waited} min): no worker takes them`,
      advice: 'check that a worker runs (`ghl-bridge start` or `ghl-bridge worker`) and its log for errors; with a PostgreSQL server, that the workers reach it',
      count: n,
      firstRunId: r.first === null ? null : Number(r.first),
      latestRunId: r.latest === null ? null : Number(r.latest),
      details: { oldestDueAt: new Date(r.oldest).toISOString() },
    }];
  },
};
