/**
 * Indexes behind the console's runs list (`GET /api/v1/runs`), so its first page stays fast with
 * many runs whatever the filter: each filter has an index that yields candidate runs (or their
 * events, records, contacts) and the newest-first keyset on `id` does the rest.
 * - status, recipe, record: `(…, id)` so a page is an index range read backwards;
 * - connection: the events of a connection (runs join them by `event_id`, already indexed);
 * - time range: the run's time as the list shows it (finished, else created); not partial, so
 *   `analyze` keeps statistics of the expression and the planner knows how many runs a range holds;
 * - email: the email the plan's contact call sends, and the email the ledger last wrote;
 * - contact: the steps that returned a GHL id (the run that created the contact).
 */
export const sql = `
create index runs_list_status on runs (status, id) where dry_run = false;
create index runs_list_recipe on runs (recipe_id, id) where dry_run = false;
create index runs_list_record on runs (record_key, id) where dry_run = false;
create index runs_list_at on runs ((coalesce(finished_at, created_at)), id);
create index runs_list_email on runs ((lower(jsonb_path_query_first(plan, '$.calls[*].body.email') #>> '{}'))) where dry_run = false and plan is not null;
create index events_connection on events (connection_id, id);
create index run_steps_ghl_id on run_steps (ghl_id) where ghl_id is not null;
create index ledger_contact_email on ledger ((lower(fields->>'email'))) where kind = 'contact';
`;
