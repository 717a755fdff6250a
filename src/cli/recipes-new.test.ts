import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseRecipe } from '../engine/recipes/index.js';
import { CliError } from './errors.js';
import { draftRecipe, type DraftInput } from './recipe-draft.js';
import { createPrompter } from './recipe-questions.js';
import { catalogTriggers, planDraft, type NewRecipeFlags } from './recipes-new.js';

const triggers = catalogTriggers();

/** The question flow on scripted streams: every answer written at once, as a pipe would. */
async function scripted(answers: string[], flags: NewRecipeFlags = {}, connections: string[] | null = ['ghl-2', 'ghl-main']): Promise<{ transcript: string; draft?: DraftInput; out?: string; error?: CliError }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let transcript = '';
  output.on('data', (d: Buffer) => (transcript += d.toString()));
  input.end(answers.map((a) => `${a}\n`).join(''));
  const prompter = createPrompter(input, output);
  try {
    const planned = await planDraft(flags, triggers, { prompter, ghlConnections: async () => connections });
    return { ...planned, transcript };
  } catch (e) {
    return { error: e as CliError, transcript };
  } finally {
    prompter.close();
  }
}

const usageError = (e: unknown) => {
  expect(e).toBeInstanceOf(CliError);
  expect((e as CliError).exitCode).toBe(2);
  return (e as CliError).message;
};

describe('recipes new: the questions', () => {
  it('asks app, trigger, event, source, GHL connection (from the server), actions and id; defaults on empty answers', async () => {
    const webhookIndex = [...new Set(triggers.map((t) => t.app))].indexOf('webhook') + 1;
    const std = triggers.filter((t) => t.app === 'webhook').findIndex((t) => t.id === 'webhook.standard-webhooks') + 1;
    const r = await scripted([String(webhookIndex), String(std), 'user.created', '', '', 'upsertContact, task', '']);
    expect(r.error).toBeUndefined();
    expect(r.draft).toMatchObject({ event: 'user.created', source: 'my-app', connection: 'ghl-main', actions: ['upsertContact', 'task'], id: 'my-app-user-created' });
    expect(r.draft!.trigger.id).toBe('webhook.standard-webhooks');
    expect(r.out).toBe('recipes/my-app-user-created.yaml');
    // the lists were shown, with the server's connections and the defaults in brackets
    expect(r.transcript).toContain('Source app (where the events come from):');
    expect(r.transcript).toMatch(/ {2}\d\) webhook\.standard-webhooks — Your app: Standard Webhooks message \(events: \*\)/);
    expect(r.transcript).toMatch(/GHL connection the actions write to:\n {3}1\) ghl-2\n {3}2\) ghl-main\nChoose \[ghl-main\]: /);
    expect(r.transcript).toContain('Recipe id [my-app-user-created]: ');
    const recipe = parseRecipe(draftRecipe(r.draft!));
    expect(recipe.ok).toBe(true);
  });

  it('asks again after an answer that is not in the list or not valid, and takes a name as well as a number', async () => {
    const r = await scripted(['nope', 'recruitee', 'recruitee.candidate.stageChanged', 'ghl-2', 'tagz', 'tags', 'bad id!', 'stages'], {}, ['ghl-main', 'ghl-2']);
    expect(r.error).toBeUndefined();
    expect(r.transcript).toContain('"nope" is not one of the list: type its number');
    expect(r.transcript).toContain('--action: unknown action "tagz" (did you mean "tags"?)');
    expect(r.transcript).toContain('--id: "bad id!" is not a recipe id');
    // one event: not asked; the source of a Recruitee connection is the app id
    expect(r.draft).toMatchObject({ event: 'candidate.stage_changed', source: 'recruitee', connection: 'ghl-2', actions: ['tags'], id: 'stages' });
  });

  it('the server not answering: the connection id is typed', async () => {
    const r = await scripted(['ghl-7', '', ''], { trigger: 'erp.customers.changed', event: 'customer.changed' }, null);
    expect(r.transcript).toContain('GHL connection id (the server did not answer: type it) [ghl-main]: ');
    expect(r.draft).toMatchObject({ connection: 'ghl-7', actions: ['upsertContact'], id: 'erp-customer-changed' });
  });

  it('flags answer their questions; a bad flag is exit 2 even with a terminal', async () => {
    const r = await scripted([], { trigger: 'connecteam.user.created', connection: 'ghl-main', action: ['upsertContact'], id: 'workers', out: 'x.yaml' });
    expect(r.transcript).toBe('');
    expect(r.out).toBe('x.yaml');
    const bad = await scripted([], { trigger: 'recruitee.candidate.create' });
    expect(usageError(bad.error)).toContain('--trigger: no trigger "recruitee.candidate.create" (did you mean "recruitee.candidate.created"?)');
    const wrongEvent = await scripted([], { trigger: 'recruitee.candidates.changed', event: 'candidate.deleted' });
    expect(usageError(wrongEvent.error)).toContain('--event: trigger recruitee.candidates.changed has no event "candidate.deleted"');
    const mismatch = await scripted([], { app: 'erp', trigger: 'recruitee.candidate.created' });
    expect(usageError(mismatch.error)).toContain('no trigger "recruitee.candidate.created" of app erp');
  });

  it('the input ending before the last answer is exit 2 naming the question', async () => {
    const r = await scripted(['recruitee']);
    expect(usageError(r.error)).toBe('the input ended before "Trigger of recruitee" was answered');
  });
});

describe('recipes new: without a terminal', () => {
  const plan = (flags: NewRecipeFlags) => planDraft(flags, triggers, { prompter: null, ghlConnections: async () => { throw new Error('not asked without a terminal'); } });

  it('every missing flag is named at once (exit 2), with the choices', async () => {
    const e = await plan({ app: 'webhook' }).catch((x: unknown) => x);
    expect(usageError(e)).toBe('missing --trigger, --source, --connection, --id: without a terminal to ask in, recipes new takes every answer as a flag (ghl-bridge recipes new --help)');
    expect((e as CliError).details).toEqual(['  --trigger: one of webhook.custom, webhook.github, webhook.standard-webhooks, webhook.stripe', "  --source: the event source of your app's webhook connection (its config.source, e.g. my-app)"]);
    const events = await plan({ trigger: 'ghl.contact.changed', connection: 'ghl-main', id: 'x' }).catch((x: unknown) => x);
    expect(usageError(events)).toContain('missing --event');
    expect((events as CliError).details).toEqual(['  --event: one of ContactCreate, ContactUpdate, ContactDelete, ContactTagUpdate, ContactDndUpdate']);
  });

  it('a complete set of flags plans without asking', async () => {
    const { draft } = await plan({ trigger: 'webhook.stripe', event: 'customer.created', source: 'billing', connection: 'ghl-main', action: ['upsertContact', 'note'], id: 'billing' });
    expect(draft).toMatchObject({ event: 'customer.created', source: 'billing', actions: ['upsertContact', 'note'] });
  });
});
