import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import type { RunWorker } from '../../../src/engine/queue/worker.js';
import { settleRuns } from '../../support/engine.js';
import { startServerHarness, type ServerHarness } from './harness.js';

/**
 * The runs list and run detail of the console over real HTTP: each filter, cursor pages, the
 * detail's redaction and stored plan, replay with the current or the original recipe version,
 * dismissal with a reason, and bulk replay / dismissal by the list's own filters.
 */
const SIGNING_SECRET = 'whsec_cnVucy1jb25zb2xlLXRlc3Qtc2lnbmluZy1zZWNyZXQ=';
const PAYLOAD_TOKEN = 'tok-payload-secret-0123456789';
let h: ServerHarness;
let worker: RunWorker;

/** v1 reads the note from data.bio; the app sends data.about for some users: those die (MAPPING) */
const v1 = {
  id: 'rc-users', version: 1, trigger: { source: 'webhook', events: ['user.created'] }, connection: 'ghl-main', recordId: 'data.id',
  mapping: { contact: { email: { path: 'data.email', transforms: ['email'] }, firstName: 'data.name' } },
  actions: [{ type: 'upsertContact' }, { type: 'note', sourceId: { template: 'bio-{{data.id}}' }, body: { path: 'data.bio' } }],
};
const v2 = { ...v1, version: 2, actions: [v1.actions[0], { type: 'note', sourceId: { template: 'bio-{{data.id}}' }, body: { path: 'data.about' } }] };

type Run = { id: number; status: string; recordKey: string; recipeVersion: number; eventId: number; attempts: number; durationMs: number | null };
const ids = (r: { json: Record<string, unknown> }) => (r.json.items as Run[]).map((x) => x.id);
const runs: Record<string, number> = {};

async function deliver(connectionId: string, data: Record<string, unknown>) {
  const body = JSON.stringify({ type: 'user.created', data });
  const res = await h.call('POST', `/hooks/${connectionId}`, { raw: body, token: null, headers: standardWebhookHeaders(SIGNING_SECRET, { id: `msg_${String(data.id)}`, timestamp: Math.floor(Date.now() / 1000), body }) });
  expect(res.status).toBe(200);
}

const runOf = async (user: string) => (((await h.call('GET', `/api/v1/runs?record=${user}`)).json.items as Run[])[0]!);

beforeAll(async () => {
  h = await startServerHarness({ recipes: ['app-signup'] });
  worker = await h.bridge.engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.2 });
  expect((await h.call('POST', '/api/v1/connections', { body: { id: 'ghl-main', app: 'ghl-location', name: 'Location', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } } })).status).toBe(201);
  for (const id of ['app-main', 'app-two']) expect((await h.call('POST', '/api/v1/connections', { body: { id, app: 'webhook', name: id, secrets: { signingSecret: SIGNING_SECRET } } })).status).toBe(201);
  expect((await h.call('POST', '/api/v1/recipes', { body: v1 })).status).toBe(201);
  await deliver('app-main', { id: 'u1', email: 'Ada@Runs.test', name: 'Ada', bio: 'Hello from Ada', apiToken: PAYLOAD_TOKEN });
  await deliver('app-main', { id: 'u2', email: 'bob@runs.test', name: 'Bob', about: 'About Bob' });
  await deliver('app-two', { id: 'u3', email: 'cy@runs.test', name: 'Cy', about: 'About Cy' });
  await deliver('app-two', { id: 'u4', email: 'di@runs.test', name: 'Di', about: 'About Di' });
  await deliver('app-two', { id: 'u5', email: 'ed@runs.test', name: 'Ed', bio: 'Hello from Ed' });
  await deliver('app-main', { id: 'u6', email: 'fi@runs.test', name: 'Fi', about: 'About Fi' });
  await settleRuns(h.bridge.db, 20_000);
  for (const u of ['u1', 'u2', 'u3', 'u4', 'u5', 'u6']) runs[u] = (await runOf(u)).id;
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('GET /api/v1/runs filters', () => {
  it('by status: one, a comma list, repeated; a wrong one is a 400 naming status', async () => {
    expect(ids(await h.call('GET', '/api/v1/runs?recipe=rc-users&status=dead'))).toEqual([runs.u6, runs.u4, runs.u3, runs.u2]);
    expect(ids(await h.call('GET', '/api/v1/runs?recipe=rc-users&status=succeeded'))).toEqual([runs.u5, runs.u1]);
    expect(ids(await h.call('GET', '/api/v1/runs?recipe=rc-users&status=dead,succeeded'))).toHaveLength(6);
    expect(ids(await h.call('GET', '/api/v1/runs?recipe=rc-users&status=dead&status=succeeded'))).toHaveLength(6);
    expect(ids(await h.call('GET', '/api/v1/runs?recipe=rc-users&status=queued,running'))).toEqual([]);
    for (const q of ['status=nope', 'status=dead,', 'status=dead&status=zzz']) {
      const bad = await h.call('GET', `/api/v1/runs?${q}`);
      expect([bad.status, bad.json]).toEqual([400, { error: expect.objectContaining({ code: 'invalid-input', field: 'status' }) }]);
    }
  });

  it('by recipe, connection, record (key or bare id), time range', async () => {
    expect(ids(await h.call('GET', '/api/v1/runs?recipe=nope'))).toEqual([]);
    expect(ids(await h.call('GET', '/api/v1/runs?connection=app-two'))).toEqual([runs.u5, runs.u4, runs.u3]);
    expect(ids(await h.call('GET', '/api/v1/runs?connection=app-two&status=dead'))).toEqual([runs.u4, runs.u3]);
    expect(ids(await h.call('GET', '/api/v1/runs?record=u2'))).toEqual([runs.u2]);
    expect(ids(await h.call('GET', '/api/v1/runs?record=webhook:u2'))).toEqual([runs.u2]);
    expect(ids(await h.call('GET', '/api/v1/runs?record=u99'))).toEqual([]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect(ids(await h.call('GET', `/api/v1/runs?recipe=rc-users&since=${past}`))).toHaveLength(6);
    expect(ids(await h.call('GET', `/api/v1/runs?recipe=rc-users&since=${future}`))).toEqual([]);
    expect(ids(await h.call('GET', `/api/v1/runs?recipe=rc-users&until=${past}`))).toEqual([]);
    expect(ids(await h.call('GET', `/api/v1/runs?recipe=rc-users&since=${past}&until=${future}`))).toHaveLength(6);
    expect((await h.call('GET', '/api/v1/runs?since=yesterday')).json).toMatchObject({ error: { field: 'since' } });
    expect((await h.call('GET', '/api/v1/runs?colour=red')).status).toBe(400);
  });

  it('by GHL contact and by email (the plan and the ledger; a run that died before planning is found by record)', async () => {
    const ledger = await h.call('GET', '/api/v1/ledger?source=webhook&sourceId=u1');
    const contactId = (ledger.json.items as Array<{ ghlId: string; kind: string }>).find((e) => e.kind === 'contact')!.ghlId;
    expect(ids(await h.call('GET', `/api/v1/runs?contact=${contactId}`))).toEqual([runs.u1]);
    expect((await h.call('GET', `/api/v1/runs?record=u1`)).json.items).toEqual([expect.objectContaining({ contactId, durationMs: expect.any(Number) })]);
    expect(ids(await h.call('GET', '/api/v1/runs?contact=no-such-contact'))).toEqual([]);
    expect(ids(await h.call('GET', '/api/v1/runs?email=ada@runs.test'))).toEqual([runs.u1]);
    expect(ids(await h.call('GET', `/api/v1/runs?email=${encodeURIComponent(' ADA@RUNS.TEST ')}`))).toEqual([runs.u1]);
    expect(ids(await h.call('GET', '/api/v1/runs?email=ed@runs.test&connection=app-two'))).toEqual([runs.u5]);
    expect(ids(await h.call('GET', '/api/v1/runs?email=bob@runs.test'))).toEqual([]);
  });

  it('pages by cursor, newest first, and counts on request', async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await h.call('GET', `/api/v1/runs?recipe=rc-users&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...ids(r));
      cursor = r.json.next as string | undefined;
      if (!cursor) break;
    }
    expect(seen).toEqual([runs.u6, runs.u5, runs.u4, runs.u3, runs.u2, runs.u1]);
    // with a time range the pages follow the run's time (finished, else created), keyset through the cursor's run
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const first = await h.call('GET', `/api/v1/runs?recipe=rc-users&since=${since}&limit=4`);
    const second = await h.call('GET', `/api/v1/runs?recipe=rc-users&since=${since}&limit=4&cursor=${String(first.json.next)}`);
    expect(second.json.next).toBeUndefined();
    expect([...ids(first), ...ids(second)].sort()).toEqual(Object.values(runs).sort());
    const times = [...(first.json.items as Array<{ finishedAt: string }>), ...(second.json.items as Array<{ finishedAt: string }>)].map((r) => r.finishedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect((await h.call('GET', '/api/v1/runs?recipe=rc-users&status=dead&limit=1&count=true')).json).toMatchObject({ items: [{ id: runs.u6 }], next: expect.any(String), total: 4 });
    expect((await h.call('GET', '/api/v1/runs?recipe=rc-users')).json).not.toHaveProperty('total');
    expect((await h.call('GET', '/api/v1/runs?cursor=bogus')).json).toMatchObject({ error: { field: 'cursor' } });
    // an id cursor is not one of a time range's (nor the reverse)
    expect((await h.call('GET', `/api/v1/runs?recipe=rc-users&since=${since}&cursor=${String((await h.call('GET', '/api/v1/runs?recipe=rc-users&limit=1')).json.next)}`)).status).toBe(400);
    expect((await h.call('GET', `/api/v1/runs?recipe=rc-users&cursor=${String(first.json.next)}`)).status).toBe(400);
  });

  it('pages a time range by the cursor\'s own (time, id): a run of page 1 replayed meanwhile shifts nothing', async () => {
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const list = `/api/v1/runs?recipe=rc-users&status=dead&since=${since}&limit=2`;
    const first = await h.call('GET', list);
    // dead, by finish time: u6, u4, u3, u2
    expect(ids(first)).toEqual([runs.u6, runs.u4]);
    const cursor = String(first.json.next);
    // the cursor's run is replayed: queued again, its finished_at cleared (its time is now its created_at)
    await worker.stop();
    try {
      expect((await h.call('POST', `/api/v1/dead-letters/${runs.u4}/replay`, { body: { originalVersion: true } })).status).toBe(200);
      expect((await h.bridge.db.query<{ finished_at: Date | null }>('select finished_at from runs where id = $1', [runs.u4])).rows[0]!.finished_at).toBeNull();
      const second = await h.call('GET', `${list}&cursor=${cursor}`);
      expect([ids(second), second.json.next]).toEqual([[runs.u3, runs.u2], undefined]);
    } finally {
      worker = await h.bridge.engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.2 });
    }
    // it dies again (v1 reads data.bio): now the newest dead run, before the cursor, so not on the next page again
    await settleRuns(h.bridge.db, 20_000);
    expect(ids(await h.call('GET', list))).toEqual([runs.u4, runs.u6]);
    const again = await h.call('GET', `${list}&cursor=${cursor}`);
    expect([ids(again), again.json.next]).toEqual([[runs.u3, runs.u2], undefined]);
  });
});

describe('GET /api/v1/runs/{id}', () => {
  it('a succeeded run: the event with credentials redacted, the mapping output and plan as stored, the steps, the recipe versions', async () => {
    const r = await h.call('GET', `/api/v1/runs/${runs.u1}`);
    expect(r.status).toBe(200);
    expect(r.text).not.toContain(PAYLOAD_TOKEN);
    expect(r.text).not.toContain(SIGNING_SECRET);
    expect(r.json).toMatchObject({
      id: runs.u1, status: 'succeeded', recipeId: 'rc-users', recipeVersion: 1, retries: 0, explanation: null,
      event: { connectionId: 'app-main', type: 'user.created', payload: { data: { id: 'u1', email: 'Ada@Runs.test', apiToken: '[redacted]' } } },
      mapping: { source: 'plan', contact: { email: 'ada@runs.test', firstName: 'Ada' }, notes: [{ sourceId: 'bio-u1', fields: { body: 'Hello from Ada' } }] },
      plan: { calls: [{ step: 1, operationId: 'upsert-contact', method: 'POST', diff: expect.arrayContaining([{ field: 'email', to: 'ada@runs.test' }]) }, { step: 2, action: expect.stringMatching(/^note/) }] },
      recipe: { id: 'rc-users', version: 1, currentVersion: 1, enabled: true },
    });
    const steps = r.json.steps as Array<{ status: string; ghlId: string | null; durationMs: number | null; summary: string }>;
    expect(steps).toHaveLength(2);
    expect(steps[0]).toMatchObject({ status: 'done', ghlId: expect.any(String), durationMs: expect.any(Number), summary: expect.stringMatching(/^POST \/contacts\/upsert \(.*email.*\)$/) });
    expect((await h.call('GET', '/api/v1/runs/999999')).status).toBe(404);
    expect((await h.call('GET', '/api/v1/runs/abc')).json).toMatchObject({ error: { field: 'id' } });
  });

  it('redacts credential-like keys in the mapping output (contact, app inputs, tasks, notes) as in the plan, and in a preview\'s stored event', async () => {
    const SECRET = 'pw-in-the-plan-0123456789';
    const { rows } = await h.bridge.db.query<{ plan: unknown }>('select plan from runs where id = $1', [runs.u1]);
    const stored = rows[0]!.plan;
    try {
      // a stored plan whose bodies carry credentials: an app call's input, and keys on the contact and note calls
      await h.bridge.db.query(`update runs set plan = jsonb_set(jsonb_set(plan, '{calls,0,body,apiToken}', to_jsonb($2::text)), '{calls,1,body,password}', to_jsonb($2::text)) where id = $1`, [runs.u1, SECRET]);
      const appCall = { step: 3, action: 'actions[2]', operationId: 'create-candidate', method: 'POST', path: '/candidates', idempotent: false, app: { connection: 'app-main', contactView: false }, body: { name: 'Ada', password: SECRET, auth: { api_key: SECRET } } };
      await h.bridge.db.query(`update runs set plan = jsonb_set(plan, '{calls}', (plan->'calls') || jsonb_build_array($2::jsonb)) where id = $1`, [runs.u1, JSON.stringify(appCall)]);
      const r = await h.call('GET', `/api/v1/runs/${runs.u1}`);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(SECRET);
      expect(r.json.mapping).toMatchObject({
        contact: { email: 'ada@runs.test', apiToken: '[redacted]' },
        notes: [{ sourceId: 'bio-u1', fields: { body: 'Hello from Ada', password: '[redacted]' } }],
        apps: [{ action: 'create-candidate', connection: 'app-main', input: { name: 'Ada', password: '[redacted]', auth: { api_key: '[redacted]' } } }],
      });
    } finally {
      await h.bridge.db.query('update runs set plan = $2::jsonb where id = $1', [runs.u1, JSON.stringify(stored)]);
    }
    // the preview of a stored event: the mapping reads the real payload, the echoed event is redacted
    const u1 = await h.call('GET', `/api/v1/runs/${runs.u1}`);
    const preview = await h.call('POST', '/api/v1/recipes/preview', { body: { text: JSON.stringify(v1), event: { eventId: (u1.json as { eventId: number }).eventId } } });
    expect(preview.status).toBe(200);
    expect(preview.text).not.toContain(PAYLOAD_TOKEN);
    expect(preview.json).toMatchObject({ matched: true, recordId: 'u1', contact: { fields: { email: 'ada@runs.test', firstName: 'Ada' } }, event: { from: { kind: 'event' }, payload: { data: { id: 'u1', apiToken: '[redacted]' } } } });
    // a pasted payload is the caller's own: echoed as given
    const pasted = await h.call('POST', '/api/v1/recipes/preview', { body: { text: JSON.stringify(v1), event: { payload: { data: { id: 'p1', email: 'p@runs.test', apiToken: 'mine' } } } } });
    expect(pasted.json).toMatchObject({ event: { payload: { data: { apiToken: 'mine' } } } });
  });

  it('a dead run: its error with the cause and what to do; no plan stored, and it says so', async () => {
    const r = await h.call('GET', `/api/v1/runs/${runs.u2}`);
    expect(r.json).toMatchObject({
      status: 'dead', error: { code: 'MAPPING' },
      explanation: { cause: expect.stringContaining('actions[1].body'), fix: expect.stringContaining('replay'), command: expect.stringContaining('ghl-bridge dlq replay') },
      mapping: { source: null, missing: expect.stringContaining('no plan is stored') }, plan: null, steps: [],
    });
  });
});

describe('replay and dismiss', () => {
  it('replays with the current recipe version by default, or the original one; dismisses with a reason only', async () => {
    const saved = await h.call('POST', '/api/v1/recipes/rc-users/versions', { body: { text: JSON.stringify(v2) } });
    expect(saved.status).toBe(201);
    expect((await h.call('GET', `/api/v1/runs/${runs.u2}`)).json).toMatchObject({ recipe: { version: 1, currentVersion: 2 } });

    const current = await h.call('POST', `/api/v1/dead-letters/${runs.u2}/replay`);
    expect(current.json).toEqual({ replayed: [runs.u2], runs: [{ runId: runs.u2, fromVersion: 1, toVersion: 2, keptPlan: false }] });
    const original = await h.call('POST', `/api/v1/dead-letters/${runs.u3}/replay`, { body: { originalVersion: true } });
    expect(original.json).toMatchObject({ runs: [{ runId: runs.u3, fromVersion: 1, toVersion: 1 }] });
    await settleRuns(h.bridge.db, 20_000);
    expect((await h.call('GET', `/api/v1/runs/${runs.u2}`)).json).toMatchObject({ status: 'succeeded', recipeVersion: 2, mapping: { notes: [{ fields: { body: 'About Bob' } }] }, history: expect.arrayContaining([expect.objectContaining({ action: 'replayed' })]) });
    expect((await h.call('GET', `/api/v1/runs/${runs.u3}`)).json).toMatchObject({ status: 'dead', recipeVersion: 1 });

    const noReason = await h.call('POST', `/api/v1/dead-letters/${runs.u3}/dismiss`, { body: { reason: ' ' } });
    expect([noReason.status, noReason.json]).toEqual([400, { error: expect.objectContaining({ field: 'reason' }) }]);
    expect((await h.call('POST', `/api/v1/dead-letters/${runs.u3}/dismiss`, {})).status).toBe(400);
    expect((await h.call('POST', `/api/v1/dead-letters/${runs.u3}/dismiss`, { body: { reason: 'test user, not a customer' } })).json).toEqual({ dismissed: [runs.u3] });
    expect((await h.call('GET', `/api/v1/runs/${runs.u3}`)).json).toMatchObject({ status: 'dismissed', dismissedReason: 'test user, not a customer' });
    expect((await h.call('POST', `/api/v1/dead-letters/${runs.u3}/dismiss`, { body: { reason: 'again' } })).status).toBe(409);
  });

  it('bulk replay and dismissal take the list filters and act only on what the list shows', async () => {
    // dead now: u4 (app-two) and u6 (app-main)
    const listed = await h.call('GET', '/api/v1/runs?status=dead&connection=app-two&count=true');
    expect(listed.json).toMatchObject({ total: 1, items: [{ id: runs.u4 }] });
    const replayed = await h.call('POST', '/api/v1/dead-letters/replay', { body: { connection: 'app-two' } });
    expect(replayed.json).toEqual({ replayed: [runs.u4], runs: [{ runId: runs.u4, fromVersion: 1, toVersion: 2, keptPlan: false }] });
    // a filter that selects nothing acts on nothing (never on everything)
    expect((await h.call('POST', '/api/v1/dead-letters/replay', { body: { record: 'u99' } })).json).toEqual({ replayed: [], runs: [] });
    expect((await h.call('POST', '/api/v1/dead-letters/dismiss', { body: { email: 'nobody@runs.test', reason: 'x' } })).json).toEqual({ dismissed: [] });
    expect((await h.call('POST', '/api/v1/dead-letters/dismiss', { body: { reason: 'x' } })).json).toMatchObject({ error: { field: 'all' } });
    expect((await h.call('POST', '/api/v1/dead-letters/dismiss', { body: { connection: 'app-main' } })).json).toMatchObject({ error: { field: 'reason' } });
    const dismissed = await h.call('POST', '/api/v1/dead-letters/dismiss', { body: { connection: 'app-main', record: 'u6', reason: 'duplicate sign-up' } });
    expect(dismissed.json).toEqual({ dismissed: [runs.u6] });
    await settleRuns(h.bridge.db, 20_000);
    expect((await h.call('GET', `/api/v1/runs/${runs.u4}`)).json).toMatchObject({ status: 'succeeded', recipeVersion: 2 });
    expect((await h.call('GET', '/api/v1/dead-letters?connection=app-main')).json.items).toEqual([]);
    expect(ids(await h.call('GET', '/api/v1/runs?recipe=rc-users&status=dismissed'))).toEqual([runs.u6, runs.u3]);
  });
});
