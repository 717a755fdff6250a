import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type Recipe } from '../../../src/engine/index.js';
import { createGhlClient } from '../../../src/ghl/index.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/** Source events → recipe → plan → GHL (the sandbox), on PGlite and on the PostgreSQL server. */
const recipe: Recipe = {
  id: 'app-users',
  version: 1,
  trigger: { source: 'app', events: ['user.created', 'user.updated', 'user.deleted'] },
  connection: 'ghl-a',
  recordId: 'user.id',
  mapping: {
    contact: {
      email: { path: 'user.email', transforms: ['email'] },
      firstName: { path: 'user.name', transforms: ['firstName'] },
      lastName: { path: 'user.name', transforms: ['lastName'] },
      source: { value: 'my app' },
      tags: { path: 'user.plan', transforms: [{ map: { pro: 'customer-pro', free: 'customer-free' } }] },
    },
  },
  actions: [
    { type: 'upsertContact' },
    { type: 'tags', add: { path: 'user.plan', transforms: [{ map: { pro: 'customer-pro', free: 'customer-free' } }] }, managed: ['customer-pro', 'customer-free'] },
    { type: 'task', sourceId: { template: 'welcome-{{user.id}}' }, title: { template: 'Welcome {{user.name}}' }, dueDate: { value: '2026-12-01T10:00:00.000Z' } },
  ],
};

const deleted: Recipe = {
  id: 'app-users-deleted',
  version: 1,
  trigger: { source: 'app', events: ['user.deleted'] },
  connection: 'ghl-a',
  recordId: 'user.id',
  mapping: { contact: {} },
  actions: [{ type: 'deleteContact', policy: 'tag', tag: 'inactive' }],
};

describe.each(DATABASES)('engine pipeline on %s', (_name, open) => {
  let t: TestDatabase;
  let sb: TestSandbox;
  let engine: Engine;
  const calls: string[] = [];

  beforeEach(async () => {
    calls.length = 0;
    t = await open();
    sb = await startSandbox();
    const client = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId: sb.info.locationId, retry: { maxAttempts: 2, baseDelayMs: 10 } });
    engine = await createEngine({ db: t.db, ghl: async () => ({ client, locationId: sb.info.locationId }), onCall: (op) => calls.push(op), maxAttempts: 2 });
    await engine.saveRecipe(recipe);
    await engine.saveRecipe({ ...recipe }); // saving the same version again is a no-op
    await engine.saveRecipe(deleted);
    await engine.startWorker({ concurrency: 2, pollingIntervalSeconds: 0.5 });
  });
  afterEach(async () => {
    await engine.close();
    await sb.close();
    await t.drop().catch(() => undefined);
  });

  async function settle(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const open = (await engine.runs({ limit: 1000 })).filter((r) => r.status === 'queued' || r.status === 'running');
      if (open.length === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('runs did not settle');
  }

  async function contacts(): Promise<Array<Record<string, unknown>>> {
    return (await sb.api<{ contacts: Array<Record<string, unknown>> }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`, { token: null })).body.contacts;
  }

  it('creates, dedupes, skips unchanged, updates only changed fields, diffs tags and matches tasks through the ledger', async () => {
    const user = { id: 'u1', email: ' Zed@Example.com ', name: 'Zed Shaw', plan: 'free' };
    const first = await engine.ingest({ source: 'app', externalId: 'e1', type: 'user.created', payload: { user } });
    expect(first).toMatchObject({ duplicate: false, runIds: [expect.any(Number)] });
    expect(await engine.ingest({ source: 'app', externalId: 'e1', type: 'user.created', payload: { user } })).toMatchObject({ duplicate: true, runIds: [] });
    await settle();
    let zed = (await contacts()).filter((c) => c.email === 'zed@example.com');
    expect(zed).toHaveLength(1);
    expect(zed[0]).toMatchObject({ firstName: 'Zed', lastName: 'Shaw', source: 'my app', tags: ['customer-free'] });
    const contactId = zed[0]!.id as string;
    expect(calls).toEqual(['upsert-contact', 'add-tags', 'create-task']);

    // the same content again (a new event id): nothing is written
    calls.length = 0;
    await engine.ingest({ source: 'app', externalId: 'e2', type: 'user.updated', payload: { user } });
    await settle();
    expect(calls).toEqual([]);

    // a change: only the changed field, tags as add/remove, the task updated in place
    const dry = await engine.dryRun({ source: 'app', type: 'user.updated', payload: { user: { ...user, name: 'Zed A. Shaw', plan: 'pro' } } });
    const planned = dry.find((d) => d.recipeId === 'app-users')!.plan!;
    expect(planned.calls.map((c) => [c.operationId, c.body])).toEqual([
      ['update-contact', { lastName: 'A. Shaw' }],
      ['add-tags', { tags: ['customer-pro'] }],
      ['remove-tags', { tags: ['customer-free'] }],
      ['update-task', { title: 'Welcome Zed A. Shaw' }],
    ]);
    expect(planned.calls[0]!.diff).toEqual([{ field: 'lastName', from: 'Shaw', to: 'A. Shaw' }]);
    await engine.ingest({ source: 'app', externalId: 'e3', type: 'user.updated', payload: { user: { ...user, name: 'Zed A. Shaw', plan: 'pro' } } });
    await settle();
    expect(calls).toEqual(planned.calls.map((c) => c.operationId));
    zed = (await contacts()).filter((c) => c.id === contactId);
    expect(zed[0]).toMatchObject({ lastName: 'A. Shaw', tags: ['customer-pro'] });
    const tasks = await sb.api<{ tasks: Array<{ title: string }> }>('GET', `/contacts/${contactId}/tasks`);
    expect(tasks.body.tasks.map((x) => x.title)).toEqual(['Welcome Zed A. Shaw']);

    // audit trail of the contact: which event changed what
    const audit = await engine.audit(contactId);
    expect(audit.filter((a) => a.field === 'lastName').map((a) => [a.oldValue, a.newValue, a.recipeId, a.eventId !== null])).toEqual([
      [null, 'Shaw', 'app-users', true],
      ['Shaw', 'A. Shaw', 'app-users', true],
    ]);

    // deletion by policy: keep and tag
    await engine.ingest({ source: 'app', externalId: 'e4', type: 'user.deleted', payload: { user } });
    await settle();
    expect((await contacts()).find((c) => c.id === contactId)!.tags).toContain('inactive');
  });

  it('dead-letters a run with a reason and applies it on replay', async () => {
    await sb.api('POST', '/_sandbox/faults', { token: null, body: { path: '/contacts/upsert', status: 500, rate: 1, times: 50 } });
    const r = await engine.ingest({ source: 'app', externalId: 'x1', type: 'user.created', payload: { user: { id: 'u9', email: 'nine@example.com', name: 'Nine', plan: 'pro' } } });
    await settle();
    const run = await engine.run(r.runIds[0]!);
    expect(run).toMatchObject({ status: 'dead', error: { code: 'SERVER', retryable: true } });
    await sb.api('DELETE', '/_sandbox/faults', { token: null });
    expect(await engine.replay()).toEqual([run!.id]);
    await settle();
    expect((await engine.run(run!.id))!.status).toBe('succeeded');
    expect((await contacts()).filter((c) => c.email === 'nine@example.com')).toHaveLength(1);
  });

  it('a payload missing a mapped required field is a clear per-run error, not a crash', async () => {
    const r = await engine.ingest({ source: 'app', externalId: 'bad', type: 'user.created', payload: { user: { email: 'noid@example.com' } } });
    await settle();
    const run = await engine.run(r.runIds[0]!);
    expect(run!.status).toBe('dead');
    expect(run!.error!.code).toBe('MAPPING');
    expect(run!.error!.reason).toMatch(/recordId|user\.id/);
  });
});
