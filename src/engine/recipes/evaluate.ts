/**
 * What a recipe makes of one event: whether it matches (trigger events, then `filter`), the
 * record id, the GHL contact fields and the actions with every value resolved (an action whose
 * `when` does not hold is left out and listed in `skipped`). Pure: no I/O, never throws, and no
 * clock but the event's time (`now` reads `eventTime`: the same event always maps the same); every mapping problem is a `MappingError` named by its recipe path
 * (`mapping.contact.email`, `actions[1].title`, `recordId`).
 *
 * A missing optional value is left out; a missing required one (record id, action source ids,
 * task title and due date, note body) is an error and its action is left out. A value that cannot
 * be used (bad email, a list where text is expected…) is an error and that field is left out. Task
 * due dates are normalised to ISO 8601 in UTC as the `date` transform does. `enabled` is not
 * read here: choosing the recipes to run is the caller's business. A value of an action that reads
 * `steps.…` (an earlier step's output) is deferred: see `step-refs.ts`.
 */
import { evaluateCondition } from './conditions.js';
import { skipReason, whyFalse } from './skip.js';
import { shapeValue, normalizeTags, type OutputKind } from './outputs.js';
import { formatPath, getPath, type PathSegment } from './paths.js';
import { resolveValue, type ResolveContext, type ValueSource } from './resolve.js';
import { placeholder, stepRefs, type DeferredValue } from './step-refs.js';
import type { ActionSpec, MappingError, Recipe, RecipeEvaluation, ResolvedAction, ValueSpec } from './types.js';

/** How one mapped field was resolved (for previews). */
export interface FieldTrace extends ValueSource {
  /** recipe path of the field, e.g. `mapping.contact.email` */
  field: string;
  /** `deferred`: it reads a step output, known when the plan or apply fills it */
  status: 'mapped' | 'default' | 'skipped' | 'missing' | 'error' | 'deferred';
  /** the value written (absent when the field is left out) */
  value?: unknown;
  /** why the field is left out or in error */
  message?: string;
}

export interface TracedEvaluation {
  evaluation: RecipeEvaluation;
  fields: FieldTrace[];
  /** why the event does not match, when it does not */
  reason?: string;
}

/** `eventTime`: when the event was received (stored); `now` in values reads it. Default: the current time (a payload never stored). */
export interface EvaluateOptions {
  eventTime?: Date;
}

/**
 * Evaluates a recipe for one event payload of type `eventType`.
 *
 * @example
 * const result = evaluateRecipe(recipe, { candidate: { id: 7, name: 'Ada Lovelace', email: 'ADA@x.io' } }, 'candidate.created');
 * // { matched: true, recordId: '7', contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@x.io' }, actions: [{ type: 'upsertContact' }], errors: [] }
 */
export function evaluateRecipe(recipe: Recipe, payload: unknown, eventType: string, options: EvaluateOptions = {}): RecipeEvaluation {
  return traceRecipe(recipe, payload, eventType, options).evaluation;
}

/**
 * `evaluateRecipe` plus how each field was resolved. Without `eventType` the trigger's event
 * list is not checked (the filter still is).
 *
 * @example
 * const { evaluation, fields } = traceRecipe(recipe, payload);
 * fields[0]; // { field: 'mapping.contact.email', source: 'candidate.email', sourceValue: 'ADA@x.io', status: 'mapped', value: 'ada@x.io' }
 */
export function traceRecipe(recipe: Recipe, payload: unknown, eventType?: string, options: EvaluateOptions = {}): TracedEvaluation {
  const run = new Run(payload, { eventTime: options.eventTime ?? new Date() });
  const recordId = readRecordId(recipe.recordId, payload);
  const skip = skipReason(recipe, payload, eventType);
  if (skip !== null) {
    return { evaluation: { matched: false, recordId: recordId.ok ? recordId.value : null, contact: {}, actions: [], errors: [], skip }, fields: [], reason: skip.message };
  }
  if (!recordId.ok) run.errors.push({ field: 'recordId', message: recordId.message });
  const contact = mapContact(run, recipe.mapping.contact);
  const skipped: NonNullable<RecipeEvaluation['skipped']> = [];
  const actions = recipe.actions.flatMap((action, i) => {
    const why = action.when === undefined ? null : whyFalse(action.when, payload);
    if (why !== null) {
      skipped.push({ action: `actions[${i}] (${action.type})`, reason: `its "when" does not hold: ${why}` });
      return [];
    }
    const resolved = resolveAction(run, action, ['actions', i]);
    if (!resolved) return [];
    const deferred = run.takeDeferred();
    const id = 'id' in action ? action.id : undefined;
    return [{ ...resolved, ...(id !== undefined ? { id } : {}), ...(deferred.length > 0 ? { deferred } : {}) }];
  });
  const evaluation: RecipeEvaluation = { matched: true, recordId: recordId.ok ? recordId.value : null, contact, actions, errors: run.errors, ...(skipped.length > 0 ? { skipped } : {}) };
  return { evaluation, fields: run.fields };
}

function readRecordId(path: string, payload: unknown): { ok: true; value: string } | { ok: false; message: string } {
  const raw = getPath(payload, path);
  if (typeof raw === 'string' && raw.trim() !== '') return { ok: true, value: raw };
  if (typeof raw === 'number' && Number.isFinite(raw)) return { ok: true, value: String(raw) };
  if (raw === undefined || raw === null || typeof raw === 'string') return { ok: false, message: `required: no value at "${path}"` };
  return { ok: false, message: `expected a text or number id at "${path}", got ${Array.isArray(raw) ? 'a list' : typeof raw}` };
}

/** Collects errors and traces while the fields of one event are resolved. */
class Run {
  readonly errors: MappingError[] = [];
  readonly fields: FieldTrace[] = [];
  private deferred: DeferredValue[] = [];
  constructor(private readonly payload: unknown, private readonly context: ResolveContext) {}

  /** The values of the action just resolved that read step outputs. */
  takeDeferred(): DeferredValue[] {
    const taken = this.deferred;
    this.deferred = [];
    return taken;
  }

  /**
   * The shaped value of a field, or undefined when it is left out (an error when required). A
   * value reading `steps.…` (the schema allows it only in fields that may wait) is a placeholder,
   * recorded as deferred under `key`, its field in the call body.
   */
  value(at: PathSegment[], spec: ValueSpec | undefined, kind: OutputKind, required = false, key?: string): unknown {
    const field = formatPath(at);
    if (spec === undefined) {
      if (required) this.errors.push({ field, message: 'required' });
      return undefined;
    }
    const refs = key === undefined ? [] : stepRefs(spec);
    if (refs.length > 0 && key !== undefined) return this.defer(field, key, spec, kind, required, refs);
    const r = resolveValue(spec, this.payload, this.context);
    const trace: FieldTrace = { field, source: r.source, sourceValue: r.sourceValue, status: r.status };
    this.fields.push(trace);
    if (r.status === 'skipped' || r.status === 'missing') {
      trace.message = r.reason;
      if (required) this.errors.push({ field, message: `required: ${r.reason}` });
      return undefined;
    }
    const shaped = r.status === 'error' ? { ok: false as const, message: r.message } : shapeValue(r.value, kind);
    if (!shaped.ok) {
      Object.assign(trace, { status: 'error', message: shaped.message });
      this.errors.push({ field, message: shaped.message });
      return undefined;
    }
    trace.value = shaped.value;
    return shaped.value;
  }

  private defer(field: string, key: string, spec: ValueSpec, kind: OutputKind, required: boolean, refs: string[]): unknown {
    const s = typeof spec === 'string' ? { path: spec } : spec;
    const source = s.path ?? s.template ?? null;
    if (s.when !== undefined && !evaluateCondition(s.when, this.payload)) {
      this.fields.push({ field, source, sourceValue: undefined, status: 'skipped', message: 'the "when" condition does not hold' });
      if (required) this.errors.push({ field, message: 'required: the "when" condition does not hold' });
      return undefined;
    }
    const { when: _when, ...rest } = s;
    const shown = placeholder(refs, null);
    this.deferred.push({ key, field, spec: rest, kind, required, refs });
    this.fields.push({ field, source, sourceValue: undefined, status: 'deferred', value: shown, message: `reads ${refs.join(', ')}: filled in when that step has run` });
    return shown;
  }
}

function mapContact(run: Run, mapping: Recipe['mapping']['contact']): Record<string, unknown> {
  const contact: Record<string, unknown> = {};
  const base = ['mapping', 'contact'];
  for (const [key, spec] of Object.entries(mapping)) {
    if (key === 'customFields' || key === 'tags' || spec === undefined) continue;
    const value = run.value([...base, key], spec as ValueSpec, key === 'dnd' ? 'boolean' : key === 'dateOfBirth' ? 'calendarDate' : 'text');
    if (value !== undefined) contact[key] = value;
  }
  const customFields: Array<{ key: string; field_value: unknown }> = [];
  for (const [key, spec] of Object.entries(mapping.customFields ?? {})) {
    const value = run.value([...base, 'customFields', key], spec, 'any');
    if (value !== undefined) customFields.push({ key, field_value: value });
  }
  if (customFields.length > 0) contact.customFields = customFields;
  const tags = run.value([...base, 'tags'], mapping.tags, 'tags') as string[] | undefined;
  if (tags !== undefined && tags.length > 0) contact.tags = tags;
  return contact;
}

function resolveAction(run: Run, action: ActionSpec, at: PathSegment[]): ResolvedAction | undefined {
  const text = (key: string, spec: ValueSpec | undefined, required = false) => run.value([...at, key], spec, 'text', required) as string | undefined;
  // a field that may read step outputs (sent as it is, never used to plan)
  const late = (key: string, spec: ValueSpec | undefined, required = false) => run.value([...at, key], spec, 'text', required, key) as string | undefined;
  const flag = (key: string, spec: ValueSpec | undefined) => run.value([...at, key], spec, 'boolean') as boolean | undefined;
  switch (action.type) {
    case 'upsertContact':
      return { type: 'upsertContact' };
    case 'tags': {
      const added = run.value([...at, 'add'], action.add, 'tags') as string[] | undefined;
      const remove = (run.value([...at, 'remove'], action.remove, 'tags') as string[] | undefined) ?? [];
      const managed = normalizeTags(action.managed ?? []);
      // an `add` that resolves to nothing (a thin payload) says nothing about the managed tags:
      // keep them rather than strip them all
      const unknown = action.add !== undefined && added === undefined;
      return { type: 'tags', add: added ?? [], remove, managed: managed.ok && !unknown ? managed.value : [] };
    }
    case 'task': {
      const sourceId = text('sourceId', action.sourceId, true);
      const title = late('title', action.title, true);
      const dueDate = run.value([...at, 'dueDate'], action.dueDate, 'isoDate', true) as string | undefined;
      const optional = { body: late('body', action.body), completed: flag('completed', action.completed), assignedTo: late('assignedTo', action.assignedTo) };
      if (sourceId === undefined || title === undefined || dueDate === undefined) return undefined;
      return { type: 'task', sourceId, fields: { title, dueDate, ...definedOnly(optional) } };
    }
    case 'note': {
      const sourceId = text('sourceId', action.sourceId, true);
      const body = late('body', action.body, true);
      const userId = late('userId', action.userId);
      if (sourceId === undefined || body === undefined) return undefined;
      return { type: 'note', sourceId, fields: { body, ...definedOnly({ userId }) } };
    }
    case 'completeTask': {
      const sourceId = text('sourceId', action.sourceId, true);
      const completed = flag('completed', action.completed) ?? true;
      if (sourceId === undefined) return undefined;
      return { type: 'completeTask', sourceId, completed };
    }
    case 'deleteContact': {
      const tag = normalizeTags(action.tag ?? 'inactive');
      return { type: 'deleteContact', policy: action.policy, tag: (tag.ok ? tag.value[0] : undefined) ?? 'inactive' };
    }
    case 'app': {
      // values keep their shape (ids, lists, objects); the action's own schema checks them at plan time
      const input: Record<string, unknown> = {};
      for (const [key, spec] of Object.entries(action.input ?? {})) {
        const value = run.value([...at, 'input', key], spec, 'any', false, key);
        if (value !== undefined) input[key] = value;
      }
      return { type: 'app', connection: action.connection, action: action.action, input, contactView: action.contactView ?? false };
    }
  }
}

function definedOnly<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
