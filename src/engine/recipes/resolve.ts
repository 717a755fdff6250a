/**
 * Resolving one `ValueSpec` against a payload: `when` → source (`path`, `template`, `value` or
 * `now`, the event's time shifted) →
 * `transforms` → `default` when the result is missing (undefined, null, '' or an empty list). Never throws: a failure is a result.
 */
import { evaluateCondition } from './conditions.js';
import { shiftDate } from './dates.js';
import { getPath } from './paths.js';
import { renderTemplate } from './template.js';
import { applyTransforms, isMissing } from './transforms.js';
import type { ValueSpec } from './types.js';

/** Where a value came from: the path or template (null for a constant) and the raw value there. */
export interface ValueSource {
  source: string | null;
  /** the value at the path; for a template, each placeholder's value; for a constant, the constant */
  sourceValue: unknown;
}

/** `skipped`: the `when` condition does not hold; `missing`: no value and no default. */
export type Resolution = ValueSource &
  (
    | { status: 'mapped'; value: unknown }
    | { status: 'default'; value: unknown }
    | { status: 'skipped'; reason: string }
    | { status: 'missing'; reason: string }
    | { status: 'error'; message: string }
  );

/** What a value may read besides the payload: the event's time (`now`). */
export interface ResolveContext {
  /** when the event was received (stored): `now` is this, so one event always maps the same */
  eventTime: Date;
}

/**
 * Resolves a value spec for one payload; `now` reads `context.eventTime`.
 *
 * @example
 * resolveValue({ path: 'candidate.email', transforms: ['email'] }, { candidate: { email: ' Ada@X.io ' } });
 * // { status: 'mapped', value: 'ada@x.io', source: 'candidate.email', sourceValue: ' Ada@X.io ' }
 * resolveValue({ path: 'stage', default: 'lead' }, {});
 * // { status: 'default', value: 'lead', source: 'stage', sourceValue: undefined }
 */
export function resolveValue(spec: ValueSpec, payload: unknown, context?: ResolveContext): Resolution {
  const s = typeof spec === 'string' ? { path: spec } : spec;
  let origin: ValueSource;
  let raw: unknown;
  let missingReason = '';
  if (s.path !== undefined) {
    raw = getPath(payload, s.path);
    origin = { source: s.path, sourceValue: raw };
    missingReason = `no value at "${s.path}"`;
  } else if (s.template !== undefined) {
    const rendered = renderTemplate(s.template, payload);
    if ('message' in rendered) return { status: 'error', message: `template: ${rendered.message}`, source: s.template, sourceValue: undefined };
    origin = { source: s.template, sourceValue: rendered.sources };
    if (rendered.ok) raw = rendered.value;
    else missingReason = `template: no value for ${rendered.missing.map((p) => `{{${p}}}`).join(', ')}`;
  } else if (s.now !== undefined) {
    const source = s.now === true ? 'now' : `now ${s.now}`;
    if (!context) return { status: 'error', message: 'now: no event time to read', source, sourceValue: undefined };
    const at = context.eventTime.toISOString();
    const shifted = shiftDate(at, { ...(s.now === true ? {} : { add: s.now }), startOf: s.startOf, at: s.at, timeZone: s.timeZone });
    if (!shifted.ok) return { status: 'error', message: `now: ${shifted.message}`, source, sourceValue: at };
    origin = { source, sourceValue: at };
    raw = shifted.value;
  } else {
    raw = s.value;
    origin = { source: null, sourceValue: s.value };
    missingReason = 'no value';
  }
  if (s.when !== undefined && !evaluateCondition(s.when, payload)) return { ...origin, status: 'skipped', reason: 'the "when" condition does not hold' };
  const transformed = applyTransforms(raw, s.transforms);
  if (!transformed.ok) return { ...origin, status: 'error', message: transformed.message };
  if (!isEmpty(transformed.value)) return { ...origin, status: 'mapped', value: transformed.value };
  if (!isEmpty(s.default)) return { ...origin, status: 'default', value: s.default };
  if (!isEmpty(raw)) missingReason = 'the transforms left no value';
  return { ...origin, status: 'missing', reason: missingReason };
}

/** Missing, or an empty list (a list whose items were all dropped is no value either). */
function isEmpty(value: unknown): boolean {
  return isMissing(value) || (Array.isArray(value) && value.length === 0);
}
