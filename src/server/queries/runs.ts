import type { Queryable } from '../../engine/db/types.js';
import type { PlannedCall, Plan } from '../../engine/plan/types.js';
import { runHistory, type RunHistoryEntry } from '../../engine/queue/history.js';
import { splitStoredError, type RunError, type RunStatus } from '../../engine/queue/runs.js';
import type { SkipReason } from '../../engine/recipes/skip.js';
import { decodeCursor, decodeTimeCursor, encodeTimeCursor, NO_CURSOR, pageOf, type Page } from './page.js';

export interface RunSummary {
  id: number;
  eventId: number;
  recipeId: string;
  recipeVersion: number;
  recordKey: string | null;
  status: RunStatus;
  attempts: number;
  error: RunError | null;
  /** why the run did no work: `{ code, message }` (filter, event-type, recipe-disabled, unchanged), else null */
  skipReason: SkipReason | null;
  createdAt: string;
  finishedAt: string | null;
  /** finished − started (or − created when it never started), in ms; null while not finished */
  durationMs: number | null;
  /** the GHL contact of the run: the one its plan knew (ledger), else the one its contact step returned */
  contactId: string | null;
}

interface Row {
  id: string;
  event_id: string;
  recipe_id: string;
  recipe_version: number;
  record_key: string | null;
  status: RunStatus;
  attempts: number;
  error: unknown;
  created_at: Date | string;
  started_at: Date | string | null;
  finished_at: Date | string | null;
  contact_id?: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const summary = (r: Row): RunSummary => ({
  id: Number(r.id), eventId: Number(r.event_id), recipeId: r.recipe_id, recipeVersion: r.recipe_version, recordKey: r.record_key, status: r.status,
  attempts: r.attempts, ...splitStoredError(r.error), createdAt: new Date(r.created_at).toISOString(), finishedAt: iso(r.finished_at),
  durationMs: r.finished_at === null ? null : Math.max(0, new Date(r.finished_at).getTime() - new Date(r.started_at ?? r.created_at).getTime()),
  contactId: r.contact_id ?? null,
});

/** What the runs list (and the bulk replay / dismissal of its selection) filters on; every field narrows. */
export interface RunFilter {
  /** one status or several (any of them) */
  status?: string | string[];
  recipe?: string;
  /** the connection the run's event came through (`events.connection_id`) */
  connection?: string;
  /** a record key `<source>:<source id>` or a bare source record id */
  record?: string;
  /** a GHL contact id */
  contact?: string;
  /** an email (case-insensitive) */
  email?: string;
  /** `runs.error->>'code'` */
  errorCode?: string;
  /** finished (else created) at or after / before (ISO 8601) */
  since?: string;
  until?: string;
}

/** An ISO time as an SQL literal: parsed, then printed by `toISOString` (nothing of the input is quoted). */
function timeLiteral(t: string): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a time: ${t.slice(0, 40)}`);
  return `'${d.toISOString()}'::timestamptz`;
}

const CONTACT_OF_RUN = `coalesce(r.plan->>'contactId', (select s.ghl_id from run_steps s where s.run_id = r.id and s.action = 'upsertContact' and s.ghl_id is not null order by s.step limit 1)) as contact_id`;
const SUMMARY_COLUMNS = `r.id, r.event_id, r.recipe_id, r.recipe_version, r.record_key, r.status, r.attempts, r.error, r.created_at, r.started_at, r.finished_at, ${CONTACT_OF_RUN}`;

/**
 * The filter as a `where` on `runs r`, only the conditions given (so each is planned with its own
 * index, see migration 012), parameters numbered from `$1`. A contact's runs are found three ways:
 * its ledger entries' records (`record_key` = `<source>:<source id>`), its audit rows, and steps
 * that returned its id (the run that created it). An email is found through the contact call of a
 * run's stored plan and through the ledger (the record whose contact was last written with it).
 */
export function runFilterSql(f: RunFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ['r.dry_run = false'];
  const statuses = f.status === undefined ? [] : Array.isArray(f.status) ? f.status : [f.status];
  if (statuses.length === 1) where.push(`r.status = ${p(statuses[0])}`);
  else if (statuses.length > 1) where.push(`r.status = any(${p(statuses)}::text[])`);
  if (f.recipe !== undefined) where.push(`r.recipe_id = ${p(f.recipe)}`);
  if (f.errorCode !== undefined) where.push(`r.error->>'code' = ${p(f.errorCode)}`);
  // the times as literals (re-printed from a Date: digits and `-:.TZ` only), so the planner knows
  // how many runs the range holds and picks the time index for a narrow or old range
  if (f.since !== undefined) where.push(`coalesce(r.finished_at, r.created_at) >= ${timeLiteral(f.since)}`);
  if (f.until !== undefined) where.push(`coalesce(r.finished_at, r.created_at) < ${timeLiteral(f.until)}`);
  if (f.connection !== undefined) where.push(`exists (select 1 from events e where e.id = r.event_id and e.connection_id = ${p(f.connection)})`);
  if (f.record !== undefined) {
    const rec = p(f.record);
    // a bare id: the record key of each recipe's trigger source (a run's key is `<event source>:<id>`)
    where.push(`r.record_key = any(array(select ${rec}::text union select distinct (definition->'trigger'->>'source') || ':' || ${rec}::text from recipes))`);
  }
  if (f.contact !== undefined) {
    const c = p(f.contact);
    where.push(`(r.record_key = any(array(select source || ':' || source_id from ledger where ghl_id = ${c} and kind = 'contact'))
      or r.id = any(array(select run_id from audit where contact_id = ${c} and run_id is not null))
      or r.id = any(array(select run_id from run_steps where ghl_id = ${c})))`);
  }
  if (f.email !== undefined) {
    const e = p(f.email.trim().toLowerCase());
    where.push(`((r.plan is not null and lower(jsonb_path_query_first(r.plan, '$.calls[*].body.email') #>> '{}') = ${e})
      or r.record_key = any(array(select source || ':' || source_id from ledger where kind = 'contact' and lower(fields->>'email') = ${e})))`);
  }
  return { where: where.join(' and '), params };
}

const AT = 'coalesce(r.finished_at, r.created_at)';

/** A time in µs since the epoch as an SQL literal (digits only reach it: the cursor's are checked). */
function microsLiteral(atMicros: string): string {
  const us = BigInt(atMicros);
  const iso = new Date(Number(us / 1000n)).toISOString();
  return `'${iso.slice(0, -1)}${(us % 1000n).toString().padStart(3, '0')}Z'::timestamptz`;
}

/**
 * A page of runs newest first, by the filter: by `id` (keyset on it), or with a time range by the
 * run's time (finished, else created) then `id`, keyset on both: a range that ends long ago is then
 * read from its end in the time index instead of skipping every newer run. The time-range cursor
 * holds the last run's `(time, id)` as they were (`encodeTimeCursor`), so a run of an earlier page
 * that finishes, is replayed or is deleted meanwhile does not shift the next page.
 *
 * @example
 * const page = await listRuns(db, { status: 'dead', since: '2026-12-01T00:00:00Z', cursor: query.cursor, limit: 100 });
 */
export async function listRuns(db: Queryable, f: RunFilter & { cursor: string | undefined; limit: number }): Promise<Page<RunSummary>> {
  const { where, params } = runFilterSql(f);
  const n = params.length;
  if (f.since === undefined && f.until === undefined) {
    const before = decodeCursor(f.cursor);
    const { rows } = await db.query<Row>(
      `select ${SUMMARY_COLUMNS} from runs r where ${where} and r.id < $${n + 1}::bigint order by r.id desc limit $${n + 2}`,
      [...params, before === null ? NO_CURSOR : String(before), f.limit + 1],
    );
    return pageOf(rows.map(summary), f.limit, (r) => r.id);
  }
  const after = decodeTimeCursor(f.cursor);
  // the cursor's time as a literal, like the range's (planned with the time index)
  const keyset = after === null ? '' : ` and (${AT}, r.id) < (${microsLiteral(after.atMicros)}, $${n + 2}::bigint)`;
  const { rows } = await db.query<Row & { at_us: string }>(
    `select ${SUMMARY_COLUMNS}, (extract(epoch from ${AT}) * 1000000)::bigint::text as at_us
       from runs r where ${where}${keyset}
      order by ${AT} desc, r.id desc limit $${n + 1}`,
    after === null ? [...params, f.limit + 1] : [...params, f.limit + 1, String(after.id)],
  );
  const items = rows.slice(0, f.limit);
  const last = rows.length > f.limit ? items[items.length - 1]! : undefined;
  return { items: items.map(summary), ...(last ? { next: encodeTimeCursor(last.at_us, Number(last.id)) } : {}) };
}

/** How many runs the filter selects. */
export async function countRuns(db: Queryable, f: RunFilter): Promise<number> {
  const { where, params } = runFilterSql(f);
  const { rows } = await db.query<{ n: string }>(`select count(*) as n from runs r where ${where}`, params);
  return Number(rows[0]!.n);
}

/** The ids of the dead letters the filter selects (any status given is replaced by `dead`), oldest first. */
export async function deadRunIds(db: Queryable, f: RunFilter): Promise<number[]> {
  const { where, params } = runFilterSql({ ...f, status: 'dead' });
  const { rows } = await db.query<{ id: string }>(`select r.id from runs r where ${where} order by r.id`, params);
  return rows.map((r) => Number(r.id));
}

export interface RunStep {
  step: number;
  action: string;
  status: string;
  request: unknown;
  response: unknown;
  ghlId: string | null;
  error: unknown;
  startedAt: string | null;
  finishedAt: string | null;
}

type StepRow = { step: number; action: string; status: string; request: unknown; response: unknown; ghl_id: string | null; error: unknown; started_at: Date | null; finished_at: Date | null };

/** One run with its plan, journaled steps, and history (dead-lettered, replayed, dismissed …). */
export async function getRunDetail(db: Queryable, id: number): Promise<(RunSummary & { plan: unknown; steps: RunStep[]; dismissedReason: string | null; history: RunHistoryEntry[] }) | null> {
  const { rows } = await db.query<Row & { plan: unknown; dismissed_reason: string | null }>(`select r.*, ${CONTACT_OF_RUN} from runs r where r.id = $1 and r.dry_run = false`, [id]);
  if (!rows[0]) return null;
  const steps = await db.query<StepRow>('select step, action, status, request, response, ghl_id, error, started_at, finished_at from run_steps where run_id = $1 order by step', [id]);
  return {
    ...summary(rows[0]),
    plan: rows[0].plan,
    dismissedReason: rows[0].dismissed_reason,
    history: await runHistory(db, id),
    steps: steps.rows.map((s) => ({ step: s.step, action: s.action, status: s.status, request: s.request, response: s.response, ghlId: s.ghl_id, error: s.error, startedAt: iso(s.started_at), finishedAt: iso(s.finished_at) })),
  };
}

/** A run's status, or null when there is none. */
export async function runStatus(db: Queryable, id: number): Promise<string | null> {
  const { rows } = await db.query<{ status: string }>('select status from runs where id = $1 and dry_run = false', [id]);
  return rows[0]?.status ?? null;
}

/* ---------- the console's run detail ---------- */

/** Keys whose values are credentials wherever they appear (payloads, app requests and answers). */
const SECRET_KEY = /pass(word|wd)?$|secret|token|signature|api[-_]?key|authorization|cookie|credential|private[-_]?key/i;
export const REDACTED = '[redacted]';

/**
 * A JSON value with the values under credential-like keys replaced by `[redacted]` (at any depth).
 *
 * @example
 * redactSecrets({ data: { email: 'a@b.c', apiToken: 'x' } }); // { data: { email: 'a@b.c', apiToken: '[redacted]' } }
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) && v !== null && v !== '' ? REDACTED : redactSecrets(v, depth + 1)]));
}

export interface MappingOutput {
  /** where it was read from: the plan stored on the run (null when none is stored) */
  source: 'plan' | null;
  /** why there is nothing to show, when `source` is null */
  missing?: string;
  /** the contact fields the plan writes (only changed ones are in a plan: unchanged fields are not sent) */
  contact: Record<string, unknown> | null;
  tags: { add: string[]; remove: string[] };
  tasks: Array<{ sourceId: string; fields: Record<string, unknown> }>;
  notes: Array<{ sourceId: string; fields: Record<string, unknown> }>;
  /** calls to source apps (catalog actions) */
  apps: Array<{ action: string; connection: string; input: Record<string, unknown> }>;
  /** actions the plan left out, with why */
  skipped: Array<{ action: string; reason: string }>;
}

/**
 * What the mapping produced, as the stored plan's calls carry it, with the values under
 * credential-like keys redacted (`redactSecrets`, as the plan's call bodies beside it).
 */
export function mappingOutput(plan: Plan | null, status: string): MappingOutput {
  const empty = { contact: null, tags: { add: [], remove: [] }, tasks: [], notes: [], apps: [], skipped: [] };
  if (!plan || !Array.isArray(plan.calls)) {
    const missing = status === 'queued' || status === 'running'
      ? 'not planned yet: the plan is stored when the run starts its first GHL call'
      : 'no plan is stored for this run: it ended before planning (a mapping error, a filter, a disabled recipe) or was replayed and is planned again when it runs';
    return { source: null, missing, ...empty };
  }
  const out: MappingOutput = { source: 'plan', ...empty, tags: { add: [], remove: [] }, tasks: [], notes: [], apps: [], skipped: plan.skipped ?? [] };
  for (const call of plan.calls) {
    const body = { ...(redactSecrets(call.body ?? {}) as Record<string, unknown>) };
    if (call.app) out.apps.push({ action: call.operationId, connection: call.app.connection, input: body });
    else if (call.produces?.kind === 'contact') {
      delete body.locationId;
      out.contact = { ...(out.contact ?? {}), ...body };
    } else if (call.operationId === 'add-tags' || call.operationId === 'remove-tags') {
      const tags = Array.isArray(body.tags) ? body.tags.map(String) : [];
      (call.operationId === 'add-tags' ? out.tags.add : out.tags.remove).push(...tags);
    } else if (call.produces?.kind === 'task') out.tasks.push({ sourceId: call.produces.sourceId, fields: body });
    else if (call.produces?.kind === 'note') out.notes.push({ sourceId: call.produces.sourceId, fields: body });
  }
  return out;
}

export interface ConsoleStep {
  step: number;
  action: string;
  status: string;
  /** `POST /contacts/upsert` and the body's field names */
  summary: string;
  request: unknown;
  response: unknown;
  ghlId: string | null;
  error: unknown;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface ConsoleRun extends RunSummary {
  /** how many times the run was retried after a fault (counted per run: the journal keeps one entry per step) */
  retries: number;
  dismissedReason: string | null;
  event: {
    id: number;
    source: string;
    externalId: string;
    connectionId: string | null;
    type: string;
    receivedAt: string;
    /** with values under credential-like keys redacted (events do not keep the delivery's headers: only refused deliveries keep theirs, redacted) */
    payload: unknown;
  } | null;
  mapping: MappingOutput;
  plan: { recordId: string; locationId: string; contactId: string | null; calls: Array<Pick<PlannedCall, 'step' | 'action' | 'operationId' | 'method' | 'path' | 'idempotent' | 'diff' | 'reason'> & { body: unknown }>; skipped: Array<{ action: string; reason: string }> } | null;
  steps: ConsoleStep[];
  history: RunHistoryEntry[];
  recipe: { id: string; version: number; currentVersion: number | null; enabled: boolean | null };
}

/**
 * A run as the console's detail shows it: the trigger event (credentials redacted), the mapping
 * output and plan as stored on the run (nothing is re-planned: a run without a stored plan says so),
 * the journaled steps with their durations, the history, and the recipe version used beside the
 * current one. The error's explanation is added by the route (it reads the recipes folder).
 */
export async function getConsoleRun(db: Queryable, id: number): Promise<ConsoleRun | null> {
  const { rows } = await db.query<Row & { plan: Plan | null; dismissed_reason: string | null }>(`select r.*, ${CONTACT_OF_RUN} from runs r where r.id = $1 and r.dry_run = false`, [id]);
  const run = rows[0];
  if (!run) return null;
  const [event, steps, recipe, history] = await Promise.all([
    db.query<{ id: string; source: string; external_id: string; connection_id: string | null; type: string; received_at: Date | string; payload: unknown }>(
      'select id, source, external_id, connection_id, type, received_at, payload from events where id = $1',
      [run.event_id],
    ),
    db.query<StepRow>('select step, action, status, request, response, ghl_id, error, started_at, finished_at from run_steps where run_id = $1 order by step', [id]),
    db.query<{ current: number | null; enabled: boolean | null }>(
      'select max(version) as current, bool_or(enabled) filter (where version = (select max(version) from recipes where id = $1)) as enabled from recipes where id = $1',
      [run.recipe_id],
    ),
    runHistory(db, id),
  ]);
  const e = event.rows[0];
  const plan = run.plan && Array.isArray(run.plan.calls) ? run.plan : null;
  return {
    ...summary(run),
    // attempts counts the faults; each was retried but a dead run's last one
    retries: run.status === 'dead' ? Math.max(0, run.attempts - 1) : run.attempts,
    dismissedReason: run.dismissed_reason,
    event: e ? { id: Number(e.id), source: e.source, externalId: e.external_id, connectionId: e.connection_id, type: e.type, receivedAt: new Date(e.received_at).toISOString(), payload: redactSecrets(e.payload) } : null,
    mapping: mappingOutput(plan, run.status),
    plan: plan
      ? {
          recordId: plan.recordId, locationId: plan.locationId, contactId: plan.contactId, skipped: plan.skipped ?? [],
          calls: plan.calls.map((c) => ({ step: c.step, action: c.action, operationId: c.operationId, method: c.method, path: c.path, idempotent: c.idempotent, diff: redactSecrets(c.diff) as PlannedCall['diff'], reason: c.reason, body: redactSecrets(c.body ?? null) })),
        }
      : null,
    steps: steps.rows.map((s) => {
      const req = (s.request ?? {}) as { method?: string; path?: string; body?: unknown };
      const fields = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? Object.keys(req.body) : [];
      return {
        step: s.step, action: s.action, status: s.status,
        summary: `${req.method ?? '?'} ${req.path ?? '?'}${fields.length > 0 ? ` (${fields.join(', ')})` : ''}`,
        request: redactSecrets(s.request), response: redactSecrets(s.response), ghlId: s.ghl_id, error: redactSecrets(s.error),
        startedAt: iso(s.started_at), finishedAt: iso(s.finished_at),
        durationMs: s.started_at && s.finished_at ? Math.max(0, new Date(s.finished_at).getTime() - new Date(s.started_at).getTime()) : null,
      };
    }),
    history,
    recipe: { id: run.recipe_id, version: run.recipe_version, currentVersion: recipe.rows[0]?.current ?? null, enabled: recipe.rows[0]?.enabled ?? null },
  };
}
