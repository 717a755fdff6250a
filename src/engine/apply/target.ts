import type { GhlClient } from '../../ghl/client.js';
import { sleep, type Sleep } from '../../ghl/layers/wait.js';
import { Reschedule } from '../queue/reschedule.js';

/** A GHL connection as the engine uses it: a client and the location it writes to. */
export interface GhlTarget {
  client: GhlClient;
  locationId: string;
}

/**
 * The GHL target of a connection id. `version` is the stored connection's version as the run's
 * claim read it (when known, no query is needed to tell whether a cached client is still right).
 */
export type GhlTargets = (connectionId: string, version?: string | null) => Promise<GhlTarget>;

/**
 * The governor's wait for the engine: a short wait sleeps inline, a longer one ends the run's turn
 * (`Reschedule`) so the worker slot serves other locations meanwhile.
 *
 * @example
 * const client = createGhlClient({ auth, rateBudget: sqlStore, rateWait: rescheduleLongWaits(1000) });
 */
export function rescheduleLongWaits(maxInlineMs = 1000, now: () => number = Date.now): Sleep {
  return async (ms, signal) => {
    if (ms > maxInlineMs) throw new Reschedule(now() + ms, `no rate budget for ${Math.round(ms)} ms`, { budget: true });
    await sleep(ms, signal);
  };
}
