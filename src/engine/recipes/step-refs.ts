/**
 * Step outputs: an action's value may read what an earlier action produced, as `steps.<id>.<path>`
 * in a path or a `{{…}}` placeholder. `steps.contact.id` is the GHL contact's id (the
 * `upsertContact` step; `steps.contact` is `{ id }`); a task or note with an `id` gives its GHL id (`steps.<id>.id`); an app
 * action with an `id` gives its output (`steps.<id>.<any path>`). Such a value is not known when
 * the event is evaluated (a new contact has no id yet), so it is *deferred*: the planner fills it
 * from the ledger when it can, else apply resolves it just before the call (see
 * `resolveDeferred`).
 */
import { z } from 'zod';
import { parsePath, type PathSegment } from './paths.js';
import { resolveValue, type ResolveContext } from './resolve.js';
import { shapeValue, type OutputKind } from './outputs.js';
import { parseTemplate } from './template.js';
import type { Condition, ValueSpec } from './types.js';

/** The step name of the `upsertContact` action. */
export const CONTACT_STEP = 'contact';

/** A value of an action that reads step outputs, resolved later. `key`: the field in the call body. */
export interface DeferredValue {
  key: string;
  /** recipe path of the field, e.g. `actions[2].body` */
  field: string;
  spec: ValueSpec;
  kind: OutputKind;
  required: boolean;
  /** the references read, e.g. `steps.contact.id` */
  refs: string[];
}

/** Which action fields may read step outputs (their values are sent, not used to plan). */
const DEFERRABLE: Record<string, readonly string[]> = { task: ['title', 'body', 'assignedTo'], note: ['body', 'userId'] };

/**
 * The `steps.…` references of a value spec (path and template placeholders), as written.
 *
 * @example
 * stepRefs({ template: 'GHL contact {{steps.contact.id}} for {{candidate.name}}' }); // ['steps.contact.id']
 * stepRefs('candidate.id'); // []
 */
export function stepRefs(spec: ValueSpec | undefined): string[] {
  if (spec === undefined) return [];
  const s = typeof spec === 'string' ? { path: spec } : spec;
  const paths: string[] = [];
  if (s.path !== undefined) paths.push(s.path);
  if (s.template !== undefined) {
    const parsed = parseTemplate(s.template);
    if (parsed.ok) for (const part of parsed.parts) if ('path' in part) paths.push(part.path);
  }
  return paths.filter((p) => {
    const parsed = parsePath(p);
    return parsed.ok && parsed.segments[0] === 'steps';
  });
}

interface ActionLike { type?: unknown; id?: unknown; input?: unknown; when?: unknown; [key: string]: unknown }

/**
 * Schema check of the references in a recipe's actions: each names an earlier step that has an
 * output, reads only what that step gives, and sits in a field that may be deferred. Problems go to
 * `ctx` with the field's path, e.g. `actions[1].body: steps.note1 is not an earlier step…`.
 *
 * @example
 * recipeSchema.superRefine((recipe, ctx) => checkStepRefs(recipe, ctx));
 */
export function checkStepRefs(recipe: { mapping?: { contact?: Record<string, unknown> }; actions?: unknown[] }, ctx: z.RefinementCtx): void {
  const steps = new Map<string, string>(); // id → action type
  const ids = new Set<string>();
  const report = (path: PathSegment[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  for (const [key, spec] of Object.entries(recipe.mapping?.contact ?? {})) {
    const specs = key === 'customFields' && spec && typeof spec === 'object' ? Object.entries(spec as Record<string, ValueSpec>) : [[null, spec as ValueSpec] as const];
    for (const [custom, s] of specs) {
      const [ref] = stepRefs(s);
      const at = custom === null ? ['mapping', 'contact', key] : ['mapping', 'contact', key, custom];
      if (ref !== undefined) report(at, `${ref}: the contact mapping cannot read step outputs (it is written by the first step); use them in a later action's title, body or input`);
    }
  }
  for (const [i, raw] of (recipe.actions ?? []).entries()) {
    const action = raw as ActionLike;
    const type = String(action.type);
    for (const [key, spec] of fieldsOf(action)) {
      const at: PathSegment[] = key.startsWith('input.') ? ['actions', i, 'input', key.slice(6)] : ['actions', i, key];
      const allowed = type === 'app' ? key.startsWith('input.') : (DEFERRABLE[type] ?? []).includes(key);
      for (const ref of stepRefs(spec)) {
        const problem = refProblem(ref, steps);
        if (problem) report(at, problem);
        else if (!allowed) report(at, `${ref}: ${key} is needed to plan the step, before any step runs; step outputs can be read in ${type === 'app' ? 'input values' : (DEFERRABLE[type] ?? []).join(', ') || 'no field of this action'}`);
      }
      if (spec && typeof spec === 'object' && spec.when !== undefined && conditionReadsSteps(spec.when)) report([...at, 'when'], 'a "when" condition reads the event; steps.… outputs are not known when it is checked');
    }
    if (action.when !== undefined && conditionReadsSteps(action.when as Condition)) report(['actions', i, 'when'], 'a "when" condition reads the event; steps.… outputs are not known when it is checked');
    const id = type === 'upsertContact' ? CONTACT_STEP : typeof action.id === 'string' ? action.id : undefined;
    if (id === undefined) continue;
    if (ids.has(id)) report(['actions', i, ...(type === 'upsertContact' ? ['type'] : ['id'])], id === CONTACT_STEP ? `"${CONTACT_STEP}" is already the upsertContact step's name` : `step id "${id}" is used by an earlier action`);
    else if (type !== 'upsertContact' && id === CONTACT_STEP) report(['actions', i, 'id'], `"${CONTACT_STEP}" is the upsertContact step's name; choose another id`);
    ids.add(id);
    steps.set(id, type);
  }
}

function fieldsOf(action: ActionLike): Array<[string, ValueSpec]> {
  const out: Array<[string, ValueSpec]> = [];
  for (const [key, value] of Object.entries(action)) {
    if (key === 'type' || key === 'id' || key === 'when' || key === 'managed' || key === 'contactView' || key === 'connection' || key === 'action' || key === 'policy' || key === 'tag') continue;
    if (key === 'input' && value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push([`input.${k}`, v as ValueSpec]);
    else if (typeof value === 'string' || (value && typeof value === 'object')) out.push([key, value as ValueSpec]);
  }
  return out;
}

function refProblem(ref: string, steps: Map<string, string>): string | null {
  const parsed = parsePath(ref);
  const segments = parsed.ok ? parsed.segments : [];
  const id = segments[1];
  const earlier = [...steps.keys()].map((k) => `steps.${k}`).join(', ') || 'none';
  if (typeof id !== 'string') return `${ref}: write steps.<step id>.<field>, e.g. steps.contact.id (earlier steps: ${earlier})`;
  const type = steps.get(id);
  if (type === undefined) return `${ref}: "${id}" is not an earlier step (earlier steps: ${earlier}; a step is named by the id of its action, the upsertContact step is "${CONTACT_STEP}")`;
  const idOnly = segments.length === 2 || (segments.length === 3 && segments[2] === 'id');
  if (type !== 'app' && !idOnly) return `${ref}: the ${type} step gives only its GHL id: steps.${id}.id (or steps.${id}, the object { id })`;
  return null;
}

function conditionReadsSteps(condition: Condition): boolean {
  if ('all' in condition) return condition.all.some(conditionReadsSteps);
  if ('any' in condition) return condition.any.some(conditionReadsSteps);
  if ('not' in condition) return conditionReadsSteps(condition.not);
  const parsed = parsePath(condition.path);
  return parsed.ok && parsed.segments[0] === 'steps';
}

/**
 * The placeholder a deferred value shows until it is known, e.g. in a dry run.
 *
 * @example
 * placeholder(['steps.contact.id'], 1); // '<steps.contact.id: known after step 1>'
 */
export function placeholder(refs: readonly string[], step: number | null): string {
  return `<${refs.join(', ')}: ${step === null ? 'not known: no planned step produces it' : `known after step ${step}`}>`;
}

export type DeferredResult = { ok: true; value: unknown } | { ok: true; value: undefined; left: string } | { ok: false; message: string };

/**
 * Resolves a deferred value with the step outputs known so far (`steps`: step id → output) and
 * the event payload. A missing optional value is left out (`value` undefined); a missing required
 * one, or one of the wrong shape, is an error naming the field.
 *
 * @example
 * resolveDeferred({ key: 'body', field: 'actions[1].body', spec: { template: 'GHL id {{steps.contact.id}}' }, kind: 'text', required: true, refs: ['steps.contact.id'] }, {}, { contact: { id: 'c1' } });
 * // { ok: true, value: 'GHL id c1' }
 */
export function resolveDeferred(d: DeferredValue, payload: unknown, steps: Record<string, unknown>, context?: ResolveContext): DeferredResult {
  const scope = { ...(payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload : {}), steps };
  const r = resolveValue(d.spec, scope, context);
  if (r.status === 'error') return { ok: false, message: `${d.field}: ${r.message}` };
  if (r.status === 'skipped' || r.status === 'missing') {
    return d.required ? { ok: false, message: `${d.field}: required: ${r.reason}` } : { ok: true, value: undefined, left: r.reason };
  }
  const shaped = shapeValue(r.value, d.kind);
  return shaped.ok ? { ok: true, value: shaped.value } : { ok: false, message: `${d.field}: ${shaped.message}` };
}

/**
 * Whether every step a deferred value reads has a known output.
 *
 * @example
 * refsKnown({ refs: ['steps.contact.id'] } as DeferredValue, { contact: { id: 'c1' } }); // true
 */
export function refsKnown(d: DeferredValue, steps: Record<string, unknown>): boolean {
  return d.refs.every((ref) => {
    const parsed = parsePath(ref);
    return parsed.ok && typeof parsed.segments[1] === 'string' && Object.hasOwn(steps, parsed.segments[1]);
  });
}
