/**
 * Resolving one `ValueSpec` against a payload: `when` → source (`path`, `template` or `value`) →
 * `transforms` → `default` when the result is missing (undefined, null, '' or an empty list). Never throws: a failure is a result.
 */
import { evaluateCondition } from './conditions.js';
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

/**
 * Resolves a value spec for one payload.
 *
 * @example
 * resolveValue({ path: 'candidate.email', transforms: ['email'] }, { candidate: { email: ' Ada@X.io ' } });
 * // { status: 'mapped', value: 'ada@x.io', source: 'candidate.email', sourceValue: ' Ada@X.io ' }
 * resolveValue({ path: 'stage', default: 'lead' }, {});
 * // { status: 'default', value: 'lead', source: 'stage', sourceValue: undefined }
 */
export function resolveValue(spec: ValueSpec, payload: unknown): Resolution {
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
