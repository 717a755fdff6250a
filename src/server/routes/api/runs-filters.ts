/**
 * The runs list's filters (query of `GET /api/v1/runs`, body of the bulk dead-letter replay and
 * dismissal: the same selection) and the response schemas of the runs routes.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import type { RunFilter } from '../../queries/runs.js';
import { idText } from './shared.js';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'skipped', 'dead', 'dismissed'] as const;

const STATUS_LIST = new RegExp(`^(?:${RUN_STATUSES.join('|')})(?:,(?:${RUN_STATUSES.join('|')}))*$`);
const statusList = z.string().max(200).regex(STATUS_LIST, `expected one or more of ${RUN_STATUSES.join(', ')} (comma-separated)`);
const time = z.iso.datetime({ offset: true });

/** The filters besides status (which only the list takes: a bulk action is on dead letters). */
export const runSelectionFilters = {
  recipe: idText.optional().describe('runs of this recipe id'),
  connection: idText.optional().describe("runs whose event came through this connection (the source connection, events.connectionId)"),
  record: idText.optional().describe('runs of this source record: a record key `<source>:<id>` (as runs show it) or the bare source record id'),
  contact: idText.optional().describe('runs of this GHL contact id: through the ledger (its records), the audit trail and the steps that returned it'),
  email: z.string().trim().min(3).max(320).optional().describe(
    "runs of this email, case-insensitive: the email the contact call of the run's stored plan sends, or the record whose GHL contact the ledger last wrote with it. A run that ended before planning (a mapping error) of a record never written to GHL is not found by email: find it by record id",
  ),
  errorCode: z.string().regex(/^[A-Z][A-Z_]{0,39}$/, 'expected an error code such as MAPPING, VALIDATION, AUTHENTICATION, SERVER, APP').optional().describe('runs.error.code'),
  since: time.optional().describe('finished (or, not finished yet, created) at or after this time (ISO 8601)'),
  until: time.optional().describe('finished (or, not finished yet, created) before this time (ISO 8601)'),
};

export const runListFilters = {
  status: statusList.optional().describe(`one status or several, comma-separated (\`dead,queued\`) or repeated (\`status=dead&status=queued\`): ${RUN_STATUSES.join(', ')}`),
  ...runSelectionFilters,
};

/**
 * The statuses asked for: the query parser keeps one value of a repeated parameter, so the
 * repeated form is read from the request itself, each value checked like the comma list.
 */
export function statusesOf(c: Context, parsed: string | undefined): string[] | undefined {
  const values = c.req.queries('status') ?? (parsed === undefined ? [] : [parsed]);
  const all: string[] = [];
  for (const v of values) {
    if (!statusList.safeParse(v).success) throw new ApiError(400, 'invalid-input', `query.status: expected one or more of ${RUN_STATUSES.join(', ')} (comma-separated or repeated), got "${v.slice(0, 40)}"`, 'status');
    all.push(...v.split(','));
  }
  return all.length === 0 ? undefined : [...new Set(all)];
}

/** The filter a parsed query or body gives (absent fields left out). */
export function runFilterOf(q: { recipe?: string; connection?: string; record?: string; contact?: string; email?: string; errorCode?: string; since?: string; until?: string }, status?: string[]): RunFilter {
  const f: RunFilter = {};
  if (status !== undefined) f.status = status;
  for (const k of ['recipe', 'connection', 'record', 'contact', 'email', 'errorCode', 'since', 'until'] as const) if (q[k] !== undefined) f[k] = q[k];
  return f;
}

/* ---------- response schemas ---------- */

export const runErrorSchema = z.object({
  reason: z.string(),
  code: z.string().optional(),
  status: z.number().nullable().optional(),
  retryable: z.boolean(),
  details: z.unknown().optional(),
});

export const runSummarySchema = z.object({
  id: z.number().int(),
  eventId: z.number().int(),
  recipeId: z.string(),
  recipeVersion: z.number().int(),
  recordKey: z.string().nullable().describe('`<source>:<source record id>`'),
  status: z.enum(RUN_STATUSES),
  attempts: z.number().int().describe('failed attempts (faults); waits for rate budget are not counted'),
  error: runErrorSchema.nullable(),
  skipReason: z.object({ code: z.enum(['event-type', 'filter', 'unchanged', 'recipe-disabled']), message: z.string() }).nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable().describe('finished − started (else created), in ms'),
  contactId: z.string().nullable().describe('the GHL contact of the run: the one its plan knew (ledger), else the one its contact step returned'),
});

export const runPageSchema = z.object({
  items: z.array(runSummarySchema),
  next: z.string().optional().describe('cursor of the next page'),
  total: z.number().int().optional().describe('how many runs match (only with count=true)'),
});

const fieldDiff = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });
const skipped = z.object({ action: z.string(), reason: z.string() });
const historyEntry = z.object({ at: z.string(), action: z.string(), detail: z.record(z.string(), z.unknown()), actor: z.string().nullable() });

export const explanationSchema = z.object({ cause: z.string(), fix: z.string(), command: z.string().optional() });

export const consoleRunSchema = runSummarySchema.extend({
  retries: z.number().int().describe('how many times the run was retried after a fault (counted per run: the journal keeps one entry per step)'),
  dismissedReason: z.string().nullable(),
  event: z.object({
    id: z.number().int(),
    source: z.string(),
    externalId: z.string(),
    connectionId: z.string().nullable(),
    type: z.string(),
    receivedAt: z.string(),
    payload: z.unknown().describe('the payload as stored, values under credential-like keys (token, secret, password, signature, api key …) redacted'),
  }).nullable().describe('the trigger event; events do not keep the delivery headers (refused deliveries keep theirs, redacted: GET /api/v1/webhook-rejections)'),
  mapping: z.object({
    source: z.enum(['plan']).nullable().describe('read from the plan stored on the run; null when none is stored (see missing)'),
    missing: z.string().optional(),
    contact: z.record(z.string(), z.unknown()).nullable().describe('the contact fields the plan writes (a plan holds only changed fields)'),
    tags: z.object({ add: z.array(z.string()), remove: z.array(z.string()) }),
    tasks: z.array(z.object({ sourceId: z.string(), fields: z.record(z.string(), z.unknown()) })),
    notes: z.array(z.object({ sourceId: z.string(), fields: z.record(z.string(), z.unknown()) })),
    apps: z.array(z.object({ action: z.string(), connection: z.string(), input: z.record(z.string(), z.unknown()) })),
    skipped: z.array(skipped),
  }),
  plan: z.object({
    recordId: z.string(),
    locationId: z.string(),
    contactId: z.string().nullable(),
    calls: z.array(z.object({ step: z.number().int(), action: z.string(), operationId: z.string(), method: z.string(), path: z.string(), idempotent: z.boolean(), diff: z.array(fieldDiff), reason: z.string(), body: z.unknown() })),
    skipped: z.array(skipped),
  }).nullable(),
  steps: z.array(z.object({
    step: z.number().int(),
    action: z.string(),
    status: z.string(),
    summary: z.string().describe('method, path and the body field names'),
    request: z.unknown(),
    response: z.unknown(),
    ghlId: z.string().nullable(),
    error: z.unknown(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
  })),
  history: z.array(historyEntry),
  recipe: z.object({ id: z.string(), version: z.number().int().describe('the version the run used'), currentVersion: z.number().int().nullable(), enabled: z.boolean().nullable() }),
  explanation: explanationSchema.nullable().describe('why it failed and what to do (null without an error)'),
});
