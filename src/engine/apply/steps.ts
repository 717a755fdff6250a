import type { GhlClient } from '../../ghl/client.js';
import { GhlError, GhlNetworkError, GhlRateLimitError } from '../../ghl/core/errors.js';
import type { GhlRequest } from '../../ghl/core/types.js';
import { Reschedule } from '../queue/reschedule.js';
import { AppActionError, type AppActions } from './apps.js';
import { appendAudit } from '../ledger/audit.js';
import { readContactView } from './contact-view.js';
import { forgetGhlIntent, rememberGhlWrite, rememberGhlWriteOver } from '../ledger/ghl-observe.js';
import type { Database, Queryable } from '../db/types.js';
import type { EngineMetrics } from '../metrics.js';
import { deleteLedger, ledgerEntries, putLedger, type LedgerKey } from '../ledger/entries.js';
import { fieldsHash } from '../plan/hash.js';
import { CONTACT_STEP, resolveDeferred } from '../recipes/step-refs.js';
import type { Plan, PlannedCall } from '../plan/types.js';
import { runSteps, type StepRow } from '../queue/runs.js';

export interface ApplyContext {
  db: Database;
  ghl: GhlClient;
  ledger: LedgerKey;
  runId: number;
  eventId: number;
  recipeId: string;
  recipeVersion: number;
  /** the contact fields the recipe mapped (their hash marks "unchanged" next time) */
  mappedContact: Record<string, unknown>;
  /** counts every GHL request, lookups included (efficiency report) */
  onCall?: (operationId: string) => void;
  /** source-app actions (`type: app` steps) */
  apps?: AppActions;
  /** the run's journal when the caller has it (a plan made this turn has none yet); else it is read */
  journal?: Map<number, StepRow>;
  /** a plan made this turn: stored with the first step's journal entry, in the same statement */
  savePlan?: Plan;
  /** ends the run in the transaction of its last step (no statement of its own); answers whether it could */
  finish?: (tx: Queryable) => Promise<boolean>;
  metrics?: EngineMetrics;
  /** the event payload: values that read step outputs are resolved with it just before their call */
  payload?: unknown;
}

const CONTACT = '{contactId}';

interface Answer {
  contact?: { id: string; tags?: string[]; [field: string]: unknown };
  task?: { id: string };
  note?: { id: string };
  tags?: string[];
}

/**
 * Executes a plan step by step. Each step is journaled before its call (`started`) and after it
 * (`done`, with the GHL id, ledger and audit in one transaction), so a crash at any point resumes
 * without repeating a completed write. A create that was started but not recorded as done is
 * ambiguous: it is looked up (the contact's tasks or notes) before it is sent again.
 *
 * Values that read an earlier step's output (`steps.contact.id`…) are filled in just before their
 * call, from the outputs of this run's steps (a resumed run reads them from the journal), so the
 * journal, the ledger and GHL all see the resolved value.
 */
export async function applyPlan(ctx: ApplyContext, plan: Plan): Promise<{ contactId: string | null; finished: boolean }> {
  const done = ctx.journal ?? (await runSteps(ctx.db, ctx.runId));
  let contactId = plan.contactId;
  let finished = false;
  const outputs: Record<string, unknown> = { ...(plan.steps ?? {}) };
  const last = plan.calls[plan.calls.length - 1];
  for (const planned of plan.calls) {
    const journal = done.get(planned.step);
    if (journal?.status === 'done') {
      if (planned.produces?.kind === 'contact' && journal.ghlId) contactId = journal.ghlId;
      if (planned.output) outputs[planned.output] = planned.app ? journal.response : { id: journal.ghlId };
      continue;
    }
    if (contactId) outputs[CONTACT_STEP] = { id: contactId };
    const call = fillDeferred(ctx, planned, outputs);
    const finish = planned === last ? ctx.finish : undefined;
    if (call.app) {
      const result = await applyAppStep(ctx, plan, call, journal?.status === 'started', contactId, finish);
      finished = result.finished;
      if (call.output) outputs[call.output] = result.answer;
      continue;
    }
    if (call.path.includes(CONTACT) && !contactId) throw new Error(`step ${call.step} needs the contact id, which no earlier step produced`);
    const request = materialize(call, contactId, plan.locationId);
    let answer: Answer | null = null;
    if (journal?.status === 'started' && !call.idempotent) answer = await findCreated(ctx, call, request);
    if (!answer) {
      await journalStart(ctx, call, request);
      if (contactId && writesContact(call)) await rememberIntent(ctx, call, contactId);
      const child = /\/(?:tasks|notes)\/([^/]+)/.exec(request.path)?.[1];
      if (child && call.body) await rememberGhlWrite(ctx.db, decodeURIComponent(child), { ...call.body }, { intent: { runId: ctx.runId, step: call.step } });
      try {
        answer = (await ctx.ghl.call<Answer>(request)) ?? {};
      } catch (error) {
        // Not sent (no budget, daily limit, refused connection), or refused by an answer (4xx): the
        // step is not ambiguous, so a replay plans afresh (with a fixed recipe's new version)
        const sent = !notSent(error);
        if (!sent || refusedByAnswer(error, call)) {
          await ctx.db.query(`delete from run_steps where run_id = $1 and step = $2 and status = 'started'`, [ctx.runId, call.step]);
          await forgetGhlIntent(ctx.db, ctx.runId, call.step);
        }
        if (sent) {
          ctx.onCall?.(call.operationId);
          ctx.metrics?.stepEnded?.(call.operationId, 'failed');
        }
        throw error;
      }
      ctx.onCall?.(call.operationId);
    }
    const ghlId = answer.contact?.id ?? answer.task?.id ?? answer.note?.id ?? null;
    if (call.operationId === 'upsert-contact' && contactId && ghlId && ghlId !== contactId) {
      // an update sent as upsert found another contact by email/phone: do not re-link the record
      throw new Error(`step ${call.step}: the upsert wrote to GHL contact ${ghlId}, not the linked ${contactId}: their email or phone now belongs to another contact; merge them in GHL, then replay`);
    }
    if (call.produces?.kind === 'contact' && ghlId) contactId = ghlId;
    if (call.output) outputs[call.output] = { id: call.output === CONTACT_STEP ? contactId : ghlId };
    finished = await record(ctx, plan, call, answer, ghlId, contactId, finish);
    ctx.metrics?.stepEnded?.(call.operationId, 'done');
  }
  return { contactId, finished };
}

/**
 * The call with its deferred values filled from the step outputs so far (a missing optional one is
 * left out, its diff too). A required one that cannot be filled fails the step, naming the field.
 */
function fillDeferred(ctx: ApplyContext, call: PlannedCall, outputs: Record<string, unknown>): PlannedCall {
  if (!call.deferred || call.deferred.length === 0) return call;
  const body = { ...(call.body ?? {}) };
  let diff = call.diff;
  for (const d of call.deferred) {
    const r = resolveDeferred(d, ctx.payload, outputs);
    if (!r.ok) throw new Error(`step ${call.step} (${call.action}): ${r.message}`);
    if (r.value === undefined) {
      delete body[d.key];
      diff = diff.filter((c) => c.field !== d.key);
    } else {
      body[d.key] = r.value;
      diff = diff.map((c) => (c.field === d.key ? { ...c, to: r.value } : c));
    }
  }
  const { deferred: _d, ...rest } = call;
  return { ...rest, body, diff };
}

/** The step's journal entry; the first one of a plan made this turn stores the plan with it. */
async function journalStart(ctx: ApplyContext, call: PlannedCall, request: { method: string; path: string; body?: unknown }): Promise<void> {
  const params = [ctx.runId, call.step, call.action, JSON.stringify({ method: request.method, path: request.path, body: request.body ?? null })];
  const insert = `insert into run_steps (run_id, step, action, status, request, started_at) values ($1, $2, $3, 'started', $4, now())
     on conflict (run_id, step) do update set status = 'started', started_at = now()`;
  if (!ctx.savePlan) {
    await ctx.db.query(insert, params);
    return;
  }
  await ctx.db.query(`with saved as (update runs set plan = $5 where id = $1) ${insert}`, [...params, JSON.stringify(ctx.savePlan)]);
  ctx.savePlan = undefined;
}

/**
 * One step on a source app. A non-idempotent one left `started` by a crash may have been applied
 * and the app offers no lookup: it is dead-lettered for a person to check rather than repeated.
 */
async function applyAppStep(ctx: ApplyContext, plan: Plan, call: PlannedCall, interrupted: boolean, contactId: string | null, finish?: ApplyContext['finish']): Promise<{ finished: boolean; answer: unknown }> {
  const app = call.app!;
  if (!ctx.apps) throw new AppActionError(`step ${call.step}: no connectors are configured to run ${call.operationId}`);
  if (interrupted && !call.idempotent) {
    throw new AppActionError(`step ${call.step} (${call.operationId} on ${app.connection}) was interrupted and may have been applied; check the app, then replay`, null, false, true);
  }
  let input = { ...(call.body ?? {}) };
  if (app.contactView) {
    const id = typeof input.contactId === 'string' ? input.contactId : contactId;
    if (!id) throw new AppActionError(`step ${call.step}: the contact view needs a GHL contact, and none is linked to this record yet`);
    for (const op of ['get-contact', 'get-all-tasks', 'get-all-notes', 'get-appointments-for-contact']) ctx.onCall?.(op);
    input = { ...input, contactView: await readContactView(ctx.ghl, id, { locationId: plan.locationId }) };
  }
  await journalStart(ctx, call, { method: call.method, path: call.path, body: call.body });
  let answer: unknown;
  try {
    answer = await ctx.apps.run(app.connection, call.operationId, input, { idempotencyKey: `run:${ctx.runId}:step:${call.step}` });
  } catch (error) {
    if (error instanceof AppActionError && !error.mayHaveSucceeded) await ctx.db.query(`delete from run_steps where run_id = $1 and step = $2 and status = 'started'`, [ctx.runId, call.step]);
    ctx.metrics?.stepEnded?.(call.operationId, 'failed');
    throw error;
  }
  const markDone = (q: Queryable) => q.query(`update run_steps set status = 'done', response = $3, finished_at = now() where run_id = $1 and step = $2`, [ctx.runId, call.step, JSON.stringify(answer ?? null)]);
  ctx.metrics?.stepEnded?.(call.operationId, 'done');
  if (!finish) {
    await markDone(ctx.db);
    return { finished: false, answer };
  }
  const finished = await ctx.db.transaction(async (tx) => {
    await markDone(tx);
    return finish(tx);
  });
  return { finished, answer };
}

function writesContact(call: PlannedCall): boolean {
  return call.produces?.kind === 'contact' || call.path.endsWith('/tags');
}

/** What a contact step changes, as far as the call shows it: what was sent (less the location) and the tags it leaves. */
function changeOf(call: PlannedCall, answered?: Answer): Record<string, unknown> {
  const tagsTo = call.diff.find((d) => d.field === 'tags')?.to;
  const tags = answered?.tags ?? answered?.contact?.tags ?? (call.path.endsWith('/tags') && Array.isArray(tagsTo) ? tagsTo : undefined);
  if (call.path.endsWith('/tags')) return tags ? { tags } : {};
  const sent = { ...(call.body ?? {}) };
  delete sent.locationId;
  return { ...sent, ...(tags ? { tags } : {}) };
}

/**
 * Remembers the state a contact step leaves in GHL (one statement): the contact as GHL answered,
 * else the call's change over the last state we know.
 */
async function rememberState(q: Queryable, call: PlannedCall, contactId: string, o: { answered?: Answer; intent?: { runId: number; step: number } }): Promise<void> {
  if (o.answered?.contact && Object.keys(o.answered.contact).length > 2) return rememberGhlWrite(q, contactId, o.answered.contact, { full: true, intent: o.intent });
  await rememberGhlWriteOver(q, contactId, changeOf(call, o.answered), { intent: o.intent });
}

/** Before the call: the state it will leave is ours, so its webhook is an echo even if it beats GHL's answer here. */
async function rememberIntent(ctx: ApplyContext, call: PlannedCall, contactId: string): Promise<void> {
  await rememberState(ctx.db, call, contactId, { intent: { runId: ctx.runId, step: call.step } });
}

/**
 * GHL answered 4xx (invalid, not found, unauthorized, rate): it applied nothing. Except a 422 to a
 * create, which GHL has been seen to store anyway (the sandbox's `create-422-but-stored`): that
 * one stays ambiguous, like a 5xx or a lost answer, and is looked up before any re-send.
 */
function refusedByAnswer(error: unknown, call: PlannedCall): boolean {
  if (!(error instanceof GhlError) || error.status === null || error.status < 400 || error.status >= 500) return false;
  return error.status !== 422 || call.idempotent;
}

/** The call as a request; `resourceId` puts it under the location's rate budget. */
function notSent(error: unknown): boolean {
  if (error instanceof Reschedule) return true;
  if (error instanceof GhlRateLimitError && error.status === null) return true;
  return error instanceof GhlNetworkError && !error.mayHaveSucceeded;
}

function materialize(call: PlannedCall, contactId: string | null, locationId: string): GhlRequest {
  return {
    resourceId: locationId,
    method: call.method,
    path: call.path.replace(CONTACT, encodeURIComponent(contactId ?? '')),
    ...(call.body ? { body: call.body } : {}),
    operationId: call.operationId,
    idempotent: call.idempotent,
  };
}

/** Looks for the task or note an interrupted create may have made, by the exact fields sent. */
async function findCreated(ctx: ApplyContext, call: PlannedCall, request: GhlRequest): Promise<Answer | null> {
  const body = request.body as Record<string, unknown>;
  const list = { ...request, method: 'GET' as const, body: undefined, idempotent: true, operationId: call.operationId === 'create-task' ? 'get-all-tasks' : 'get-all-notes' };
  ctx.onCall?.(list.operationId);
  if (call.operationId === 'create-task') {
    const { tasks } = await ctx.ghl.call<{ tasks: Array<{ id: string; title?: string; dueDate?: string }> }>(list);
    const hit = tasks.find((t) => t.title === body.title && sameTime(t.dueDate, body.dueDate));
    return hit ? { task: { id: hit.id } } : null;
  }
  const { notes } = await ctx.ghl.call<{ notes: Array<{ id: string; body?: string }> }>(list);
  const hit = notes.find((n) => n.body === body.body);
  return hit ? { note: { id: hit.id } } : null;
}

function sameTime(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && (a === b || Date.parse(a) === Date.parse(b));
}

/** Journal, ledger and audit of one finished step, in one transaction (with the run's end when it is the last step). */
async function record(ctx: ApplyContext, plan: Plan, call: PlannedCall, answer: Answer, ghlId: string | null, contactId: string | null, finish?: ApplyContext['finish']): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    await tx.query(
      `insert into run_steps (run_id, step, action, status, ghl_id, response, finished_at) values ($1, $2, $3, 'done', $4, $5, now())
       on conflict (run_id, step) do update set status = 'done', ghl_id = excluded.ghl_id, response = excluded.response, finished_at = now()`,
      [ctx.runId, call.step, call.action, ghlId, JSON.stringify(answer)],
    );
    const [entry] = await ledgerEntries(tx, ctx.ledger, plan.recordId);
    const previous = entry?.fields ?? {};
    const written = { ...(call.body ?? {}) };
    delete written.locationId;
    if (call.operationId === 'delete-contact') {
      await deleteLedger(tx, ctx.ledger, 'contact', plan.recordId);
    } else if (call.produces?.kind === 'contact' || call.path.endsWith('/tags')) {
      const tags = answer.contact?.tags ?? answer.tags ?? (previous.tags as string[] | undefined) ?? [];
      const fields = call.path.endsWith('/tags') ? { ...previous, tags } : { ...previous, ...written, tags };
      // "unchanged" only once the whole mapped contact is written (a PUT before an upsert is not enough)
      const hash = call.path.endsWith('/tags') ? entry?.fieldsHash ?? null : call.partial ? null : fieldsHash(ctx.mappedContact);
      await putLedger(tx, ctx.ledger, { kind: 'contact', sourceId: plan.recordId, ghlId: contactId!, locationId: plan.locationId, fieldsHash: hash, fields });
      await rememberState(tx, call, contactId!, { answered: answer });
    } else if (call.produces && ghlId) {
      const children = await ledgerEntries(tx, ctx.ledger, plan.recordId, [call.produces.sourceId]);
      const child = children.find((c) => c.kind === call.produces!.kind && c.sourceId === call.produces!.sourceId);
      await putLedger(tx, ctx.ledger, { kind: call.produces.kind, sourceId: call.produces.sourceId, ghlId, locationId: plan.locationId, fieldsHash: null, fields: { ...(child?.fields ?? {}), ...written } });
    }
    if (contactId && call.diff.length > 0 && (call.produces?.kind === 'contact' || call.path.endsWith('/tags') || call.operationId === 'delete-contact')) {
      await appendAudit(tx, { locationId: plan.locationId, contactId, runId: ctx.runId, eventId: ctx.eventId, recipeId: ctx.recipeId, recipeVersion: ctx.recipeVersion }, call.diff);
    }
    return finish ? finish(tx) : false;
  });
}
