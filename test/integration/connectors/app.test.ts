import { createHash, createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectorActions, connectorRegistry, staticConnections } from '../../../src/connectors/runtime/index.js';
import type { ConnectorConnection } from '../../../src/connectors/types.js';
import { createAppFake, webhook, type AppFake } from '../../../src/connectors/webhook/index.js';
import type { AppUser } from '../../../src/connectors/webhook/fake.js';
import { loadRecipe, startBridge, type Bridge } from '../../support/bridge.js';
import { catalogCoverage } from '../../support/catalog-coverage.js';

/**
 * Recipes 4, 5 and 6 end to end: the "your app" fake (real HTTP, Standard Webhooks signatures)
 * → the connector runtime (webhook connector) → the engine on PGlite → the GHL sandbox. Counts are
 * read back from the sandbox, the events table and the recorded rejections. Every catalog entry of
 * webhook is executed once for real: one connection per signature scheme (each scheme is its own
 * trigger), and `webhook.send` into the fake app (the last test checks none was left out).
 */

const CONNECTION = 'app-main';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const RECIPES = ['app-signup', 'app-profile', 'app-profile-notes', 'app-tasks', 'app-notes'];
/** Connections of the other schemes: their own sources, which no recipe listens to. */
const STRIPE = { id: 'app-stripe', source: 'stripe-app', secret: 'whsec_stripe_style_utf8_key' };
const GITHUB = { id: 'app-github', source: 'github-app', secret: 'gh-hook-secret' };
const CUSTOM = { id: 'app-custom', source: 'erp-hooks', secret: 'erp-hook-secret' };
/** A custom scheme that signs the body only and sends no timestamp (no replay window can apply). */
const BODY_ONLY = { id: 'app-body-only', source: 'body-hooks', secret: 'body-hook-secret' };

const coverage = catalogCoverage('webhook');
let app: AppFake;
let stripeApp: AppFake;
let bridge: Bridge;
let welcomeUserId: string;
/** The engine's `type: app` port over the catalog actions (input checked by each action's schema). */
let apps: ReturnType<typeof connectorActions>;

function connections(): ConnectorConnection[] {
  return [
    { id: CONNECTION, app: 'webhook', source: 'my-app', config: { sendUrl: app.inboxUrl }, secrets: { signingSecret: SECRET } },
    { id: STRIPE.id, app: 'webhook', source: STRIPE.source, config: { scheme: 'stripe' }, secrets: { signingSecret: STRIPE.secret } },
    { id: GITHUB.id, app: 'webhook', source: GITHUB.source, config: { scheme: 'github', eventTypePath: 'event' }, secrets: { signingSecret: GITHUB.secret } },
    {
      id: CUSTOM.id,
      app: 'webhook',
      source: CUSTOM.source,
      // an ERP-style scheme: base64 HMAC of "<t>.<body>" with the secret's UTF-8 bytes, id and data in the body
      config: {
        scheme: { signatureHeader: 'x-erp-signature', format: 'prefixed', prefix: 'hmac-sha256=', encoding: 'base64', signs: 't.body', key: 'utf8', timestampHeader: 'x-erp-timestamp', toleranceSeconds: 300 },
        eventTypePath: 'meta.event',
        idPath: 'meta.id',
        dataPath: 'record',
      },
      secrets: { signingSecret: CUSTOM.secret },
    },
    {
      id: BODY_ONLY.id,
      app: 'webhook',
      source: BODY_ONLY.source,
      config: { scheme: { signatureHeader: 'x-signature', format: 'bare', encoding: 'hex', signs: 'body', key: 'utf8', idHeader: 'x-delivery-id' } },
      secrets: { signingSecret: BODY_ONLY.secret },
    },
  ];
}

beforeAll(async () => {
  // no retries: a refused delivery is one attempt, one recorded rejection
  app = await createAppFake({ secret: SECRET, retryDelaysMs: [] });
  stripeApp = await createAppFake({ secret: STRIPE.secret, scheme: 'stripe', retryDelaysMs: [] });
  bridge = await startBridge({ connectors: [webhook], connections });
  const wrongKey: ConnectorConnection = { id: 'app-wrong-key', app: 'webhook', source: 'my-app', config: { sendUrl: app.inboxUrl }, secrets: { signingSecret: 'whsec_dGhpcy1pcy1ub3QtdGhlLXNlY3JldA==' } };
  apps = connectorActions({ registry: connectorRegistry([webhook]), connections: staticConnections([...connections(), wrongKey]) });
  stripeApp.webhookUrl = bridge.hookUrl(STRIPE.id);
  const state = (await (await fetch(`${bridge.sb.url}/_sandbox/state`)).json()) as { users: Record<string, { id: string }> };
  welcomeUserId = Object.values(state.users)[0]!.id;
  // the one setting of app-signup.yaml: who gets the welcome task
  const signup = loadRecipe('app-signup');
  const task = signup.actions.find((a) => a.type === 'task')!;
  if (task.type === 'task') task.assignedTo = { value: welcomeUserId };
  await bridge.engine.saveRecipe(signup);
  for (const name of RECIPES.slice(1)) await bridge.engine.saveRecipe(loadRecipe(name));
  app.webhookUrl = bridge.hookUrl(CONNECTION);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await stripeApp?.close();
  await bridge?.close();
});

async function contactsOf(email: string) {
  return (await bridge.ghlContacts()).filter((c) => c.email === email);
}

async function eventCount(): Promise<number> {
  const { rows } = await bridge.db.db.query<{ n: string }>(`select count(*) as n from events where source = 'my-app'`);
  return Number(rows[0]!.n);
}

/** The events stored for a source, oldest first. */
async function storedEvents(source: string): Promise<Array<{ external_id: string; type: string; payload: Record<string, unknown> }>> {
  const { rows } = await bridge.db.db.query<{ external_id: string; type: string; payload: Record<string, unknown> }>('select external_id, type, payload from events where source = $1 order by id', [source]);
  return rows;
}

async function post(connectionId: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(bridge.hookUrl(connectionId), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function sandboxCalls(): Promise<Array<{ method: string; path: string; status: number }>> {
  const body = (await (await fetch(`${bridge.sb.url}/_sandbox/requests?limit=1000`)).json()) as { requests: Array<{ method: string; path: string; status: number }> };
  return body.requests.filter((r) => !r.path.startsWith('/_sandbox'));
}

describe('your app → GHL (recipes app-signup, app-profile, app-tasks, app-notes)', () => {
  it('ships valid recipe files on the my-app source', () => {
    for (const name of RECIPES) expect(loadRecipe(name)).toMatchObject({ trigger: { source: 'my-app' }, connection: 'ghl-main' });
  });

  let ada: AppUser;
  let contactId: string;

  it('sign-up → exactly one contact, one welcome task assigned to the configured user, one plan note', async () => {
    const { user, message } = await app.signUp({ email: 'Grace.Hopper@Example.net', name: 'Grace Hopper', phone: '+14155550199', plan: 'free', company: 'Engines Ltd' });
    ada = user;
    expect(message.delivery.attempts.map((a) => a.status)).toEqual([200]);
    await bridge.settle();
    expect(await bridge.engine.runs({ status: 'dead' })).toEqual([]);
    const contacts = await contactsOf('grace.hopper@example.net');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', phone: '+14155550199', companyName: 'Engines Ltd', source: 'My app', tags: ['app-user'] });
    contactId = contacts[0]!.id;
    const { tasks } = await bridge.ghl.tasks.list(contactId);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ title: 'Welcome Grace Hopper', assignedTo: welcomeUserId, completed: false });
    const { notes } = await bridge.ghl.notes.list(contactId);
    expect(notes.map((n) => n.body)).toEqual(['Plan: free']);
    expect(await eventCount()).toBe(1);
    // the Standard Webhooks message, stored under its webhook-id with the body as sent
    const [event] = await storedEvents('my-app');
    expect(event).toMatchObject({ external_id: message.id, type: 'user.created', payload: { type: 'user.created', data: { id: user.id, email: 'Grace.Hopper@Example.net' } } });
    coverage.ran('webhook.standard-webhooks');
  });

  it('a redelivery of the same webhook-id → 2xx, stored once, no new run', async () => {
    const runs = await bridge.runCount();
    const again = await app.redeliver(app.sent[0]!);
    expect(again.delivery.attempts.map((a) => a.status)).toEqual([200]);
    await bridge.settle();
    expect(await eventCount()).toBe(1);
    expect(await bridge.runCount()).toBe(runs);
    expect(await contactsOf('grace.hopper@example.net')).toHaveLength(1);
  });

  it('profile update → a PUT with only the changed fields and exactly one note; an update of other fields adds no note', async () => {
    await fetch(`${bridge.sb.url}/_sandbox/requests`, { method: 'DELETE' });
    await app.updateProfile(ada.id, { plan: 'pro', phone: '+14155550198' });
    await bridge.settle();
    const runs = await bridge.engine.runs({ recipeId: 'app-profile' });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe('succeeded');
    const put = runs[0]!.plan!.calls.filter((c) => c.method === 'PUT');
    expect(put).toHaveLength(1);
    expect(put[0]!.body).toEqual({ phone: '+14155550198' });
    const calls = (await sandboxCalls()).map((c) => `${c.method} ${c.path.replace(contactId, '{id}')}`);
    expect(calls.sort()).toEqual(['POST /contacts/{id}/notes', 'PUT /contacts/{id}']);
    expect((await contactsOf('grace.hopper@example.net'))[0]).toMatchObject({ phone: '+14155550198', firstName: 'Grace', companyName: 'Engines Ltd' });
    expect((await bridge.ghl.notes.list(contactId)).notes.map((n) => n.body).sort()).toEqual(['Plan: free', 'Plan: pro']);

    await fetch(`${bridge.sb.url}/_sandbox/requests`, { method: 'DELETE' });
    await app.updateProfile(ada.id, { name: 'Grace King' });
    await bridge.settle();
    expect((await sandboxCalls()).map((c) => `${c.method} ${c.path.replace(contactId, '{id}')}`)).toEqual(['PUT /contacts/{id}']);
    const last = (await bridge.engine.runs({ recipeId: 'app-profile' })).find((r) => r.plan?.calls.some((c) => c.method === 'PUT' && (c.body as Record<string, unknown>).lastName === 'King'));
    expect(last!.plan!.calls.find((c) => c.method === 'PUT')!.body).toEqual({ lastName: 'King' });
    expect((await bridge.ghl.notes.list(contactId)).notes).toHaveLength(2);
    // no plan change: app-profile-notes is filtered out (skipped), never a mapping error
    expect((await bridge.engine.runs({ recipeId: 'app-profile-notes' })).map((r) => r.status).sort()).toEqual(['skipped', 'succeeded']);
  });

  it('plan free → pro → free → one note per change, also the return to an earlier plan', async () => {
    await app.updateProfile(ada.id, { plan: 'free' });
    await bridge.settle();
    const notes = (await bridge.ghl.notes.list(contactId)).notes.map((n) => n.body).sort();
    // sign-up (free), → pro, → free again
    expect(notes).toEqual(['Plan: free', 'Plan: free', 'Plan: pro']);
    // a redelivery of the last update adds nothing
    await app.redeliver(app.sent.at(-1)!);
    await bridge.settle();
    expect((await bridge.ghl.notes.list(contactId)).notes).toHaveLength(3);
    expect(await bridge.engine.runs({ status: 'dead' })).toEqual([]);
  });

  it('task and note created in the app → the matching GHL task and note on the linked contact, once', async () => {
    const { task, message } = await app.createTask(ada.id, { title: 'Send the invoice', body: 'For March', dueDate: '2026-04-01T09:00:00Z' });
    await app.createNote(ada.id, { body: 'Asked about the API.' });
    await app.redeliver(message);
    await bridge.settle();
    const { tasks } = await bridge.ghl.tasks.list(contactId);
    expect(tasks.filter((t) => t.title === 'Send the invoice')).toHaveLength(1);
    expect(tasks.find((t) => t.title === 'Send the invoice')).toMatchObject({ body: 'For March', dueDate: '2026-04-01T09:00:00.000Z' });
    expect(tasks).toHaveLength(2);
    const { notes } = await bridge.ghl.notes.list(contactId);
    expect(notes.filter((n) => n.body === 'Asked about the API.')).toHaveLength(1);
    expect(task.userId).toBe(ada.id);
    expect(await bridge.engine.runs({ status: 'dead' })).toEqual([]);
  });

  it('a stale timestamp → 400, recorded, never enqueued', async () => {
    const events = await eventCount();
    const runs = await bridge.runCount();
    const { message } = await app.signUp({ email: 'stale@example.com', name: 'Stale Sender' }, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(message.delivery.attempts.map((a) => a.status)).toEqual([400]);
    const rejections = await bridge.runtime.rejections({ connectionId: CONNECTION });
    expect(rejections.filter((r) => r.reason === 'stale')).toHaveLength(1);
    expect(await eventCount()).toBe(events);
    expect(await bridge.runCount()).toBe(runs);
  });

  it('a bad signature → 401, recorded, never enqueued; the same message signed right is accepted once', async () => {
    const events = await eventCount();
    const { message } = await app.signUp({ email: 'forged@example.com', name: 'Forged Sender' }, { secret: 'whsec_dGhpcy1pcy1ub3QtdGhlLXNlY3JldA==' });
    expect(message.delivery.attempts.map((a) => a.status)).toEqual([401]);
    const rejections = await bridge.runtime.rejections({ connectionId: CONNECTION });
    expect(rejections.filter((r) => r.reason === 'bad-signature')).toHaveLength(1);
    expect(JSON.stringify(rejections)).not.toContain(SECRET);
    expect(await eventCount()).toBe(events);
    await bridge.settle();
    expect(await contactsOf('forged@example.com')).toHaveLength(0);
    const retried = await app.redeliver(message);
    expect(retried.delivery.attempts.map((a) => a.status)).toEqual([200]);
    await bridge.settle();
    expect(await contactsOf('forged@example.com')).toHaveLength(1);
  });

  it('a body without a type → 400 naming the field, never enqueued', async () => {
    const events = await eventCount();
    const body = JSON.stringify({ data: { id: 'x' } });
    const { standardWebhookHeaders } = await import('../../../src/connectors/webhook/sign.js');
    const res = await fetch(bridge.hookUrl(CONNECTION), { method: 'POST', headers: { 'content-type': 'application/json', ...standardWebhookHeaders(SECRET, { id: 'msg_notype', timestamp: Math.floor(Date.now() / 1000), body }) }, body });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: 'malformed', field: 'type' });
    expect(await eventCount()).toBe(events);
  });
});

describe('the other signature schemes (one connection each) and webhook.send', () => {
  it('Stripe-style: Stripe-Signature checked with the UTF-8 key, the evt_ id read from the body, a redelivery stored once', async () => {
    const runs = await bridge.runCount();
    const { user, message } = await stripeApp.signUp({ email: 'stripe.user@example.com', name: 'Stripe User', plan: 'pro' });
    expect(message.id).toMatch(/^evt_/);
    expect(message.delivery.attempts.map((a) => a.status)).toEqual([200]);
    expect(await storedEvents(STRIPE.source)).toEqual([{ external_id: message.id, type: 'user.created', payload: expect.objectContaining({ id: message.id, object: 'event', data: { object: expect.objectContaining({ id: user.id, email: 'stripe.user@example.com' }) } }) }]);
    const again = await stripeApp.redeliver(message);
    expect(again.delivery.attempts.map((a) => a.status)).toEqual([200]);
    expect(await storedEvents(STRIPE.source)).toHaveLength(1);
    // signed with another key: refused
    const forged = await stripeApp.signUp({ email: 'forged.stripe@example.com', name: 'Forged' }, { secret: 'whsec_other' });
    expect(forged.message.delivery.attempts.map((a) => a.status)).toEqual([401]);
    expect(await storedEvents(STRIPE.source)).toHaveLength(1);
    await bridge.settle();
    expect(await bridge.runCount()).toBe(runs); // no recipe listens to this source
    coverage.ran('webhook.stripe');
  });

  it('GitHub-style: X-Hub-Signature-256 over the body, keyed by the body hash (X-GitHub-Delivery is unsigned), the type at config.eventTypePath', async () => {
    const body = JSON.stringify({ event: 'order.paid', order: { id: 'ord_1', total: 4200 } });
    const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const delivery = randomUUID();
    expect(await post(GITHUB.id, body, { 'x-hub-signature-256': sign(GITHUB.secret), 'x-github-delivery': delivery })).toMatchObject({ status: 200, body: { accepted: 1 } });
    // X-GitHub-Delivery is not signed: the event is keyed by the hash of the signed body
    expect(await storedEvents(GITHUB.source)).toEqual([{ external_id: `sha256:${createHash('sha256').update(body).digest('hex')}`, type: 'order.paid', payload: { event: 'order.paid', order: { id: 'ord_1', total: 4200 } } }]);
    // the same delivery again: acknowledged, not stored twice
    expect(await post(GITHUB.id, body, { 'x-hub-signature-256': sign(GITHUB.secret), 'x-github-delivery': delivery })).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 1 } });
    // a captured body replayed with a fresh delivery id: still a duplicate (it could roll a contact back)
    expect(await post(GITHUB.id, body, { 'x-hub-signature-256': sign(GITHUB.secret), 'x-github-delivery': randomUUID() })).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 1 } });
    expect(await post(GITHUB.id, body, { 'x-hub-signature-256': sign('wrong'), 'x-github-delivery': randomUUID() })).toMatchObject({ status: 401, body: { error: 'unverified' } });
    expect(await storedEvents(GITHUB.source)).toHaveLength(1);
    coverage.ran('webhook.github');
  });

  it('custom scheme: the configured header, prefix, encoding and signed string; id, type and data read from configured paths', async () => {
    const body = JSON.stringify({ meta: { event: 'invoice.created', id: 'inv-evt-1' }, record: { invoiceId: 'INV-1', amount: 12.5 } });
    const t = Math.floor(Date.now() / 1000);
    const sign = (secret: string, at: number) => `hmac-sha256=${createHmac('sha256', secret).update(`${at}.${body}`).digest('base64')}`;
    expect(await post(CUSTOM.id, body, { 'x-erp-signature': sign(CUSTOM.secret, t), 'x-erp-timestamp': String(t) })).toMatchObject({ status: 200, body: { accepted: 1 } });
    expect(await storedEvents(CUSTOM.source)).toEqual([{ external_id: 'inv-evt-1', type: 'invoice.created', payload: { invoiceId: 'INV-1', amount: 12.5 } }]);
    // outside the window, and signed without the timestamp: refused
    expect(await post(CUSTOM.id, body, { 'x-erp-signature': sign(CUSTOM.secret, t - 900), 'x-erp-timestamp': String(t - 900) })).toMatchObject({ status: 400, body: { error: 'stale' } });
    const bodyOnly = `hmac-sha256=${createHmac('sha256', CUSTOM.secret).update(body).digest('base64')}`;
    expect(await post(CUSTOM.id, body, { 'x-erp-signature': bodyOnly, 'x-erp-timestamp': String(t) })).toMatchObject({ status: 401, body: { error: 'unverified' } });
    expect(await storedEvents(CUSTOM.source)).toHaveLength(1);
    coverage.ran('webhook.custom');
  });

  it('custom scheme signing the body only, without a timestamp header: verified (no replay window), replays with a new id stored once', async () => {
    const body = JSON.stringify({ type: 'customer.updated', customer: { id: 'C-1', name: 'Acme' } });
    const signature = createHmac('sha256', BODY_ONLY.secret).update(body).digest('hex');
    expect(await post(BODY_ONLY.id, body, { 'x-signature': signature, 'x-delivery-id': 'd-1' })).toMatchObject({ status: 200, body: { accepted: 1 } });
    expect(await post(BODY_ONLY.id, body, { 'x-signature': signature, 'x-delivery-id': 'd-2' })).toMatchObject({ status: 200, body: { accepted: 0, duplicates: 1 } });
    expect(await post(BODY_ONLY.id, body, { 'x-signature': createHmac('sha256', 'wrong').update(body).digest('hex'), 'x-delivery-id': 'd-3' })).toMatchObject({ status: 401 });
    expect((await storedEvents(BODY_ONLY.source)).map((e) => e.type)).toEqual(['customer.updated']);
  });

  it('webhook.send → one signed message received and verified by the app; a repeat carries the same id and is dropped there', async () => {
    const before = app.received.length;
    const input = { type: 'contact.updated', data: { contactId: 'c-1', email: 'grace.hopper@example.net' }, contactView: { contact: { id: 'c-1' }, tasks: [] } };
    const sent = (await apps.run(CONNECTION, 'webhook.send', input)) as { id: string; status: number };
    expect(sent).toEqual({ id: expect.stringMatching(/^msg_/) as string, status: 200 });
    expect(app.received.slice(before)).toEqual([{ id: sent.id, type: 'contact.updated', data: { contactId: 'c-1', email: 'grace.hopper@example.net', contactView: { contact: { id: 'c-1' }, tasks: [] } } }]);
    expect(await apps.run(CONNECTION, 'webhook.send', input)).toEqual(sent);
    expect(app.received).toHaveLength(before + 1);
    coverage.ran('webhook.send');
    // from the engine: the run step's idempotency key makes the id, so a retry of the step is dropped
    // by the app while the same content sent again by another run (tag A → removed → A) is a new message
    const step1 = (await apps.run(CONNECTION, 'webhook.send', input, { idempotencyKey: 'run:r1:step:0' })) as { id: string };
    expect(await apps.run(CONNECTION, 'webhook.send', input, { idempotencyKey: 'run:r1:step:0' })).toEqual(step1);
    const step2 = (await apps.run(CONNECTION, 'webhook.send', input, { idempotencyKey: 'run:r2:step:0' })) as { id: string };
    expect(new Set([sent.id, step1.id, step2.id]).size).toBe(3);
    expect(app.received.slice(before).map((m) => m.id)).toEqual([sent.id, step1.id, step2.id]);
    const received = app.received.length;
    // the app refuses a message signed with another key: its status surfaces, nothing is received
    await expect(apps.run('app-wrong-key', 'webhook.send', { type: 'contact.updated', data: { contactId: 'c-2' } })).rejects.toThrow(/the app answered 401/);
    // a connection without config.sendUrl says so
    await expect(apps.run(STRIPE.id, 'webhook.send', { type: 'x.y' })).rejects.toThrow(/no config.sendUrl/);
    expect(app.received).toHaveLength(received);
  });

  it('executed every webhook catalog entry', () => {
    expect(coverage.ids).toHaveLength(5);
    coverage.assertComplete();
  });
});
