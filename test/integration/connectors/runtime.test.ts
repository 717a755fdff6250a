import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SCHEMES, verifyHmac } from '../../../src/connectors/webhooks/index.js';
import { defineConnector, WebhookPayloadError, type SourceEvent } from '../../../src/connectors/types.js';
import type { Recipe } from '../../../src/engine/index.js';
import { startBridge, type Bridge } from '../../support/bridge.js';

/**
 * The connector runtime end to end with a minimal connector over a real loopback app: webhook
 * ingress (verify, dedupe, refusals recorded and never enqueued, body limit), polls with a durable
 * cursor, app actions journaled by the engine (with the GHL 360° view), and a full sync's summary.
 */
interface Person {
  id: number;
  name: string;
  email: string;
  updatedAt: number;
}
const people: Person[] = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, name: `Person ${i + 1}`, email: `person${i + 1}@runtime.test`, updatedAt: 1000 + i }));
const received: Array<{ path: string; body: unknown }> = [];
let app: Server;
let appUrl = '';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const event = (p: Person): SourceEvent => ({ externalId: `person:${p.id}:${p.updatedAt}`, type: 'person.changed', payload: { person: { ...p } } });

const testApp = defineConnector<{ url: string; secret: string }>({
  app: 'testapp',
  title: 'Test app',
  connection: (s) => ({ url: String(s.config.url), secret: s.secrets.secret ?? '' }),
  triggers: [
    { id: 'testapp.webhook', title: 'Person webhook', kind: 'webhook', events: ['person.changed'], endpoint: 'POST /hooks/{connectionId}', output: {} },
    {
      id: 'testapp.people.changed',
      title: 'Changed people',
      kind: 'poll',
      events: ['person.changed'],
      endpoint: 'GET /people',
      output: {},
      async poll({ cursor }) {
        const after = (cursor as number | null) ?? 0;
        const page = people.filter((p) => p.updatedAt > after).sort((a, b) => a.updatedAt - b.updatedAt).slice(0, 3);
        return { events: page.map(event), cursor: page.at(-1)?.updatedAt ?? after, more: page.length === 3 };
      },
    },
  ],
  actions: [
    {
      id: 'testapp.note',
      title: 'Write a note',
      endpoint: 'POST /notes',
      idempotent: false,
      input: z.strictObject({ personId: z.string(), text: z.string(), contactView: z.unknown().optional() }),
      output: {},
      async run({ conn }, input) {
        const res = await fetch(`${conn.url}/notes`, { method: 'POST', body: JSON.stringify(input) });
        if (!res.ok) throw Object.assign(new Error(`app answered ${res.status}`), { status: res.status });
        return res.json();
      },
    },
  ],
  webhook: {
    verify: (conn, d) => verifyHmac(SCHEMES.standardWebhooks, conn.secret, d),
    parse(_conn, body, delivery) {
      const b = body as { type?: unknown; data?: Person };
      if (typeof b.type !== 'string') throw new WebhookPayloadError('type', 'required: the event type');
      if (!b.data) throw new WebhookPayloadError('data', 'required: the person');
      return [{ externalId: delivery.verification.id!, type: b.type, payload: { person: b.data } }];
    },
  },
  async *listAll() {
    for (const p of people) yield event(p);
  },
});

const recipe: Recipe = {
  id: 'people',
  version: 1,
  trigger: { source: 'testapp', events: ['person.changed'] },
  connection: 'ghl-main',
  recordId: 'person.id',
  mapping: { contact: { email: { path: 'person.email', transforms: ['email'] }, firstName: { path: 'person.name', transforms: ['firstName'] }, lastName: { path: 'person.name', transforms: ['lastName'] } } },
  actions: [{ type: 'upsertContact' }],
};
const viewRecipe: Recipe = {
  id: 'people-view',
  version: 1,
  trigger: { source: 'testapp', events: ['person.view_requested'] },
  connection: 'ghl-main',
  recordId: 'person.id',
  mapping: { contact: {} },
  actions: [{ type: 'app', connection: 'testapp-main', action: 'testapp.note', input: { personId: { path: 'person.id', transforms: ['string'] }, text: { template: 'view for {{person.name}}' } }, contactView: true }],
};

function sign(id: string, t: number, body: string): Record<string, string> {
  const sig = createHmac('sha256', Buffer.from(SECRET.slice(6), 'base64')).update(`${id}.${t}.${body}`).digest('base64');
  return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(t), 'webhook-signature': `v1,${sig}` };
}

describe('connector runtime', () => {
  let bridge: Bridge;
  const post = (body: string, headers: Record<string, string>) => fetch(bridge.hookUrl('testapp-main'), { method: 'POST', body, headers });

  beforeAll(async () => {
    app = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(raw || 'null') });
        // a note whose text says so fails after the app may have stored it
        if (raw.includes('fail-after-commit')) return void res.writeHead(502).end('bad gateway');
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: received.length }));
      });
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    bridge = await startBridge({
      connectors: [testApp],
      connections: () => [{ id: 'testapp-main', app: 'testapp', source: 'testapp', config: { url: appUrl }, secrets: { secret: SECRET } }],
      recipes: [recipe, viewRecipe],
    });
  });
  afterAll(async () => {
    await bridge?.close();
    await new Promise((r) => app.close(r));
  });

  const mine = async () => (await bridge.ghlContacts()).filter((c) => String(c.email ?? '').endsWith('@runtime.test'));

  it('stores a signed webhook once; a redelivery is acknowledged without a second run', async () => {
    const body = JSON.stringify({ type: 'person.changed', data: people[0] });
    const t = Math.floor(Date.now() / 1000);
    const first = await post(body, sign('msg_1', t, body));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, accepted: 1, duplicates: 0 });
    const again = await post(body, sign('msg_1', t + 5, body));
    expect(await again.json()).toEqual({ ok: true, accepted: 0, duplicates: 1 });
    const replays = await bridge.runtime.replays({ connectionId: 'testapp-main' });
    expect(replays.map((r) => r.externalIds)).toEqual([['msg_1']]);
    expect(replays[0]!.headers['webhook-signature']).toBe('[redacted]');
    await bridge.settle();
    expect(await bridge.runCount()).toBe(1);
    expect((await mine()).map((c) => c.email)).toEqual(['person1@runtime.test']);
  });

  it('refuses bad signatures (401), stale timestamps and malformed bodies (400): recorded, never enqueued', async () => {
    const runsBefore = await bridge.runCount();
    const body = JSON.stringify({ type: 'person.changed', data: people[1] });
    const now = Math.floor(Date.now() / 1000);
    const tampered = await post(body.replace('Person', 'Evil'), sign('msg_2', now, body));
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toMatchObject({ ok: false, error: 'unverified' });
    const unsigned = await post(body, { 'content-type': 'application/json' });
    expect(unsigned.status).toBe(401);
    const stale = await post(body, sign('msg_3', now - 3600, body));
    expect(stale.status).toBe(400);
    expect(await stale.json()).toMatchObject({ error: 'stale' });
    const noType = JSON.stringify({ data: people[1] });
    const malformed = await post(noType, sign('msg_4', now, noType));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: 'malformed', field: 'type' });
    const huge = 'x'.repeat(1024 * 1024 + 10);
    expect((await post(huge, sign('msg_5', now, huge))).status).toBe(413);
    expect(await bridge.runCount()).toBe(runsBefore);
    const rejections = await bridge.runtime.rejections({ connectionId: 'testapp-main' });
    expect(rejections.map((r) => [r.status, r.reason])).toEqual([[400, 'malformed'], [400, 'stale'], [401, 'missing-signature'], [401, 'bad-signature']]);
    expect(JSON.stringify(rejections)).not.toContain('v1,');
    expect(rejections[0]!.headers['webhook-signature']).toBe('[redacted]');
  });

  it('polls every page with a durable cursor; a re-poll finds nothing new, a change is picked up', async () => {
    // person 1 came by webhook already: another event (another id), but the ledger makes it a no-op
    const first = await bridge.runtime.poll('testapp-main', 'testapp.people.changed');
    expect(first).toMatchObject({ pages: 3, ingested: 7, duplicates: 0, cursor: 1006 });
    const again = await bridge.runtime.poll('testapp-main', 'testapp.people.changed');
    expect(again).toMatchObject({ pages: 1, ingested: 0, duplicates: 0, cursor: 1006 });
    people[2] = { ...people[2]!, name: 'Renamed Person', updatedAt: 2000 };
    expect(await bridge.runtime.poll('testapp-main', 'testapp.people.changed')).toMatchObject({ ingested: 1, cursor: 2000 });
    await bridge.settle();
    const contacts = await mine();
    expect(contacts).toHaveLength(7);
    expect(contacts.find((c) => c.email === 'person3@runtime.test')).toMatchObject({ firstName: 'Renamed', lastName: 'Person' });
  });

  it('runs an app action with the GHL 360° view, journaled as a step', async () => {
    await bridge.engine.ingest({ source: 'testapp', externalId: 'view-1', type: 'person.view_requested', payload: { person: people[0]! } });
    expect(await bridge.settle()).not.toHaveProperty('dead');
    const notes = received.filter((r) => r.path === '/notes');
    expect(notes).toHaveLength(1);
    const note = notes[0];
    const { rows: steps } = await bridge.db.db.query<{ action: string; status: string; response: unknown }>(`select s.action, s.status, s.response from run_steps s join runs r on r.id = s.run_id where r.recipe_id = 'people-view'`);
    expect(steps).toEqual([{ action: 'app:testapp.note', status: 'done', response: { id: received.indexOf(note!) + 1 } }]);
    expect(note?.body).toMatchObject({ personId: '1', text: 'view for Person 1', contactView: { contact: { email: 'person1@runtime.test' }, tasks: [], notes: [], appointments: [] } });
    const dry = await bridge.engine.dryRun({ source: 'testapp', type: 'person.view_requested', payload: { person: people[0]! } });
    expect(dry[0]!.plan!.calls).toMatchObject([{ operationId: 'testapp.note', method: 'POST', path: '/notes', app: { connection: 'testapp-main', contactView: true }, idempotent: false }]);
  });

  it('never repeats a non-idempotent app action that failed after the app may have applied it', async () => {
    const risky: Recipe = { ...viewRecipe, id: 'people-risky', trigger: { source: 'testapp', events: ['person.risky'] }, actions: [{ type: 'app', connection: 'testapp-main', action: 'testapp.note', input: { personId: { value: '1' }, text: { value: 'fail-after-commit' } } }] };
    await bridge.engine.saveRecipe(risky);
    const sent = () => received.filter((r) => JSON.stringify(r.body).includes('fail-after-commit')).length;
    const { runIds } = await bridge.engine.ingest({ source: 'testapp', externalId: 'risky-1', type: 'person.risky', payload: { person: people[0]! } });
    await bridge.settle();
    const run = await bridge.engine.run(runIds[0]!);
    expect(run?.status).toBe('dead');
    expect(run?.error?.reason).toContain('may have been applied');
    expect(sent()).toBe(1);
  });

  it('dead-letters an app action whose input breaks the action schema, naming the field', async () => {
    const bad: Recipe = { ...viewRecipe, id: 'people-bad', trigger: { source: 'testapp', events: ['person.bad'] }, actions: [{ type: 'app', connection: 'testapp-main', action: 'testapp.note', input: { personId: { path: 'person.id' } } }] };
    await bridge.engine.saveRecipe(bad);
    const { runIds } = await bridge.engine.ingest({ source: 'testapp', externalId: 'bad-1', type: 'person.bad', payload: { person: people[0]! } });
    await bridge.settle();
    const run = await bridge.engine.run(runIds[0]!);
    expect(run?.status).toBe('dead');
    expect(run?.error?.reason).toContain('app:testapp.note.input.personId');
    expect(run?.error?.reason).toContain('app:testapp.note.input.text');
  });

  it('full sync: every record through the recipe, unchanged ones cost no GHL call, with a summary', async () => {
    const { syncId } = await bridge.runtime.fullSync({ connectionId: 'testapp-main', recipeId: 'people', filter: { path: 'person.id', in: [1, 2, 3, 4, 5, 6] } });
    await bridge.settle();
    const summary = await bridge.runtime.syncSummary(syncId);
    expect(summary).toMatchObject({ status: 'done', records: 7, matched: 6, ingested: 6, created: 0, updated: 0, unchanged: 6, failed: 0, runs: { succeeded: 6 } });
    // a finished sync is not resumed: a new one is started
    await expect(bridge.runtime.fullSync({ connectionId: 'testapp-main', resume: syncId })).rejects.toThrow(`sync ${syncId} is done`);
  });
});
