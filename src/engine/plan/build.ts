import type { AppActionInfo } from '../apply/apps.js';
import type { HttpMethod } from '../../ghl/core/types.js';
import { CONTACT_STEP, placeholder, refsKnown, resolveDeferred, type DeferredValue } from '../recipes/step-refs.js';
import type { RecipeEvaluation, ResolvedAction } from '../recipes/types.js';
import { fieldsHash, stableJson } from './hash.js';
import type { FieldDiff, LedgerEntry, Plan, PlannedCall } from './types.js';

export interface PlanInput {
  evaluation: RecipeEvaluation;
  locationId: string;
  /** ledger entries of this record: the contact, and tasks/notes by source id */
  ledger: LedgerEntry[];
  /** What the app actions are (endpoint, idempotency); without it they are planned as opaque POSTs. */
  apps?: (actionId: string) => AppActionInfo | null;
  /** the event payload: values reading step outputs the ledger knows are filled in at plan time */
  payload?: unknown;
}

const CONTACT = '{contactId}';

function diff(from: Record<string, unknown>, to: Record<string, unknown>): FieldDiff[] {
  return Object.keys(to)
    .filter((k) => stableJson(from[k]) !== stableJson(to[k]))
    .map((field) => ({ field, from: from[field], to: to[field] }));
}

/**
 * Computes the plan for one event, from the recipe's evaluation and the ledger alone (no GHL
 * call): identity through the ledger, else an upsert (HighLevel's duplicate rules find an existing
 * contact by email or phone); unchanged content (same hash) is skipped; only changed fields are
 * sent; tags go as add/remove diffs, never a full overwrite; tasks and notes matched through the
 * ledger are updated in place, never created twice.
 *
 * @example
 * const plan = buildPlan({ evaluation, locationId, ledger: await ledger.entries(connectionId, source, recordId) });
 */
export function buildPlan(input: PlanInput): Plan {
  const { evaluation, locationId } = input;
  const recordId = evaluation.recordId ?? '';
  const byKey = new Map(input.ledger.map((e) => [`${e.kind}:${e.sourceId}`, e]));
  const contactEntry = byKey.get(`contact:${recordId}`);
  const plan: Plan = { recordId, locationId, contactId: contactEntry?.ghlId ?? null, calls: [], skipped: [...(evaluation.skipped ?? [])] };
  // step outputs known now (the ledger's ids), and the step that gives each of the others
  const known: Record<string, unknown> = contactEntry ? { [CONTACT_STEP]: { id: contactEntry.ghlId } } : {};
  const producedAt = new Map<string, number>();
  let current: ResolvedAction | null = null;
  const add = (call: Omit<PlannedCall, 'step'>) => {
    const step = plan.calls.length + 1;
    const output = current?.type === 'upsertContact' ? (call.produces?.kind === 'contact' ? CONTACT_STEP : undefined) : current?.id;
    const deferred = current?.deferred?.filter((d) => call.body !== undefined && Object.hasOwn(call.body, d.key));
    plan.calls.push({ ...call, step, ...(output !== undefined ? { output } : {}), ...(deferred && deferred.length > 0 ? { deferred } : {}) });
    if (output !== undefined && !producedAt.has(output)) producedAt.set(output, step);
  };
  const { tags: mappedTags, ...fields } = evaluation.contact;
  // the tags the contact will have after the calls planned so far (later tag actions diff against it)
  let lastTags = (contactEntry?.fields?.tags as string[] | undefined) ?? [];

  for (const resolved of evaluation.actions) {
    const action = settle(resolved, known, producedAt, input.payload);
    current = action;
    if (action.id !== undefined && action.type !== 'upsertContact' && (action.type === 'task' || action.type === 'note')) {
      const entry = byKey.get(`${action.type}:${action.sourceId}`);
      if (entry) known[action.id] = { id: entry.ghlId };
    }
    switch (action.type) {
      case 'upsertContact':
        planContact(plan, add, fields, contactEntry);
        if (Array.isArray(mappedTags)) lastTags = planTags(plan, add, { type: 'tags', add: mappedTags as string[], remove: [], managed: [] }, lastTags);
        break;
      case 'tags':
        lastTags = planTags(plan, add, action, lastTags);
        break;
      case 'task':
        planRecord(plan, add, 'task', action.sourceId, action.fields, byKey.get(`task:${action.sourceId}`));
        break;
      case 'note':
        planRecord(plan, add, 'note', action.sourceId, action.fields, byKey.get(`note:${action.sourceId}`));
        break;
      case 'completeTask': {
        const task = byKey.get(`task:${action.sourceId}`);
        if (!task) plan.skipped.push({ action: `completeTask:${action.sourceId}`, reason: 'no GHL task is linked to this source task yet' });
        else if (task.fields?.completed === action.completed) plan.skipped.push({ action: `completeTask:${action.sourceId}`, reason: 'already in that state' });
        else add({ action: `completeTask:${action.sourceId}`, operationId: 'update-task-completed', method: 'PUT', path: `/contacts/${CONTACT}/tasks/${task.ghlId}/completed`, body: { completed: action.completed }, idempotent: true, diff: [{ field: 'completed', from: task.fields?.completed, to: action.completed }], produces: { kind: 'task', sourceId: action.sourceId }, reason: 'task completion changed' });
        break;
      }
      case 'deleteContact':
        if (!contactEntry) plan.skipped.push({ action: 'deleteContact', reason: 'no GHL contact is linked to this record' });
        else if (action.policy === 'delete') add({ action: 'deleteContact', operationId: 'delete-contact', method: 'DELETE', path: `/contacts/${CONTACT}`, idempotent: true, diff: [{ field: 'contact', from: 'exists', to: 'deleted' }], reason: 'source record deleted; policy delete' });
        else if (lastTags.includes(action.tag)) plan.skipped.push({ action: 'deleteContact', reason: `already tagged ${action.tag}` });
        else add({ action: 'deleteContact', operationId: 'add-tags', method: 'POST', path: `/contacts/${CONTACT}/tags`, body: { tags: [action.tag] }, idempotent: true, diff: [{ field: 'tags', from: lastTags, to: [...lastTags, action.tag] }], reason: `source record deleted; policy tag "${action.tag}"` });
        break;
      case 'app':
        planApp(add, action, input.apps?.(action.action) ?? null);
        break;
    }
  }
  current = null;
  if (Object.keys(known).length > 0) plan.steps = known;
  return plan;
}

/**
 * Fills the deferred values the known step outputs answer; the others show a placeholder naming
 * the step that gives them (`<steps.contact.id: known after step 1>`) and stay deferred for apply.
 */
function settle(action: ResolvedAction, known: Record<string, unknown>, producedAt: Map<string, number>, payload: unknown): ResolvedAction {
  if (!action.deferred || action.deferred.length === 0) return action;
  const values: Record<string, unknown> = {};
  const later = [];
  for (const d of action.deferred) {
    const r = refsKnown(d, known) ? resolveDeferred(d, payload, known) : null;
    if (r?.ok) {
      values[d.key] = r.value;
      continue;
    }
    values[d.key] = preview(d, known, producedAt, payload);
    later.push(d);
  }
  const fill = (fields: Record<string, unknown>) => {
    const out = { ...fields };
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete out[key];
      else out[key] = value;
    }
    return out;
  };
  const { deferred: _d, ...rest } = action;
  const base = later.length > 0 ? { deferred: later } : {};
  if (rest.type === 'task') return { ...rest, ...base, fields: fill(rest.fields) as typeof rest.fields };
  if (rest.type === 'note') return { ...rest, ...base, fields: fill(rest.fields) as typeof rest.fields };
  if (rest.type === 'app') return { ...rest, ...base, input: fill(rest.input) };
  return { ...rest, ...base };
}

/**
 * What a value not known yet looks like: rendered with each reference shown as its placeholder
 * (`Linked to <steps.contact.id: known after step 1>`), or the bare placeholder when it cannot be.
 */
function preview(d: DeferredValue, known: Record<string, unknown>, producedAt: Map<string, number>, payload: unknown): unknown {
  const stepOf = (ref: string) => producedAt.get(ref.split('.')[1] ?? '') ?? null;
  const scope: Record<string, unknown> = { ...known };
  for (const ref of d.refs) {
    const [, ...path] = ref.split('.');
    setIn(scope, path, placeholder([ref], stepOf(ref)));
  }
  const shown = resolveDeferred(d, payload, scope);
  if (shown.ok && shown.value !== undefined) return shown.value;
  const steps = d.refs.map(stepOf);
  return placeholder(d.refs, steps.every((n) => n !== null) ? Math.max(...(steps as number[])) : null);
}

/** Sets a value at a path of plain keys, copying the objects on the way (never the caller's). */
function setIn(target: Record<string, unknown>, path: string[], value: unknown): void {
  let at = target;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) {
      at[key] = value;
      return;
    }
    const next = at[key];
    const copy = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
    at[key] = copy;
    at = copy;
  }
}

type Add = (call: Omit<PlannedCall, 'step'>) => void;

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** An action on a source app: sent as planned; what it changes there is the app's business. */
function planApp(add: Add, action: Extract<ResolvedAction, { type: 'app' }>, info: AppActionInfo | null): void {
  const [verb, ...rest] = (info?.endpoint ?? '').split(' ');
  const method = (verb && METHODS.has(verb) ? verb : 'POST') as HttpMethod;
  const path = rest.join(' ') || action.action;
  const diff = Object.entries(action.input).map(([field, to]) => ({ field, from: undefined, to }));
  const view = action.contactView ? ' with the GHL contact view' : '';
  add({ action: `app:${action.action}`, operationId: action.action, method, path, body: action.input, idempotent: info?.idempotent ?? false, diff, app: { connection: action.connection, contactView: action.contactView }, reason: `${action.action} on ${action.connection}${view}` });
}

function planContact(plan: Plan, add: Add, fields: Record<string, unknown>, entry: LedgerEntry | undefined): void {
  const sourceId = plan.recordId;
  if (!entry) {
    add({ action: 'upsertContact', operationId: 'upsert-contact', method: 'POST', path: '/contacts/upsert', body: { ...fields, locationId: plan.locationId }, idempotent: true, diff: diff({}, fields), produces: { kind: 'contact', sourceId }, reason: 'no GHL contact linked yet: upsert finds an existing one by email/phone or creates it' });
    return;
  }
  const { tags: _t, ...last } = entry.fields ?? {};
  if (entry.fieldsHash === fieldsHash(fields) || diff(last, fields).length === 0) {
    plan.skipped.push({ action: 'upsertContact', reason: 'contact fields unchanged since the last write' });
    return;
  }
  const changes = diff(last, fields);
  const upsertOnly = changes.filter((c) => UPSERT_ONLY.has(c.field)).map((c) => c.field);
  if (upsertOnly.length === 0) {
    add({ action: 'upsertContact', operationId: 'update-contact', method: 'PUT', path: `/contacts/${CONTACT}`, body: Object.fromEntries(changes.map((c) => [c.field, c.to])), idempotent: true, diff: changes, produces: { kind: 'contact', sourceId }, reason: `${changes.length} field(s) changed` });
    return;
  }
  // PUT /contacts/{id} does not take these: the upsert does, found by the contact's email or phone.
  // The PUT goes first and re-asserts that email/phone on the linked contact, so the upsert finds
  // this contact and no other (a GHL-side edit of the email would otherwise send it elsewhere).
  const rest = changes.filter((c) => !UPSERT_ONLY.has(c.field));
  const identity = Object.fromEntries(['email', 'phone'].filter((k) => typeof fields[k] === 'string').map((k) => [k, fields[k]]));
  const hasIdentity = Object.keys(identity).length > 0;
  if (rest.length > 0 || hasIdentity) {
    add({ action: 'upsertContact', operationId: 'update-contact', method: 'PUT', path: `/contacts/${CONTACT}`, body: { ...identity, ...Object.fromEntries(rest.map((c) => [c.field, c.to])) }, idempotent: true, diff: rest, produces: { kind: 'contact', sourceId }, partial: true, reason: rest.length > 0 ? `${rest.length} field(s) changed` : `re-asserts ${Object.keys(identity).join('/')} so the upsert finds this contact` });
  }
  if (!hasIdentity) {
    plan.skipped.push({ action: 'upsertContact', reason: `${upsertOnly.join(', ')} changed, but only an upsert writes it and the mapping has no email or phone to find the contact by` });
    return;
  }
  const only = changes.filter((c) => UPSERT_ONLY.has(c.field));
  add({ action: 'upsertContact', operationId: 'upsert-contact', method: 'POST', path: '/contacts/upsert', body: { ...Object.fromEntries(only.map((c) => [c.field, c.to])), ...identity, locationId: plan.locationId }, idempotent: true, diff: only, produces: { kind: 'contact', sourceId }, reason: `${upsertOnly.join(', ')} is written by upsert (PUT /contacts/{id} does not take it), which finds contact ${entry.ghlId} by ${Object.keys(identity).join('/')}` });
}

/** Contact fields the update (PUT /contacts/{id}, UpdateContactDto) does not accept, but the upsert does. */
const UPSERT_ONLY = new Set(['companyName']);

/** Plans add/remove calls for the difference; returns the tags the contact has afterwards. */
function planTags(plan: Plan, add: Add, action: Extract<ResolvedAction, { type: 'tags' }>, lastTags: string[]): string[] {
  const current = new Set(lastTags);
  const toAdd = action.add.filter((t) => !current.has(t));
  const wanted = new Set(action.add);
  const toRemove = [...new Set([...action.remove, ...action.managed.filter((t) => !wanted.has(t))])].filter((t) => current.has(t) && !wanted.has(t));
  if (toAdd.length > 0) add({ action: 'tags', operationId: 'add-tags', method: 'POST', path: `/contacts/${CONTACT}/tags`, body: { tags: toAdd }, idempotent: true, diff: [{ field: 'tags', from: lastTags, to: [...lastTags, ...toAdd] }], reason: `add ${toAdd.join(', ')}` });
  if (toRemove.length > 0) add({ action: 'tags', operationId: 'remove-tags', method: 'DELETE', path: `/contacts/${CONTACT}/tags`, body: { tags: toRemove }, idempotent: true, diff: [{ field: 'tags', from: lastTags, to: lastTags.filter((t) => !toRemove.includes(t)) }], reason: `remove ${toRemove.join(', ')}` });
  if (toAdd.length === 0 && toRemove.length === 0) plan.skipped.push({ action: 'tags', reason: 'tags unchanged' });
  return [...lastTags, ...toAdd].filter((t) => !toRemove.includes(t));
}

function planRecord(plan: Plan, add: Add, kind: 'task' | 'note', sourceId: string, fields: Record<string, unknown>, entry: LedgerEntry | undefined): void {
  const action = `${kind}:${sourceId}`;
  const base = `/contacts/${CONTACT}/${kind}s`;
  if (!entry) {
    const body = kind === 'task' ? { completed: false, ...fields } : fields;
    add({ action, operationId: `create-${kind}`, method: 'POST', path: base, body, idempotent: false, diff: diff({}, body), produces: { kind, sourceId }, reason: `no GHL ${kind} linked to source ${kind} ${sourceId}` });
    return;
  }
  const changes = diff(entry.fields ?? {}, fields);
  if (changes.length === 0) {
    plan.skipped.push({ action, reason: `${kind} unchanged` });
    return;
  }
  add({ action, operationId: `update-${kind}`, method: 'PUT', path: `${base}/${entry.ghlId}`, body: Object.fromEntries(changes.map((c) => [c.field, c.to])), idempotent: true, diff: changes, produces: { kind, sourceId }, reason: `${changes.length} field(s) changed` });
}
