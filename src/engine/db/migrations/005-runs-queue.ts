/**
 * The runs table is the queue (src/engine/queue/): a queued run is claimable from `run_at`;
 * `lane` is the GHL connection its recipe writes to (runs of a lane without rate budget are left
 * for later, so they hold no worker slot); partial indexes keep the claim, the per-record order
 * check and the gauges independent of how many finished runs the table holds. pg-boss, which held
 * a job per run before, is no longer used.
 */
export const sql = `
alter table runs add column run_at timestamptz not null default now();
alter table runs add column lane text;
create index runs_ready on runs (run_at, id) where status = 'queued' and dry_run = false;
create index runs_open_record on runs (record_key, id) where status in ('queued', 'running') and dry_run = false;
create index runs_running on runs (claimed_at) where status = 'running';
create index runs_dead on runs (recipe_id, id) where status = 'dead';
drop schema if exists pgboss cascade;
`;
