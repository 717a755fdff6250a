import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type TestSandbox } from '../../../test/support/sandbox.js';
import type { WebhookContext } from '../types.js';
import { readConnection, type GhlConnection } from './connection.js';
import { WEBHOOK_EVENTS } from './events.js';
import { parseWebhook, verifyDelivery } from './webhook.js';

/**
 * Real deliveries from the sandbox (Ed25519-signed, one per event type it emits) verified and
 * parsed by the connector. The WebhookContext is a small in-memory ledger view.
 */

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

let sb: TestSandbox;
let server: Server;
let conn: GhlConnection;
const received: Received[] = [];

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sb = await startSandbox();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  expect((await sb.api('PUT', `/_sandbox/apps/${sb.info.clientId}`, { body: { webhookUrl: url }, token: null })).status).toBe(200);
  const form = new URLSearchParams({ client_id: sb.info.clientId, redirect_uri: sb.info.redirectUri, scope: 'contacts.readonly contacts.write', state: 's', location_id: sb.info.locationId });
  expect((await sb.api('POST', '/v2/oauth/chooselocation', { raw: form.toString(), headers: FORM, token: null, version: null })).status).toBe(302);
  conn = readConnection({ id: 'ghl-test', app: 'ghl', source: 'ghl', config: { baseUrl: sb.url, locationId: sb.info.locationId, webhookPublicKey: sb.info.webhookPublicKey }, secrets: { token: sb.info.pit } });
});

afterAll(async () => {
  await sb.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
});

/** Drives the sandbox through every event type it emits; answers the deliveries in order. */
async function produceEveryEvent(): Promise<Received[]> {
  const loc = sb.info.locationId;
  const created = await sb.api<{ contact: { id: string } }>('POST', '/contacts/', { body: { locationId: loc, email: 'hook@example.com', firstName: 'Hook', tags: ['a'] } });
  const id = created.body.contact.id;
  await sb.api('PUT', `/contacts/${id}`, { body: { lastName: 'Case' } });
  await sb.api('POST', `/contacts/${id}/tags`, { body: { tags: ['b'] } });
  await sb.api('PUT', `/contacts/${id}`, { body: { dnd: true } });
  const task = await sb.api<{ task: { id: string } }>('POST', `/contacts/${id}/tasks`, { body: { title: 'Call', dueDate: '2026-12-01T10:00:00Z', completed: false } });
  await sb.api('PUT', `/contacts/${id}/tasks/${task.body.task.id}/completed`, { body: { completed: true } });
  await sb.api('DELETE', `/contacts/${id}/tasks/${task.body.task.id}`);
  const note = await sb.api<{ note: { id: string } }>('POST', `/contacts/${id}/notes`, { body: { body: 'Hello' } });
  await sb.api('PUT', `/contacts/${id}/notes/${note.body.note.id}`, { body: { body: 'Hello again' } });
  await sb.api('DELETE', `/contacts/${id}/notes/${note.body.note.id}`);
  await sb.api('DELETE', `/contacts/${id}`);
  await sb.api('POST', '/_sandbox/uninstall', { body: { clientId: sb.info.clientId, locationId: loc }, token: null });
  await sb.sandbox.core.webhooks.idle();
  return received;
}

function ledger(links: Record<string, Record<string, string>>, echoes: Set<string>): WebhookContext & { observed: Array<Record<string, unknown>> } {
  const observed: Array<Record<string, unknown>> = [];
  return {
    observed,
    links: async (id) => links[id] ?? {},
    recordLinks: async (_kind, id) => links[`record:${id}`] ?? {},
    observeRecord: async (_kind, id) => echoes.has(`record:${id}`),
    observeContact: async (contact) => {
      observed.push(contact);
      return echoes.has(String(contact.lastName));
    },
  };
}

describe('every sandbox event type, verified and parsed', () => {
  it('INSTALL … UNINSTALL: one event each, externalId = webhookId, contact/task/note shapes with links', async () => {
    const deliveries = await produceEveryEvent();
    const bodies = deliveries.map((d) => JSON.parse(d.raw.toString('utf8')) as Record<string, unknown>);
    const types = bodies.map((b) => b.type);
    expect(types).toEqual([
      'INSTALL', 'ContactCreate', 'ContactUpdate', 'ContactTagUpdate', 'ContactDndUpdate', 'TaskCreate', 'TaskComplete', 'TaskDelete',
      'NoteCreate', 'NoteUpdate', 'NoteDelete', 'ContactDelete', 'UNINSTALL',
    ]);
    expect(new Set(types)).toEqual(new Set(WEBHOOK_EVENTS));
    const contactId = String(bodies[1]!.id);
    const ctx = ledger({ [contactId]: { connecteam: '9100001' } }, new Set());
    for (const [i, d] of deliveries.entries()) {
      const v = await verifyDelivery(conn, { rawBody: d.raw, headers: d.headers, now: Date.now() });
      expect(v).toEqual({ ok: true, id: bodies[i]!.webhookId, timestamp: Math.floor(Date.parse(String(bodies[i]!.timestamp)) / 1000) });
      const events = await parseWebhook(conn, bodies[i], ctx);
      expect(events).toHaveLength(1);
      expect(events[0]!.externalId).toBe(bodies[i]!.webhookId);
      expect(events[0]!.type).toBe(types[i]);
      const payload = events[0]!.payload;
      expect(payload.origin).toBe('webhook');
      if (String(types[i]).startsWith('Contact')) {
        expect(payload).toMatchObject({ contactId, locationId: sb.info.locationId, links: { connecteam: '9100001' }, contact: { id: contactId, email: 'hook@example.com', firstName: 'Hook' } });
      } else if (String(types[i]).startsWith('Task')) {
        expect(payload).toMatchObject({ contactId, links: { connecteam: '9100001' }, task: { title: 'Call' } });
        expect((payload.task as { completed?: boolean }).completed).toBe(types[i] === 'TaskComplete' ? true : undefined);
      } else if (String(types[i]).startsWith('Note')) {
        expect(payload).toMatchObject({ contactId, links: { connecteam: '9100001' }, note: { body: types[i] === 'NoteCreate' ? 'Hello' : 'Hello again' } });
      } else {
        expect(payload).toMatchObject({ type: types[i], locationId: sb.info.locationId, appId: bodies[i]!.appId });
        expect(payload).not.toHaveProperty('links');
      }
    }
    // the tag and DND events carry the state after the change
    expect((await parseWebhook(conn, bodies[3], ctx))[0]!.payload.contact).toMatchObject({ tags: ['a', 'b'] });
    expect((await parseWebhook(conn, bodies[4], ctx))[0]!.payload.contact).toMatchObject({ dnd: true });
    // contact events were shown to the echo filter, except the delete
    expect(ctx.observed.filter((c) => c.id === contactId).length).toBe(4 + 2);
  });

  it('an echo of our own write gives no event', async () => {
    const body = { type: 'ContactUpdate', webhookId: 'w-echo', locationId: 'l', id: 'c1', firstName: 'Ada', lastName: 'Ours', timestamp: new Date().toISOString() };
    expect(await parseWebhook(conn, body, ledger({}, new Set(['Ours'])))).toEqual([]);
    expect(await parseWebhook(conn, { ...body, lastName: 'Theirs' }, ledger({}, new Set(['Ours'])))).toHaveLength(1);
  });

  it('task and note creates we wrote are echoes by the fields the engine writes; deletes are never checked', async () => {
    const shown: Array<[string, string, Record<string, unknown>]> = [];
    const ours = (kind: string, id: string, fields: Record<string, unknown>) => {
      shown.push([kind, id, fields]);
      return id.startsWith('ours');
    };
    const ctx: WebhookContext = { ...ledger({}, new Set()), observeRecord: async (kind, id, fields) => ours(kind, id, fields) };
    const at = new Date().toISOString();
    const task = { type: 'TaskCreate', webhookId: 'w1', locationId: 'l', contactId: 'c', title: 'Call', body: 'Ask', dueDate: '2026-12-01T10:00:00Z', dateAdded: at, timestamp: at };
    expect(await parseWebhook(conn, { ...task, id: 'ours-t' }, ctx)).toEqual([]);
    expect(await parseWebhook(conn, { ...task, id: 'theirs-t' }, ctx)).toHaveLength(1);
    const note = { type: 'NoteCreate', webhookId: 'w2', locationId: 'l', contactId: 'c', body: 'Hi', dateAdded: at, timestamp: at };
    expect(await parseWebhook(conn, { ...note, id: 'ours-n' }, ctx)).toEqual([]);
    expect(await parseWebhook(conn, { ...note, type: 'NoteUpdate', id: 'ours-n' }, ctx)).toEqual([]);
    expect(await parseWebhook(conn, { ...note, id: 'theirs-n' }, ctx)).toHaveLength(1);
    // the engine never deletes tasks or notes: a delete is always someone else's
    expect(await parseWebhook(conn, { ...note, type: 'NoteDelete', id: 'ours-n' }, ctx)).toHaveLength(1);
    expect(await parseWebhook(conn, { ...task, type: 'TaskDelete', id: 'ours-t' }, ctx)).toHaveLength(1);
    expect(shown).toEqual([
      ['task', 'ours-t', { title: 'Call', body: 'Ask', dueDate: '2026-12-01T10:00:00Z' }],
      ['task', 'theirs-t', { title: 'Call', body: 'Ask', dueDate: '2026-12-01T10:00:00Z' }],
      ['note', 'ours-n', { body: 'Hi' }],
      ['note', 'ours-n', { body: 'Hi' }],
      ['note', 'theirs-n', { body: 'Hi' }],
    ]);
  });

  it('malformed envelopes name the field', async () => {
    const ctx = ledger({}, new Set());
    await expect(parseWebhook(conn, [], ctx)).rejects.toThrow('body: must be a JSON object');
    await expect(parseWebhook(conn, { type: 'ContactUpdate', id: 'c' }, ctx)).rejects.toThrow('webhookId: must be a non-empty string');
    await expect(parseWebhook(conn, { type: 'ContactUpdate', webhookId: 'w' }, ctx)).rejects.toThrow('id: must be a non-empty string');
  });
});

describe('verification fails closed', () => {
  it('tampered body, missing signature, stale or future timestamp, another key', async () => {
    const d = received.find((r) => JSON.parse(r.raw.toString('utf8')).type === 'ContactUpdate')!;
    const body = JSON.parse(d.raw.toString('utf8')) as { timestamp: string };
    const at = Date.parse(body.timestamp);
    const tampered = Buffer.from(d.raw.toString('utf8').replace('hook@example.com', 'evil@example.com'));
    expect(await verifyDelivery(conn, { rawBody: tampered, headers: d.headers, now: at })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await verifyDelivery(conn, { rawBody: d.raw, headers: { 'content-type': 'application/json' }, now: at })).toEqual({ ok: false, reason: 'missing-signature' });
    expect(await verifyDelivery(conn, { rawBody: d.raw, headers: d.headers, now: at + 301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(await verifyDelivery(conn, { rawBody: d.raw, headers: d.headers, now: at - 301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect((await verifyDelivery(conn, { rawBody: d.raw, headers: d.headers, now: at + 299_000 })).ok).toBe(true);
    // a replay inside the window verifies again: the engine's (source, externalId) makes it a duplicate
    expect((await verifyDelivery(conn, { rawBody: d.raw, headers: d.headers, now: at })).ok).toBe(true);
    const other = readConnection({ id: 'x', app: 'ghl', source: 'ghl', config: { locationId: 'l', webhookPublicKey: 'MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=' }, secrets: { token: 't' } });
    expect(await verifyDelivery(other, { rawBody: d.raw, headers: d.headers, now: at })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('connection errors name the field and never show the token', () => {
    const base = { id: 'x', app: 'ghl', source: 'ghl', secrets: { token: 'pit-secret' } };
    expect(() => readConnection({ ...base, config: { webhookPublicKey: 'x' } })).toThrow('config.locationId is required');
    expect(() => readConnection({ ...base, config: { locationId: 'l' } })).toThrow('config.webhookPublicKey is required');
    expect(() => readConnection({ ...base, config: { locationId: 'l', webhookPublicKey: 'not a key' } })).toThrow('config.webhookPublicKey is not an Ed25519 public key');
    expect(() => readConnection({ ...base, config: { locationId: 'l', webhookPublicKey: sb.info.webhookPublicKey, baseUrl: 'nope' } })).toThrow('config.baseUrl must be an absolute URL');
    expect(() => readConnection({ ...base, config: { locationId: 'l', webhookPublicKey: sb.info.webhookPublicKey, pit: 'x' } })).toThrow('config.pit is not a known field');
    expect(() => readConnection({ ...base, secrets: {}, config: { locationId: 'l', webhookPublicKey: sb.info.webhookPublicKey } })).toThrow('secrets.token (or pit) is required');
    try {
      readConnection({ ...base, config: { locationId: 'l', webhookPublicKey: 'bad' } });
    } catch (e) {
      expect((e as Error).message).not.toContain('pit-secret');
    }
  });
});
