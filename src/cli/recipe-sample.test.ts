import { describe, expect, it } from 'vitest';
import { ALL_CONNECTORS, buildCatalog } from '../connectors/index.js';
import { CliError } from './errors.js';
import { pickSample } from './recipe-sample.js';

const catalog = buildCatalog(ALL_CONNECTORS);
const recipes = [
  { id: 'erp-tasks', trigger: { source: 'erp', events: ['task.changed', 'task.completed'] } },
  { id: 'app-invoices', trigger: { source: 'my-app', events: ['invoice.paid'] } },
];

function refusal(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof CliError) return { code: e.exitCode, message: e.message };
    throw e;
  }
  throw new Error('expected a CliError');
}

describe('recipes dry-run --sample: which sample', () => {
  it('the first event with a sample, saying so; --type picks one of the recipe events', () => {
    const first = pickSample(catalog, recipes, 'erp-tasks');
    expect(first).toMatchObject({ type: 'task.changed', triggerId: 'erp.tasks.changed', payload: { entity: 'task', completed: false } });
    expect(first.note).toBe('using the sample task.changed of erp.tasks.changed (the first of its events with a sample; --type picks another: task.changed, task.completed)');
    expect(pickSample(catalog, recipes, 'erp-tasks', 'task.completed')).toMatchObject({ type: 'task.completed', payload: { completed: true }, note: 'using the sample task.completed of erp.tasks.changed' });
  });

  it('refuses (exit 2) a type the recipe does not handle, an unknown recipe, a type no trigger shows', () => {
    expect(refusal(() => pickSample(catalog, recipes, 'erp-tasks', 'task.removed'))).toEqual({ code: 2, message: '--type task.removed: recipe erp-tasks does not handle it; it handles task.changed, task.completed' });
    expect(refusal(() => pickSample(catalog, recipes, 'erp-task'))).toEqual({ code: 1, message: 'no recipe erp-task (did you mean erp-tasks?)' });
    expect(refusal(() => pickSample(catalog, recipes, 'app-invoices'))).toEqual({
      code: 2,
      message: 'no catalog sample of invoice.paid from source my-app (the webhook triggers show user.created, user.updated, task.created, note.created): give the event with --payload <file>',
    });
  });
});
