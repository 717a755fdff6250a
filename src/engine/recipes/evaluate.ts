/**
 * What a recipe makes of one event: whether it matches (trigger events, then `filter`), the
 * record id, the GHL contact fields and the actions with every value resolved. Pure: no I/O, no
 * clock, never throws; every mapping problem is a `MappingError` named by its recipe path
 * (`mapping.contact.email`, `actions[1].title`, `recordId`).
 *
 * A missing optional value is left out; a missing required one (record id, action source ids,
 * task title and due date, note body) is an error and its action is left out. A value that cannot
 * be used (bad email, a list where text is expected…) is an error and that field is left out. Task
 * due dates are normalised to ISO 8601 in UTC as the `date` transform does. `enabled` is not
 * read here: choosing the recipes to run is the caller's business.
 */
import { skipReason } from './skip.js';
import { shapeValue, normalizeTags, type OutputKind } from './outputs.js';
import { formatPath, getPath, type PathSegment } from './paths.js';
import { resolveValue, type ValueSource } from './resolve.js';
import type { ActionSpec, MappingError, Recipe, RecipeEvaluation, ResolvedAction, ValueSpec } from './types.js';

/** How one mapped field was resolved (for previews). */
export interface FieldTrace extends ValueSource {
  /** recipe path of the field, e.g. `mapping.contact.email` */
  field: string;
  status: 'mapped' | 'default' | 'skipped' | 'missing' | 'error';
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

/**
 * Evaluates a recipe for one event payload of type `eventType`.
 *
 * @example
 * const result = evaluateRecipe(recipe, { candidate: { id: 7, name: 'Ada Lovelace', email: 'ADA@x.io' } }, 'candidate.created');
 * // { matched: true, recordId: '7', contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@x.io' }, actions: [{ type: 'upsertContact' }], errors: [] }
 */
export function evaluateRecipe(recipe: Recipe, payload: unknown, eventType: string): RecipeEvaluation {
  return traceRecipe(recipe, payload, eventType).evaluation;
}

/**
 * `evaluateRecipe` plus how each field was resolved. Without `eventType` the trigger's event
 * list is not checked (the filter still is).
 *
 * @example
 * const { evaluation, fields } = traceRecipe(recipe, payload);
 * fields[0]; // { field: 'mapping.contact.email', source: 'candidate.email', sourceValue: 'ADA@x.io', status: 'mapped', value: 'ada@x.io' }
 */
export function traceRecipe(recipe: Recipe, payload: unknown, eventType?: string): TracedEvaluation {
  const run = new Run(payload);
  const recordId = readRecordId(recipe.recordId, payload);
  const skip = skipReason(recipe, payload, eventType);
  if (skip !== null) {
    return { evaluation: { matched: false, recordId: recordId.ok ? recordId.value : null, contact: {}, actions: [], errors: [], skip }, fields: [], reason: skip.message };
  }
  if (!recordId.ok) run.errors.push({ field: 'recordId', message: recordId.message });
  const contact = mapContact(run, recipe.mapping.contact);
  const actions = recipe.actions.flatMap((action, i) => resolveAction(run, action, ['actions', i]) ?? []);
  const evaluation = { matched: true, recordId: recordId.ok ? recordId.value : null, contact, actions, errors: run.errors };
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
  constructor(private readonly payload: unknown) {}

  /** The shaped value of a field, or undefined when it is left out (an error when required). */
  value(at: PathSegment[], spec: ValueSpec | undefined, kind: OutputKind, required = false): unknown {
    const field = formatPath(at);
    if (spec === undefined) {
      if (required) this.errors.push({ field, message: 'required' });
      return undefined;
    }
    const r = resolveValue(spec, this.payload);
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
}

function mapContact(run: Run, mapping: Recipe['mapping']['contact']): Record<string, unknown> {
  const contact: Record<string, unknown> = {};
  const base = ['mapping', 'contact'];
  for (const [key, spec] of Object.entries(mapping)) {
    if (key === 'customFields' || key === 'tags' || spec === undefined) continue;
    const value = run.value([...base, key], spec as ValueSpec, key === 'dnd' ? 'boolean' : 'text');
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
      const title = text('title', action.title, true);
      const dueDate = run.value([...at, 'dueDate'], action.dueDate, 'isoDate', true) as string | undefined;
      const optional = { body: text('body', action.body), completed: flag('completed', action.completed), assignedTo: text('assignedTo', action.assignedTo) };
      if (sourceId === undefined || title === undefined || dueDate === undefined) return undefined;
      return { type: 'task', sourceId, fields: { title, dueDate, ...definedOnly(optional) } };
    }
    case 'note': {
      const sourceId = text('sourceId', action.sourceId, true);
      const body = text('body', action.body, true);
      const userId = text('userId', action.userId);
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
        const value = run.value([...at, 'input', key], spec, 'any');
        if (value !== undefined) input[key] = value;
      }
      return { type: 'app', connection: action.connection, action: action.action, input, contactView: action.contactView ?? false };
    }
  }
}

function definedOnly<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}
