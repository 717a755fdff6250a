import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, EmptySelectionError, type Engine, type Recipe } from '../../../src/engine/index.js';
import { createGhlClient } from '../../../src/ghl/index.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';
import { settleRuns } from '../../support/engine.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/**
 * The dead-letter loop in the engine, against the sandbox: replay with the recipe's newest
 * version (or the original one), a run with an interrupted step keeping its plan and journal,
 * dismissal, and the history each of these leaves.
 */
const v1: Recipe = {
  id: 'dl-users',
  version: 1,
  trigger: { source: 'app', events: ['user.created'] },
  connection: 'ghl-a',
  recordId: 'user.id',
  mapping: { contact: { email: { path: 'user.email', transforms: ['email'] }, source: { value: 'version one' } } },
  actions: [{ type: 'upsertContact' }, { type: 'note', sourceId: { template: 'bio-{{user.id}}' }, body: { path: 'user.bio' } }],
};
/** the fix: the app sends `about`, not `bio` */
const v2: Recipe = { ...v1, version: 2, mapping: { contact: { ...v1.mapping.contact, source: { value: 'version two' } } }, actions: [v1.actions[0]!, { type: 'note', sourceId: { template: 'bio-{{user.id}}' }, body: { path: 'user.about' } }] };

interface Contact {
  email?: string;
  source?: string;
}

describe.each(DATABASES)('dead letters on %s', (_name, open) => {
  let t: TestDatabase;
  let sb: TestSandbox;
  let engine: Engine;

  const contacts = async () => (await sb.api<{ contacts: Contact[] }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`, { token: null })).body.contacts;
  const ingest = (i: number) => engine.ingest({ source: 'app', externalId: `e${i}`, type: 'user.created', payload: { user: { id: `u${i}`, email: `dl${i}@example.com`, about: `About ${i}` } } });
  const row = async (id: number) => (await t.db.query<{ status: string; recipe_version: number; dismissed_reason: string | null }>('select status, recipe_version, dismissed_reason from runs where id = $1', [id])).rows[0]!;

  beforeEach(async () => {
    t = await open();
    sb = await startSandbox();
    const client = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId: sb.info.locationId, retry: { maxAttempts: 1, baseDelayMs: 10 } });
    engine = await createEngine({ db: t.db, ghl: async () => ({ client, locationId: sb.info.locationId }), maxAttempts: 1 });
    await engine.saveRecipe(v1);
    await engine.startWorker({ concurrency: 2, pollingIntervalSeconds: 0.2 });
  });
  afterEach(async () => {
    await engine.close();
    await sb.close();
    await t.drop().catch(() => undefined);
  });

  it('a mapping dead letter replays with the newest version by default, the original one when asked, and says so in its history', async () => {
    const [a, b] = [(await ingest(1)).runIds[0]!, (await ingest(2)).runIds[0]!];
    expect(await settleRuns(t.db)).toEqual({ dead: 2 });
    expect(await engine.history(a)).toEqual([
      { at: expect.any(String), action: 'dead-lettered', actor: expect.stringMatching(/^worker /), detail: { code: 'MAPPING', step: null, reason: 'actions[1].body: required: no value at "user.bio"' } },
    ]);
    await engine.saveRecipe(v2);

    expect(await engine.replayDeadLetters({ runIds: [b] }, { originalVersion: true, actor: 'test' })).toEqual([{ runId: b, fromVersion: 1, toVersion: 1, keptPlan: false }]);
    expect(await engine.replayDeadLetters({ recipeId: v1.id, errorCode: 'MAPPING', runIds: [a] }, { actor: 'test' })).toEqual([{ runId: a, fromVersion: 1, toVersion: 2, keptPlan: false }]);
    expect(await settleRuns(t.db)).toEqual({ dead: 1, succeeded: 1 });
    expect(await row(a)).toMatchObject({ status: 'succeeded', recipe_version: 2 });
    expect(await row(b)).toMatchObject({ status: 'dead', recipe_version: 1 });
    expect((await engine.history(a)).map((h) => [h.action, h.detail, h.actor])).toEqual([
      ['dead-lettered', expect.objectContaining({ code: 'MAPPING' }), expect.any(String)],
      ['replayed', { fromVersion: 1, toVersion: 2 }, 'test'],
    ]);
    // the original version died again, with a second history entry
    expect((await engine.history(b)).map((h) => h.action)).toEqual(['dead-lettered', 'replayed', 'dead-lettered']);
    expect((await contacts()).filter((c) => c.email === 'dl1@example.com')).toEqual([expect.objectContaining({ source: 'version two' })]);
  });

  it('a run with an interrupted step keeps its plan, journal and version when a newer version exists', async () => {
    // the note is sent and GHL answers 500: the step stays 'started' (it may have been applied)
    expect((await sb.api('POST', '/_sandbox/faults', { token: null, body: { path: '/contacts/*/notes', method: 'POST', status: 500, rate: 1 } })).status).toBe(200);
    const [id] = (await engine.ingest({ source: 'app', externalId: 'x', type: 'user.created', payload: { user: { id: 'ux', email: 'kept@example.com', bio: 'Bio', about: 'About' } } })).runIds;
    expect(await settleRuns(t.db)).toEqual({ dead: 1 });
    const before = (await engine.run(id!))!;
    const steps = async () => (await t.db.query<{ step: number; status: string }>('select step, status from run_steps where run_id = $1 order by step', [id])).rows;
    expect(await steps()).toEqual([{ step: 1, status: 'done' }, { step: 2, status: 'started' }]);
    expect((await engine.history(id!))[0]!.detail).toMatchObject({ step: 2, code: 'SERVER' });
    await sb.api('DELETE', '/_sandbox/faults', { token: null });
    await engine.saveRecipe(v2);

    expect(await engine.replayDeadLetters({ all: true })).toEqual([{ runId: id, fromVersion: 1, toVersion: 1, keptPlan: true }]);
    expect(await settleRuns(t.db)).toEqual({ succeeded: 1 });
    const after = (await engine.run(id!))!;
    expect(after).toMatchObject({ status: 'succeeded', recipeVersion: 1 });
    expect(after.plan).toEqual(before.plan);
    // the contact step was not re-sent with version two's fields: the journal kept it done
    expect((await contacts()).filter((c) => c.email === 'kept@example.com')).toEqual([expect.objectContaining({ source: 'version one' })]);
    expect((await engine.history(id!))[1]).toMatchObject({ action: 'replayed', detail: { fromVersion: 1, toVersion: 1, keptPlan: true, why: expect.stringContaining('interrupted') } });
  });

  it('a step GHL refused with a 422 is not ambiguous: the replay plans afresh with the fixed version', async () => {
    // version one sends a date GHL refuses (422 on the upsert, which applies nothing); version two does not
    const bad: Recipe = { ...v1, id: 'dl-dates', trigger: { source: 'app', events: ['user.dated'] }, mapping: { contact: { ...v1.mapping.contact, dateOfBirth: { value: 'nope' } } }, actions: [v1.actions[0]!] };
    await engine.saveRecipe(bad);
    const [id] = (await engine.ingest({ source: 'app', externalId: 'r', type: 'user.dated', payload: { user: { id: 'ur', email: 'refused@example.com', about: 'About' } } })).runIds;
    await settleRuns(t.db);
    expect((await engine.run(id!))!.status).toBe('dead');
    const steps = async () => (await t.db.query<{ step: number; status: string }>('select step, status from run_steps where run_id = $1 order by step', [id])).rows;
    // refused by an answer: nothing was applied, so no step is left 'started'
    expect(await steps()).toEqual([]);
    await engine.saveRecipe({ ...bad, version: 2, mapping: { contact: v1.mapping.contact } });
    expect(await engine.replayDeadLetters({ runIds: [id!] })).toEqual([{ runId: id, fromVersion: 1, toVersion: 2, keptPlan: false }]);
    await settleRuns(t.db);
    expect((await engine.run(id!))!.status).toBe('succeeded');
    expect((await contacts()).filter((c) => c.email === 'refused@example.com')).toHaveLength(1);
  });

  it('a dismissed dead letter keeps its reason, is never replayed or run; an empty selection is refused', async () => {
    const ids = [];
    for (let i = 1; i <= 3; i++) ids.push((await ingest(i)).runIds[0]!);
    expect(await settleRuns(t.db)).toEqual({ dead: 3 });
    await expect(engine.replayDeadLetters({})).rejects.toBeInstanceOf(EmptySelectionError);
    await expect(engine.dismissDeadLetters({}, 'x')).rejects.toBeInstanceOf(EmptySelectionError);
    await expect(engine.dismissDeadLetters({ all: true }, ' ')).rejects.toThrow(/reason/);
    expect(await engine.dismissDeadLetters({ since: new Date(Date.now() + 60_000) }, 'none that new')).toEqual([]);
    expect(await engine.dismissDeadLetters({ errorCode: 'SERVER' }, 'no such code here')).toEqual([]);
    expect(await engine.dismissDeadLetters({ runIds: [ids[0]!] }, 'test user, ignore', 'test')).toEqual([ids[0]]);
    expect(await row(ids[0]!)).toEqual({ status: 'dismissed', recipe_version: 1, dismissed_reason: 'test user, ignore' });
    expect((await engine.history(ids[0]!)).at(-1)).toMatchObject({ action: 'dismissed', detail: { reason: 'test user, ignore' }, actor: 'test' });
    await engine.saveRecipe(v2);
    expect((await engine.replayDeadLetters({ all: true })).map((r) => r.runId)).toEqual(ids.slice(1));
    expect(await settleRuns(t.db)).toEqual({ dismissed: 1, succeeded: 2 });
    // never run: no contact for it, and a second dismissal finds nothing to dismiss
    expect((await contacts()).map((c) => c.email).filter((e) => e?.startsWith('dl')).sort()).toEqual(['dl2@example.com', 'dl3@example.com']);
    expect(await engine.dismissDeadLetters({ runIds: [ids[0]!] }, 'again')).toEqual([]);
  });
});
