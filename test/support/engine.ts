import type { Queryable } from '../../src/engine/db/index.js';

/** Waits until no run is queued or running; answers the count of runs per status. */
export async function settleRuns(db: Queryable, timeoutMs = 120_000): Promise<Record<string, number>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ status: string; n: string }>('select status, count(*) as n from runs group by status');
    const counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    if (!counts.queued && !counts.running) return counts;
    if (Date.now() > until) throw new Error(`runs did not settle: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
