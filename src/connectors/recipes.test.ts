import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecipe } from '../engine/recipes/index.js';
import type { Recipe } from '../engine/recipes/types.js';
import { buildCatalog } from './catalog.js';
import { ALL_CONNECTORS } from './index.js';
import { parseSchedule } from './runtime/schedules.js';

/**
 * The ready-made recipes agree with the catalog: each parses, listens to events some trigger of
 * its source emits, and calls only catalog actions with inputs their schemas name.
 */
const dir = join(import.meta.dirname, '../../recipes');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const catalog = buildCatalog(ALL_CONNECTORS);
const apps = new Set(ALL_CONNECTORS.map((c) => c.app));

function recipe(file: string): Recipe {
  const r = parseRecipe(readFileSync(join(dir, file), 'utf8'));
  if (!r.ok) throw new Error(`${file}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return r.recipe;
}

describe('ready-made recipes', () => {
  const recipes = files.filter((f) => !f.endsWith('.schedule.yaml'));

  it('ship for every flow of the issue', () => {
    expect(recipes.length).toBeGreaterThanOrEqual(11);
    expect(new Set(recipes.map((f) => recipe(f).trigger.source))).toEqual(new Set(['recruitee', 'connecteam', 'my-app', 'erp', 'ghl']));
  });

  it.each(recipes)('%s parses, writes to ghl-main and listens to events its source emits', (file) => {
    const r = recipe(file);
    expect(r.connection).toBe('ghl-main');
    // a source named after an app is that app's connector; any other name is a "your app" webhook connection
    const app = apps.has(r.trigger.source) ? r.trigger.source : 'webhook';
    const emitted = new Set(catalog.filter((e) => e.app === app && e.kind === 'trigger').flatMap((e) => e.events ?? []));
    if (!emitted.has('*')) for (const type of r.trigger.events ?? []) expect(emitted, `${file}: ${type}`).toContain(type);
  });

  it.each(recipes)('%s calls only catalog actions, with inputs the action takes', (file) => {
    for (const action of recipe(file).actions) {
      if (action.type !== 'app') continue;
      const entry = catalog.find((e) => e.id === action.action && e.kind === 'action');
      expect(entry, `${file}: ${action.action}`).toBeDefined();
      const known = Object.keys((entry!.input as { properties?: Record<string, unknown> }).properties ?? {});
      for (const key of Object.keys(action.input ?? {})) expect(known, `${file}: ${action.action}.${key}`).toContain(key);
    }
  });

  it.each(files.filter((f) => f.endsWith('.schedule.yaml')))('%s is a valid schedule of a shipped recipe', (file) => {
    const r = parseSchedule(readFileSync(join(dir, file), 'utf8'));
    expect(r.ok ? [] : r.errors).toEqual([]);
    if (r.ok && r.schedule.kind === 'fullSync') expect(recipes.map((f) => recipe(f).id)).toContain(r.schedule.recipe);
  });
});
