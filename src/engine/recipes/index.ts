/**
 * Recipes: trigger → filter → mapping → actions, declared in YAML or JSON, validated, and
 * evaluated per event into a `RecipeEvaluation` for the planner.
 *
 * @example
 * import { parseRecipe, evaluateRecipe } from './engine/recipes/index.js';
 * const parsed = parseRecipe(yamlText);
 * if (parsed.ok) {
 *   const result = evaluateRecipe(parsed.recipe, payload, 'candidate.moved');
 *   if (result.matched && result.errors.length === 0) plan(result);
 * }
 */
export type {
  ActionSpec, Condition, ContactField, MappingError, Recipe, RecipeEvaluation, ResolvedAction, Transform, ValueSpec,
} from './types.js';
export { CONTACT_FIELDS, parseRecipe, parseRecipeYielding, recipeJsonSchema, recipeSchema, type ParseRecipeResult } from './schema.js';
export { conditionSchema, pathSchema, templateSchema, transformSchema, valueSpecSchema } from './schema-values.js';
export { toRecipeIssues, type RecipeIssue } from './schema-errors.js';
export { evaluateRecipe, traceRecipe, type EvaluateOptions, type FieldTrace, type TracedEvaluation } from './evaluate.js';
export { CONTACT_STEP, placeholder, resolveDeferred, stepRefs, type DeferredValue } from './step-refs.js';
export { preview, type PreviewField, type RecipePreview } from './preview.js';
export { evaluateCondition } from './conditions.js';
export { describeCondition, skipReason, whyFalse, type SkipReason } from './skip.js';
export { resolveValue, type ResolveContext, type Resolution, type ValueSource } from './resolve.js';
export { formatPath, getPath, parsePath, type ParsedPath, type PathSegment } from './paths.js';
export { formatValue, parseTemplate, renderTemplate, type ParsedTemplate, type RenderedTemplate, type TemplatePart } from './template.js';
export { applyTransform, applyTransforms, isMissing, OBJECT_TRANSFORMS, SIMPLE_TRANSFORMS, splitName, titleCase, transformName, type TransformResult } from './transforms.js';
export { formatDate, shiftDate, type DateFormat, type DateOptions, type DateResult } from './dates.js';
export { isTimeZone, parseOffset, shiftInstant, type DateShift, type Offset, type StartOf } from './date-math.js';
export { normalizeTags, shapeValue, type OutputKind, type Shaped } from './outputs.js';
export { cronMatches, nextCronRun, parseCron, validateCron, type CronSchedule, type ParsedCron } from './cron.js';
