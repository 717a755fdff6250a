/** The channel a new, replayed or resumed run is announced on (PostgreSQL `NOTIFY`). */
export const RUNS_CHANNEL = 'ghl_bridge_runs';
