/**
 * What the engine reports as it works, for in-process counters (`/metrics`): the server counts
 * from these instead of counting whole tables at every scrape. Every label value is bounded (a
 * source name, a recipe id, a status, a GHL operation id), never a record id.
 *
 * @example
 * const engine = await createEngine({ db, ghl, metrics: { eventStored: (source) => events.inc({ source }) } });
 */
export interface EngineMetrics {
  /** an event was stored (not a duplicate) with `runs` runs enqueued */
  eventStored?(source: string, runs: number): void;
  /** a run ended its turn: finished (`succeeded`, `skipped`, `dead`) or back to the queue (`rescheduled`, `retry`) */
  runEnded?(recipeId: string, outcome: 'succeeded' | 'skipped' | 'dead' | 'rescheduled' | 'retry'): void;
  /** a journaled step ended (`operationId` is a GHL operation or an app action id) */
  stepEnded?(operationId: string, status: 'done' | 'failed'): void;
  /** a refused webhook delivery was counted, not recorded (over the connection's per-minute limit) */
  rejectionUnrecorded?(connectionId: string): void;
}
