import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../engine/plan/build.js';
import { evaluateRecipe, parseRecipe } from '../engine/recipes/index.js';
import type { Recipe } from '../engine/recipes/types.js';
import { buildCatalog, feedingTrigger, type CatalogEntry } from './catalog.js';
import { ALL_CONNECTORS } from './index.js';
import { connectorActions, connectorRegistry, staticConnections } from './runtime/index.js';

/**
 * The catalog's samples are real events: each validates against its trigger's payload schema,
 * each action's example against its input schema, and every shipped recipe plans from the samples
 * of the triggers that feed it (evaluated and planned as the engine does, with an empty ledger).
 */
const catalog = buildCatalog(ALL_CONNECTORS);
const triggers = catalog.filter((e) => e.kind === 'trigger');
const actions = catalog.filter((e) => e.kind === 'action');
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validate = (schema: object, value: unknown): string[] => {
  const check = ajv.compile(schema);
  return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
};

describe('trigger samples', () => {
  it.each(triggers.map((t) => [t.id, t] as const))('%s has samples of its own event types that validate against its payload schema', (_id, t) => {
    expect(t.samples?.length, t.id).toBeGreaterThan(0);
    expect(t.sample).toEqual(t.samples![0]);
    expect(t.payload).toBe(t.output);
    for (const s of t.samples!) {
      if (!t.events!.includes('*')) expect(t.events, `${t.id}: ${s.type}`).toContain(s.type);
      expect(validate(t.payload!, s.payload), `${t.id} ${s.type}`).toEqual([]);
      // the schema names every top-level field a recipe can map (unless it says the body is open)
      const props = Object.keys((t.payload as { properties?: object }).properties ?? {});
      if ((t.payload as { additionalProperties?: unknown }).additionalProperties !== true) expect(props, `${t.id} ${s.type}`).toEqual(expect.arrayContaining(Object.keys(s.payload)));
    }
  });

  it('are built the same each time (docs/catalog.md stays put)', () => {
    expect(JSON.stringify(buildCatalog(ALL_CONNECTORS))).toBe(JSON.stringify(catalog));
  });

  it('a payload schema check can fail: a sample without its required fields is refused', () => {
    const t = catalog.find((e) => e.id === 'ghl.contact.changed')!;
    expect(validate(t.payload!, { type: 'ContactUpdate' })).not.toEqual([]);
  });
});

describe('action examples', () => {
  const registry = connectorRegistry(ALL_CONNECTORS);
  it.each(actions.map((a) => [a.id, a] as const))('%s has an example its strict input schema accepts', (_id, a) => {
    expect(a.example, a.id).toBeDefined();
    expect(validate(a.input!, a.example), a.id).toEqual([]);
    const parsed = registry.action(a.id)!.action.input.safeParse(a.example);
    expect(parsed.success ? [] : parsed.error.issues, a.id).toEqual([]);
  });
});

const dir = join(import.meta.dirname, '../../recipes');
const recipes: Recipe[] = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml') && !f.endsWith('.schedule.yaml'))
  .map((f) => {
    const r = parseRecipe(readFileSync(join(dir, f), 'utf8'));
    if (!r.ok) throw new Error(`${f}: ${r.errors.map((e) => e.message).join('; ')}`);
    return r.recipe;
  });

/** Every sample of a recipe's event types, from every trigger of the recipe's source that feeds one. */
function feedingSamples(recipe: Recipe): Array<{ trigger: CatalogEntry; type: string; payload: Record<string, unknown> }> {
  const app = feedingTrigger(catalog, recipe.trigger.source, recipe.trigger.events?.[0] ?? '*')?.app;
  const types = recipe.trigger.events ?? [];
  // a "your app" connection has one scheme (the recipe cannot say which): the trigger feedingTrigger picks
  const feeding = app === 'webhook' ? types.map((type) => feedingTrigger(catalog, recipe.trigger.source, type)) : triggers.filter((t) => t.app === app);
  return [...new Set(feeding)]
    .filter((t): t is CatalogEntry => t !== null)
    .flatMap((t) => (t.samples ?? []).filter((s) => types.includes(s.type)).map((s) => ({ trigger: t, ...s })));
}

describe('shipped recipes plan from the samples', () => {
  const apps = connectorActions({ registry: connectorRegistry(ALL_CONNECTORS), connections: staticConnections([]) });

  it.each(recipes.map((r) => [r.id, r] as const))('%s', (_id, recipe) => {
    const samples = feedingSamples(recipe);
    expect(samples.length, `${recipe.id}: no sample of ${recipe.trigger.events?.join(', ')}`).toBeGreaterThan(0);
    // every trigger feeding the recipe shows it at least one event it handles
    for (const type of recipe.trigger.events ?? []) {
      const t = feedingTrigger(catalog, recipe.trigger.source, type);
      if (t?.samples?.some((s) => s.type === type)) expect(samples.some((s) => s.trigger.id === t.id)).toBe(true);
    }
    for (const { trigger, type, payload } of samples) {
      const at = `${recipe.id} ← ${trigger.id} ${type}`;
      const evaluation = evaluateRecipe(recipe, payload, type);
      expect(evaluation.matched, at).toBe(true);
      const appErrors = evaluation.actions.flatMap((a) => (a.type === 'app' ? apps.describe(a.action)?.validate(a.input) ?? [{ field: a.action, message: 'unknown action' }] : []));
      expect([...evaluation.errors, ...appErrors], at).toEqual([]);
      expect(evaluation.recordId, at).not.toBeNull();
      expect(evaluation.actions.length, at).toBeGreaterThan(0);
      const plan = buildPlan({ evaluation, locationId: 've9EPM428h8vShlRW1KT', ledger: [], apps: (id) => apps.describe(id) });
      expect(plan.calls.length + plan.skipped.length, at).toBeGreaterThan(0);
    }
  });
});
