import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import { parseRecipe } from '../../../src/engine/recipes/index.js';
import { startServerHarness, type ServerHarness } from './harness.js';

/**
 * The recipe endpoints the console's Recipes view stands on, over real HTTP against the real
 * server: the list with 24 h outcomes, validation with line/column, the completion schema, the
 * live mapping preview (no GHL call), the dry run of an unsaved text on a catalog sample, saving
 * with the diff, and the no-YAML form's draft — whose text must be what `recipes new` writes.
 */
const SECRET = 'whsec_cmVjaXBlcy1jb25zb2xlLXNpZ25pbmctc2VjcmV0LTA=';
const SIGNUP = readFileSync(join(import.meta.dirname, '../../../recipes/app-signup.yaml'), 'utf8');
let h: ServerHarness;
let eventId: number;

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ghlRequests = () => h.sb.sandbox.core.log.total;

beforeAll(async () => {
  h = await startServerHarness({ recipes: ['app-signup'] });
  await h.bridge.engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.2 });
  for (const body of [
    { id: 'ghl-main', app: 'ghl-location', name: 'GHL', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } },
    { id: 'my-app', app: 'webhook', name: 'My app', config: { source: 'my-app' }, secrets: { signingSecret: SECRET } },
  ]) {
    const res = await h.call('POST', '/api/v1/connections', { body });
    if (res.status !== 201) throw new Error(`connection ${body.id}: ${res.status} ${res.text}`);
  }
  const raw = JSON.stringify({ type: 'user.created', timestamp: new Date().toISOString(), data: { id: 'usr_console_1', email: 'Grace@Example.com', name: 'Grace Hopper', plan: 'pro', createdAt: '2026-12-01T10:00:00Z' } });
  const hook = await h.call('POST', '/hooks/my-app', { raw, headers: { 'content-type': 'application/json', ...standardWebhookHeaders(SECRET, { id: 'msg_console_1', timestamp: Math.floor(Date.now() / 1000), body: raw }) } });
  expect(hook.status, hook.text).toBeLessThan(300);
  await until(async () => {
    const { rows } = await h.bridge.db.query<{ status: string; event_id: string }>("select status, event_id from runs where recipe_id = 'app-signup'");
    if (rows[0] && rows[0].status !== 'queued' && rows[0].status !== 'running') {
      eventId = Number(rows[0].event_id);
      return rows[0].status;
    }
    return undefined;
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('GET /api/v1/recipes', () => {
  it('lists each recipe with enabled, paused, its version, trigger and last-24 h outcomes; disable shows', async () => {
    const res = await h.call('GET', '/api/v1/recipes');
    expect(res.status).toBe(200);
    const item = (res.json.items as Array<Record<string, unknown>>).find((r) => r.id === 'app-signup')!;
    expect(item).toMatchObject({ version: 1, enabled: true, paused: null, trigger: { source: 'my-app', events: ['user.created'] }, connection: 'ghl-main' });
    expect(item.outcomes).toEqual({ succeeded: 1, skipped: 0, dead: 0, queued: 0 });
    expect((await h.call('POST', '/api/v1/recipes/app-signup/disable')).json).toEqual({ id: 'app-signup', enabled: false });
    const after = (await h.call('GET', '/api/v1/recipes')).json.items as Array<Record<string, unknown>>;
    expect(after.find((r) => r.id === 'app-signup')!.enabled).toBe(false);
    await h.call('POST', '/api/v1/recipes/app-signup/enable');
  });
});

describe('POST /api/v1/recipes/validate: problems at their line and column', () => {
  it('a schema problem points at its key, an unknown transform at its item, a missing key at its parent', async () => {
    const text = SIGNUP.replace('transforms: [email]', 'transforms: [emial]').replace('  - type: upsertContact', '  - type: upsertContac');
    const res = await h.call('POST', '/api/v1/recipes/validate', { body: { text } });
    expect(res.status).toBe(200);
    expect(res.json.ok).toBe(false);
    const errors = res.json.errors as Array<{ path: string; message: string; line: number; column: number; endLine: number; endColumn: number }>;
    const lines = text.split('\n');
    const transform = errors.find((e) => e.path === 'mapping.contact.email.transforms[0]')!;
    expect(transform.message).toContain('did you mean "email"');
    expect(lines[transform.line - 1]).toContain('emial');
    expect(lines[transform.line - 1]!.slice(transform.column - 1)).toMatch(/^emial/);
    const action = errors.find((e) => e.path.startsWith('actions[0]'))!;
    expect(lines[action.line - 1]).toContain('upsertContac');
    // a required key the text lacks: its parent's line
    const missing = await h.call('POST', '/api/v1/recipes/validate', { body: { text: SIGNUP.replace(/^recordId: .*\n/m, '') } });
    const req = (missing.json.errors as Array<{ path: string; line: number; message: string }>)[0]!;
    expect(req).toMatchObject({ path: 'recordId', message: 'required', line: 1 });
  });

  it('a YAML syntax error carries its own position', async () => {
    const text = 'id: x\nversion: 1\ntrigger: { source: my-app\nconnection: ghl-main\n';
    const res = await h.call('POST', '/api/v1/recipes/validate', { body: { text } });
    const [e] = res.json.errors as Array<{ message: string; line: number; column: number }>;
    expect(e!.message).toMatch(/^YAML: /);
    expect(e!.line).toBeGreaterThanOrEqual(3);
    expect(e!.column).toBeGreaterThanOrEqual(1);
  });
});

describe('GET /api/v1/recipes/schema and /transforms', () => {
  it('the JSON Schema of a recipe, the contact fields, and a trigger\'s sample paths', async () => {
    const res = await h.call('GET', '/api/v1/recipes/schema?trigger=webhook.standard-webhooks&event=user.created');
    expect(res.status).toBe(200);
    expect(res.json.schema).toMatchObject({ type: 'object', required: expect.arrayContaining(['id', 'trigger', 'mapping', 'actions']) });
    expect(res.json.contactFields).toContain('email');
    const trigger = res.json.trigger as { id: string; from: string; paths: Array<{ path: string; example?: unknown }> };
    expect(trigger.from).toBe('sample');
    expect(trigger.paths.find((p) => p.path === 'data.email')).toMatchObject({ kind: 'string' });
    expect((await h.call('GET', '/api/v1/recipes/schema?source=my-app&event=user.created')).json.trigger).toMatchObject({ id: 'webhook.standard-webhooks' });
    const typo = await h.call('GET', '/api/v1/recipes/schema?trigger=webhook.standard-webhook');
    expect(typo.status).toBe(404);
    expect(typo.json.error).toMatchObject({ field: 'trigger', message: expect.stringContaining('did you mean webhook.standard-webhooks?') });
  });

  it('the form menus: transforms with options, actions, GHL fields', async () => {
    const res = await h.call('GET', '/api/v1/recipes/transforms');
    const ids = (res.json.items as Array<{ id: string }>).map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['email', 'firstName', 'lastName', 'phone', 'date', 'map']));
    expect((res.json.actions as Array<{ kind: string }>).map((a) => a.kind)).toEqual(['upsertContact', 'tags', 'task', 'note', 'completeTask', 'deleteContact']);
    expect(res.json.ghlFields).toContain('tags');
  });
});

describe('POST /api/v1/recipes/preview: the mapping only, GHL never asked', () => {
  it('on the catalog sample: contact fields, tags, the task and the note', async () => {
    const before = ghlRequests();
    const res = await h.call('POST', '/api/v1/recipes/preview', { body: { text: SIGNUP, event: { sample: true } } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ recipeId: 'app-signup', matched: true, event: { type: 'user.created', from: { kind: 'sample', triggerId: 'webhook.standard-webhooks' } } });
    const contact = res.json.contact as { fields: Record<string, unknown>; tags: string[] };
    expect(contact.fields.email).toMatch(/@/);
    expect(contact.fields.source).toBe('My app');
    expect(contact.tags).toEqual(['app-user']);
    expect((res.json.tags as { add: string[] }).add).toEqual(['app-user']);
    expect((res.json.tasks as Array<{ title: string; action: number }>)[0]).toMatchObject({ action: 1, title: expect.stringMatching(/^Welcome /) });
    expect((res.json.notes as Array<{ body: string }>)[0]!.body).toMatch(/^Plan: /);
    expect(res.json.errors).toEqual([]);
    expect(ghlRequests()).toBe(before);
  });

  it('on a stored event and on a pasted payload; a mapping problem is placed at its line', async () => {
    const stored = await h.call('POST', '/api/v1/recipes/preview', { body: { text: SIGNUP, event: { eventId } } });
    expect(stored.json).toMatchObject({ event: { from: { kind: 'event', id: eventId } }, contact: { fields: { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' } } });
    const pasted = await h.call('POST', '/api/v1/recipes/preview', { body: { text: SIGNUP, event: { payload: { data: { id: 'u9', email: 'not-an-email', name: 'X' } } } } });
    expect(pasted.status).toBe(200);
    const [err] = pasted.json.errors as Array<{ path: string; message: string; line: number }>;
    expect(err).toMatchObject({ path: 'mapping.contact.email', message: expect.stringContaining('invalid email') });
    expect(SIGNUP.split('\n')[err!.line - 1]).toMatch(/^ {4}email:/);
  });

  it('a text that does not validate: 422 with the problems placed; no event: 404 naming the field', async () => {
    const bad = await h.call('POST', '/api/v1/recipes/preview', { body: { text: SIGNUP.replace('version: 1', 'version: one'), event: { sample: true } } });
    expect(bad.status).toBe(422);
    expect((bad.json.errors as Array<{ path: string; line: number }>)[0]).toMatchObject({ path: 'version', line: 14 });
    const none = await h.call('POST', '/api/v1/recipes/preview', { body: { text: SIGNUP, event: { eventId: 999999 } } });
    expect(none.status).toBe(404);
    expect(none.json.error).toMatchObject({ field: 'event.eventId' });
  });
});

describe('POST /api/v1/recipes/{id}/dry-run with an unsaved text and the sample', () => {
  it('the exact GHL calls with field diffs for the sample (a new record: creates), and placed problems for a broken text', async () => {
    const text = SIGNUP.replace('tags: { value: [app-user] }', 'tags: { value: [app-user, console] }');
    const res = await h.call('POST', '/api/v1/recipes/app-signup/dry-run', { body: { text, sample: true } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ saved: false, sample: { type: 'user.created', triggerId: 'webhook.standard-webhooks' } });
    const calls = (res.json.plan as { calls: Array<{ operationId: string; diff: Array<{ field: string }> }> }).calls;
    expect(calls.map((c) => c.operationId)).toContain('upsert-contact');
    expect(calls[0]!.diff.length).toBeGreaterThan(0);
    const bad = await h.call('POST', '/api/v1/recipes/app-signup/dry-run', { body: { text: SIGNUP.replace('recordId: data.id', 'recordId: "data..id"'), sample: true } });
    expect(bad.status).toBe(422);
    expect((bad.json.errors as Array<{ path: string; line: number }>)[0]).toMatchObject({ path: 'recordId' });
  });
});

describe('POST /api/v1/recipes/draft → save → history', () => {
  const form = {
    name: 'Sign-ups from the form',
    id: 'form-signups',
    source: { app: 'webhook', connection: 'my-app', trigger: 'webhook.standard-webhooks' },
    ghlConnection: 'ghl-main',
    fields: [
      { ghlField: 'email', sourcePath: 'data.email', transform: 'email' },
      { ghlField: 'firstName', sourcePath: 'data.name', transform: 'firstName' },
      { ghlField: 'lastName', sourcePath: 'data.name', transform: 'lastName' },
      { ghlField: 'customFields.contact.plan', sourcePath: 'data.plan', valueMap: { map: { pro: 'Pro' }, fallback: 'Free' } },
    ],
    actions: [{ kind: 'upsertContact' }, { kind: 'tags', tags: ['signup'] }, { kind: 'task', title: 'Call {{data.name}}', dueIn: '+1d' }],
  };

  it('writes a valid recipe of the form (source from the connection), the same generator as recipes new', async () => {
    const res = await h.call('POST', '/api/v1/recipes/draft', { body: form });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ id: 'form-signups', source: 'my-app', event: 'user.created', valid: true, errors: [], notes: [], exists: null });
    const parsed = parseRecipe(res.json.text as string);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.recipe).toMatchObject({ name: 'Sign-ups from the form', trigger: { source: 'my-app', events: ['user.created'] }, connection: 'ghl-main', recordId: 'data.id' });
    expect(parsed.recipe.mapping.contact).toMatchObject({
      email: { path: 'data.email', transforms: ['email'] },
      firstName: { path: 'data.name', transforms: ['firstName'] },
      customFields: { 'contact.plan': { path: 'data.plan', transforms: [{ map: { pro: 'Pro' }, fallback: 'Free' }] } },
    });
    expect(parsed.recipe.actions).toMatchObject([{ type: 'upsertContact' }, { type: 'tags', add: { value: ['signup'] } }, { type: 'task', title: { template: 'Call {{data.name}}' }, dueDate: { now: '+1d' } }]);
    expect(res.json.text).toContain('# Written by the console\'s recipe form');
  });

  it('a bad answer is a 400 at its field', async () => {
    const res = await h.call('POST', '/api/v1/recipes/draft', { body: { ...form, fields: [{ ghlField: 'emial', sourcePath: 'data.email' }] } });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ field: 'fields[0].ghlField', message: expect.stringContaining('unknown GHL contact field "emial"') });
    const trig = await h.call('POST', '/api/v1/recipes/draft', { body: { ...form, source: { ...form.source, trigger: 'webhook.nope' } } });
    expect(trig.json.error).toMatchObject({ field: 'source.trigger' });
  });

  it('saves the draft as v1, then an edit as v2 with the unified diff; the history lists both', async () => {
    const { text } = (await h.call('POST', '/api/v1/recipes/draft', { body: form })).json as { text: string };
    const first = await h.call('POST', '/api/v1/recipes/form-signups/versions', { body: { text } });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ outcome: 'created', version: 1, previous: null });
    const edited = text.replace('add: { value: [signup] }', 'add: { value: [signup, form] }');
    const second = await h.call('POST', '/api/v1/recipes/form-signups/versions', { body: { text: edited } });
    expect(second.status).toBe(201);
    const diff = second.json.diff as { added: number; removed: number; lines: string[] };
    expect(second.json).toMatchObject({ version: 2, previous: 1 });
    expect(diff.lines).toContain('-    add: { value: [signup] }');
    expect(diff.lines).toContain('+    add: { value: [signup, form] }');
    expect(diff.lines[0]).toMatch(/^@@ /);
    const same = await h.call('POST', '/api/v1/recipes/form-signups/versions', { body: { text: edited } });
    expect(same.json.outcome).toBe('unchanged');
    // the form is told the id is taken: it would replace that recipe as its next version
    const taken = await h.call('POST', '/api/v1/recipes/draft', { body: form });
    expect(taken.json).toMatchObject({ exists: 2, notes: [expect.stringContaining('a recipe "form-signups" exists (v2)')] });
    const history = await h.call('GET', '/api/v1/recipes/form-signups/versions');
    expect((history.json.items as Array<{ version: number }>).map((v) => v.version)).toEqual([2, 1]);
    const v1 = await h.call('GET', '/api/v1/recipes/form-signups?version=1');
    expect(v1.json.text).toContain('add: { value: [signup] }');
    const invalid = await h.call('POST', '/api/v1/recipes/form-signups/versions', { body: { text: edited.replace('type: upsertContact', 'type: upsert') } });
    expect(invalid.status).toBe(422);
    expect((invalid.json.errors as Array<{ line: number }>)[0]!.line).toBeGreaterThan(1);
  });
});

describe('bad input on the new POST routes', () => {
  const draft = { name: 'x', source: { app: 'webhook', connection: 'my-app', trigger: 'webhook.standard-webhooks' }, ghlConnection: 'ghl-main', fields: [], actions: [{ kind: 'upsertContact' }] };
  it.each([
    ['/api/v1/recipes/preview', { text: 'x', event: { sample: true } }, [{ text: 5 }, 'text']],
    ['/api/v1/recipes/draft', draft, [{ ...draft, fields: 'x' }, 'fields']],
  ] as const)('%s: bad JSON, unknown field, wrong type → 400 naming the field; over the limit → 413', async (path, valid, [wrong, field]) => {
    expect((await h.call('POST', path, { raw: '{"a": ' })).json).toMatchObject({ error: { code: 'bad-json', field: 'body' } });
    const unknown = await h.call('POST', path, { body: { ...valid, surprise: 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: { field: 'surprise' } });
    const bad = await h.call('POST', path, { body: wrong });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { field } });
    expect((await h.call('POST', path, { raw: JSON.stringify({ text: 'x'.repeat(5000) }) })).status).toBe(413);
  });
});
