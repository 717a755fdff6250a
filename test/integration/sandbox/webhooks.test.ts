import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import type { SandboxOptions } from '../../../src/sandbox/index.js';

/**
 * Webhook delivery to a real receiver on loopback: INSTALL via the authorization page, contact,
 * note and task events with the payloads of ghl-api.md §7.1, Ed25519 / RSA signatures over the
 * raw body (§7.2), and retries only on 429.
 */

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: Record<string, unknown>;
}

interface Receiver {
  url: string;
  received: Received[];
  /** status to answer the n-th (0-based) request with */
  respond: (n: number) => number;
  close(): Promise<void>;
}

async function startReceiver(respond: (n: number) => number = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const receiver: Receiver = { url: '', received, respond, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const n = received.length;
      received.push({ headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')) as Record<string, unknown> });
      res.writeHead(receiver.respond(n), { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}

interface PublicKeys {
  pem: string;
  rawBase64: string;
  rsaPem: string | null;
}

interface Delivery {
  webhookId: string;
  type: string;
  appId: string;
  attempts: Array<{ status: number | null; error: string | null }>;
  state: 'pending' | 'delivered' | 'failed';
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const CONTACT_FIELDS = [
  'type', 'locationId', 'id', 'address1', 'city', 'companyName', 'country', 'source', 'dateAdded', 'dateOfBirth', 'dnd', 'email',
  'name', 'firstName', 'lastName', 'phone', 'postalCode', 'state', 'tags', 'website', 'attachments', 'assignedTo', 'customFields',
];
const ENVELOPE = ['appId', 'timestamp', 'webhookId'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let sb: TestSandbox;
let receiver: Receiver;

afterEach(async () => {
  await sb.close();
  await receiver.close();
});

async function setup(options: SandboxOptions = {}, respond?: (n: number) => number): Promise<void> {
  receiver = await startReceiver(respond);
  sb = await startSandbox({ ...options, config: { ...options.config, webhooks: { retryDelaysMs: [50, 50], ...options.config?.webhooks } } });
  const res = await sb.api<{ app: { webhookUrl: string; clientSecret?: string } }>('PUT', `/_sandbox/apps/${sb.info.clientId}`, { body: { webhookUrl: receiver.url }, token: null });
  expect(res.status).toBe(200);
  expect(res.body.app.webhookUrl).toBe(receiver.url);
  expect(res.body.app.clientSecret).toBeUndefined();
}

/** Installs the app through the authorization page (emits INSTALL). */
async function install(choice: { location_id: string } | { company_id: string }): Promise<void> {
  const form = new URLSearchParams({ client_id: sb.info.clientId, redirect_uri: sb.info.redirectUri, scope: 'contacts.readonly contacts.write', state: 's1', ...choice });
  const res = await sb.api('POST', '/v2/oauth/chooselocation', { raw: form.toString(), headers: FORM, token: null, version: null });
  expect(res.status).toBe(302);
  await sb.sandbox.core.webhooks.idle();
}

const appId = () => sb.info.clientId.split('-')[0]!;

/** Events received since `from`, after every delivery has ended. */
async function eventsSince(from: number): Promise<Received[]> {
  await sb.sandbox.core.webhooks.idle();
  return receiver.received.slice(from);
}

async function publicKeys(): Promise<PublicKeys> {
  const res = await sb.api<PublicKeys>('GET', '/_sandbox/webhooks/public-key', { token: null });
  expect(res.status).toBe(200);
  return res.body;
}

function expectEnvelope(event: Received): void {
  expect(event.body.appId).toBe(appId());
  expect(event.body.webhookId).toMatch(UUID);
  const at = Date.parse(String(event.body.timestamp));
  expect(Math.abs(Date.now() - at)).toBeLessThan(10_000);
  expect(event.headers['content-type']).toBe('application/json');
}

async function customFieldId(): Promise<string> {
  const state = await sb.api<{ locations: Record<string, { customFields: Array<{ id: string }> }> }>('GET', '/_sandbox/state', { token: null });
  return state.body.locations[sb.info.locationId]!.customFields[0]!.id;
}

describe('INSTALL and who receives events', () => {
  it('sends INSTALL when the app is installed on a location, and only then contact events', async () => {
    await setup();
    const before = await sb.api<{ contact: { id: string } }>('POST', '/contacts/', { body: { locationId: sb.info.locationId, email: 'early@example.com' } });
    expect(before.status).toBe(201);
    expect(await eventsSince(0)).toEqual([]);

    await install({ location_id: sb.info.locationId });
    const [installEvent, ...rest] = await eventsSince(0);
    expect(rest).toEqual([]);
    expect(installEvent!.body).toMatchObject({
      type: 'INSTALL', appId: appId(), locationId: sb.info.locationId, companyId: sb.info.companyId, planId: expect.any(String) as string,
      isWhitelabelCompany: false, companyName: 'Sandbox Agency',
    });
    expect(typeof installEvent!.body.userId).toBe('string');
    expect(installEvent!.body).toHaveProperty('trial');
    expectEnvelope(installEvent!);

    // installing again on the same location sends no second INSTALL
    await install({ location_id: sb.info.locationId });
    expect(await eventsSince(1)).toEqual([]);

    // events of another location, where the app is not installed, are not sent
    const otherPit = (await sb.api<{ token: string }>('POST', '/_sandbox/pits', { body: { locationId: sb.info.locations[1]!.id, scopes: ['contacts.write'] }, token: null })).body.token;
    const other = await sb.api('POST', '/contacts/', { token: otherPit, body: { locationId: sb.info.locations[1]!.id, email: 'elsewhere@example.org' } });
    expect(other.status).toBe(201);
    expect(await eventsSince(1)).toEqual([]);

    const after = await sb.api('POST', '/contacts/', { body: { locationId: sb.info.locationId, email: 'late@example.com' } });
    expect(after.status).toBe(201);
    const events = await eventsSince(1);
    expect(events.map((e) => e.body.type)).toEqual(['ContactCreate']);
    expect(events[0]!.body.email).toBe('late@example.com');
  });

  it('an agency-level install receives events of every location of the agency', async () => {
    await setup();
    await install({ company_id: sb.info.companyId });
    const [installEvent] = await eventsSince(0);
    expect(installEvent!.body).toMatchObject({ type: 'INSTALL', companyId: sb.info.companyId });
    expect(installEvent!.body.locationId).toBeUndefined();
    const b = sb.info.locations[1]!.id;
    const pitB = (await sb.api<{ token: string }>('POST', '/_sandbox/pits', { body: { locationId: b, scopes: ['contacts.write'] }, token: null })).body.token;
    expect((await sb.api('POST', '/contacts/', { token: pitB, body: { locationId: b, firstName: 'Bea' } })).status).toBe(201);
    const events = await eventsSince(1);
    expect(events.map((e) => [e.body.type, e.body.locationId])).toEqual([['ContactCreate', b]]);
  });
});

describe('UNINSTALL', () => {
  it('sends UNINSTALL, revokes the app tokens of the location and stops contact events', async () => {
    await setup();
    const form = new URLSearchParams({ client_id: sb.info.clientId, redirect_uri: sb.info.redirectUri, scope: 'contacts.readonly contacts.write', state: 's', location_id: sb.info.locationId });
    const redirect = await sb.api('POST', '/v2/oauth/chooselocation', { raw: form.toString(), headers: FORM, token: null, version: null });
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const exchange = new URLSearchParams({ client_id: sb.info.clientId, client_secret: sb.info.clientSecret, grant_type: 'authorization_code', code });
    const tokens = await sb.api<{ access_token: string }>('POST', '/oauth/token', { raw: exchange.toString(), headers: FORM, token: null, version: null });
    expect(tokens.status).toBe(200);
    await sb.sandbox.core.webhooks.idle();
    const from = receiver.received.length;

    const missing = await sb.api('POST', '/_sandbox/uninstall', { body: { clientId: sb.info.clientId, locationId: sb.info.locations[1]!.id }, token: null });
    expect(missing.status).toBe(404);
    const res = await sb.api<{ uninstalled: number }>('POST', '/_sandbox/uninstall', { body: { clientId: sb.info.clientId, locationId: sb.info.locationId }, token: null });
    expect(res.body).toEqual({ uninstalled: 1 });
    const [event, ...rest] = await eventsSince(from);
    expect(rest).toEqual([]);
    expect(event!.body).toMatchObject({ type: 'UNINSTALL', appId: appId(), locationId: sb.info.locationId });
    expectEnvelope(event!);

    const withOldToken = await sb.api('GET', `/contacts/?locationId=${sb.info.locationId}`, { token: tokens.body.access_token });
    expect(withOldToken.status).toBe(401);
    expect((await sb.api('POST', '/contacts/', { body: { locationId: sb.info.locationId, email: 'after-uninstall@example.com' } })).status).toBe(201);
    expect(await eventsSince(from + 1)).toEqual([]);
  });
});

describe('contact, note and task events', () => {
  it('carries the §7.1 payload fields for each event type', async () => {
    await setup();
    await install({ location_id: sb.info.locationId });
    let seen = receiver.received.length;
    const next = async (): Promise<Received[]> => {
      const events = await eventsSince(seen);
      seen = receiver.received.length;
      for (const e of events) expectEnvelope(e);
      return events;
    };

    const fieldId = await customFieldId();
    const created = await sb.api<{ contact: { id: string } }>('POST', '/contacts/', {
      body: {
        locationId: sb.info.locationId, firstName: 'Hedy', lastName: 'Lamarr', email: 'hedy@example.com', phone: '(415) 555-0142',
        address1: '1 Film Way', city: 'Vienna', state: 'CA', postalCode: '90001', country: 'US', website: 'https://hedy.example.com',
        source: 'webhook test', companyName: 'Frequency Hopping', dateOfBirth: '1914-11-09', tags: ['Inventor', 'actor'], dnd: false,
        assignedTo: 'user123', customFields: [{ id: fieldId, field_value: 'Blue' }],
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.contact.id;
    const [create, ...more] = await next();
    expect(more).toEqual([]);
    for (const field of [...CONTACT_FIELDS, ...ENVELOPE]) expect(create!.body, field).toHaveProperty(field);
    expect(create!.body).toMatchObject({
      type: 'ContactCreate', locationId: sb.info.locationId, id, name: 'Hedy Lamarr', firstName: 'Hedy', lastName: 'Lamarr',
      email: 'hedy@example.com', phone: '+14155550142', address1: '1 Film Way', city: 'Vienna', state: 'CA', postalCode: '90001',
      country: 'US', website: 'https://hedy.example.com', source: 'webhook test', companyName: 'Frequency Hopping',
      dateOfBirth: '1914-11-09T00:00:00.000Z', tags: ['inventor', 'actor'], dnd: false, attachments: [], assignedTo: 'user123',
      customFields: [{ id: fieldId, value: 'Blue' }],
    });
    expect(create!.body.dndSettings).toBeUndefined();

    expect((await sb.api('PUT', `/contacts/${id}`, { body: { city: 'Hollywood' } })).status).toBe(200);
    const update = await next();
    expect(update.map((e) => e.body.type)).toEqual(['ContactUpdate']);
    expect(update[0]!.body).toMatchObject({ id, city: 'Hollywood', email: 'hedy@example.com' });

    // an update that changes nothing sends nothing
    expect((await sb.api('PUT', `/contacts/${id}`, { body: { city: 'Hollywood' } })).status).toBe(200);
    expect(await next()).toEqual([]);

    expect((await sb.api('POST', `/contacts/${id}/tags`, { body: { tags: ['Star'] } })).status).toBe(201);
    const tagAdd = await next();
    expect(tagAdd.map((e) => e.body.type)).toEqual(['ContactTagUpdate']);
    expect(tagAdd[0]!.body.tags).toEqual(['inventor', 'actor', 'star']);

    expect((await sb.api('DELETE', `/contacts/${id}/tags`, { body: { tags: ['actor'] } })).status).toBe(200);
    const tagRemove = await next();
    expect(tagRemove.map((e) => e.body.type)).toEqual(['ContactTagUpdate']);
    expect(tagRemove[0]!.body.tags).toEqual(['inventor', 'star']);

    expect((await sb.api('PUT', `/contacts/${id}`, { body: { dnd: true, dndSettings: { SMS: { status: 'active', message: 'stop' } } } })).status).toBe(200);
    const dnd = await next();
    expect(dnd.map((e) => e.body.type)).toEqual(['ContactDndUpdate']);
    expect(dnd[0]!.body).toMatchObject({ dnd: true, dndSettings: { SMS: { status: 'active', message: 'stop' } } });

    const note = await sb.api<{ note: { id: string } }>('POST', `/contacts/${id}/notes`, { body: { body: 'First note' } });
    expect(note.status).toBe(201);
    const noteId = note.body.note.id;
    const noteCreate = await next();
    expect(noteCreate.map((e) => e.body.type)).toEqual(['NoteCreate']);
    expect(noteCreate[0]!.body).toMatchObject({ type: 'NoteCreate', locationId: sb.info.locationId, id: noteId, body: 'First note', contactId: id });
    expect(typeof noteCreate[0]!.body.dateAdded).toBe('string');

    expect((await sb.api('PUT', `/contacts/${id}/notes/${noteId}`, { body: { body: 'Edited note' } })).status).toBe(200);
    const noteUpdate = await next();
    expect(noteUpdate.map((e) => [e.body.type, e.body.body])).toEqual([['NoteUpdate', 'Edited note']]);

    expect((await sb.api('DELETE', `/contacts/${id}/notes/${noteId}`)).status).toBe(200);
    const noteDelete = await next();
    expect(noteDelete.map((e) => [e.body.type, e.body.id, e.body.contactId])).toEqual([['NoteDelete', noteId, id]]);

    const task = await sb.api<{ task: { id: string } }>('POST', `/contacts/${id}/tasks`, {
      body: { title: 'Patent', body: 'File the patent', dueDate: '2026-12-01T10:00:00Z', completed: false, assignedTo: 'user123' },
    });
    expect(task.status).toBe(201);
    const taskId = task.body.task.id;
    const taskCreate = await next();
    expect(taskCreate.map((e) => e.body.type)).toEqual(['TaskCreate']);
    for (const field of ['type', 'locationId', 'id', 'assignedTo', 'body', 'contactId', 'title', 'dateAdded', 'dueDate']) expect(taskCreate[0]!.body, field).toHaveProperty(field);
    expect(taskCreate[0]!.body).toMatchObject({ locationId: sb.info.locationId, id: taskId, assignedTo: 'user123', body: 'File the patent', contactId: id, title: 'Patent', dueDate: '2026-12-01T10:00:00Z' });

    // there is no TaskUpdate event
    expect((await sb.api('PUT', `/contacts/${id}/tasks/${taskId}`, { body: { title: 'Patent 2' } })).status).toBe(200);
    expect(await next()).toEqual([]);

    expect((await sb.api('PUT', `/contacts/${id}/tasks/${taskId}/completed`, { body: { completed: true } })).status).toBe(200);
    const complete = await next();
    expect(complete.map((e) => [e.body.type, e.body.id, e.body.title])).toEqual([['TaskComplete', taskId, 'Patent 2']]);

    expect((await sb.api('DELETE', `/contacts/${id}/tasks/${taskId}`)).status).toBe(200);
    const taskDelete = await next();
    expect(taskDelete.map((e) => [e.body.type, e.body.id])).toEqual([['TaskDelete', taskId]]);

    expect((await sb.api('DELETE', `/contacts/${id}`)).status).toBe(200);
    const contactDelete = await next();
    expect(contactDelete.map((e) => e.body.type)).toEqual(['ContactDelete']);
    expect(contactDelete[0]!.body).toMatchObject({ id, email: 'hedy@example.com', locationId: sb.info.locationId });

    // every delivery has its own webhookId
    const ids = receiver.received.map((e) => e.body.webhookId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('upsert sends ContactCreate for a new contact and ContactUpdate for an existing one', async () => {
    await setup();
    await install({ location_id: sb.info.locationId });
    const seen = receiver.received.length;
    const first = await sb.api<{ new: boolean; contact: { id: string } }>('POST', '/contacts/upsert', { body: { locationId: sb.info.locationId, email: 'ups@example.com' } });
    expect(first.body.new).toBe(true);
    const second = await sb.api<{ new: boolean }>('POST', '/contacts/upsert', { body: { locationId: sb.info.locationId, email: 'ups@example.com', firstName: 'Up' } });
    expect(second.body.new).toBe(false);
    const events = await eventsSince(seen);
    expect(events.map((e) => [e.body.type, e.body.id])).toEqual([
      ['ContactCreate', first.body.contact.id],
      ['ContactUpdate', first.body.contact.id],
    ]);
  });
});

describe('signatures', () => {
  it('x-ghl-signature verifies with the Ed25519 public key over the raw body; a tampered body fails', async () => {
    await setup();
    await install({ location_id: sb.info.locationId });
    expect((await sb.api('POST', '/contacts/', { body: { locationId: sb.info.locationId, email: 'sig@example.com' } })).status).toBe(201);
    const events = await eventsSince(0);
    expect(events.length).toBe(2);
    const { pem, rsaPem } = await publicKeys();
    expect(pem).toContain('BEGIN PUBLIC KEY');
    expect(pem).toBe(sb.info.webhookPublicKey);
    expect(rsaPem).toBeNull();
    for (const event of events) {
      const sig = event.headers['x-ghl-signature'];
      expect(typeof sig).toBe('string');
      expect(event.headers['x-wh-signature']).toBeUndefined();
      const signature = Buffer.from(sig as string, 'base64');
      expect(verify(null, event.raw, pem, signature)).toBe(true);
      const tampered = Buffer.from(event.raw.toString('utf8').replace('"type":"', '"type":"X'));
      expect(tampered.equals(event.raw)).toBe(false);
      expect(verify(null, tampered, pem, signature)).toBe(false);
      // a re-serialised body is not what was signed unless byte-identical
      const flipped = Buffer.from(event.raw);
      flipped.writeUInt8(flipped.readUInt8(flipped.length - 2) ^ 1, flipped.length - 2);
      expect(verify(null, flipped, pem, signature)).toBe(false);
    }
  });

  it('with legacySignature also sends x-wh-signature, RSA-SHA256 over the raw body', async () => {
    await setup({ config: { webhooks: { legacySignature: true } } });
    await install({ location_id: sb.info.locationId });
    const [event] = await eventsSince(0);
    const { pem, rsaPem } = await publicKeys();
    expect(rsaPem).toContain('BEGIN PUBLIC KEY');
    const legacy = Buffer.from(event!.headers['x-wh-signature'] as string, 'base64');
    expect(verify('sha256', event!.raw, rsaPem!, legacy)).toBe(true);
    expect(verify('sha256', Buffer.concat([event!.raw, Buffer.from(' ')]), rsaPem!, legacy)).toBe(false);
    expect(verify(null, event!.raw, pem, Buffer.from(event!.headers['x-ghl-signature'] as string, 'base64'))).toBe(true);
  });
});

describe('delivery retries', () => {
  async function deliveries(): Promise<Delivery[]> {
    const res = await sb.api<{ deliveries: Delivery[] }>('GET', '/_sandbox/webhooks/deliveries', { token: null });
    expect(res.status).toBe(200);
    return res.body.deliveries;
  }

  it('retries after a 429 and delivers the same signed body on the second attempt', async () => {
    await setup({}, (n) => (n === 0 ? 429 : 200));
    await install({ location_id: sb.info.locationId });
    expect(receiver.received.length).toBe(2);
    const [a, b] = receiver.received;
    expect(a!.raw.equals(b!.raw)).toBe(true);
    expect(a!.headers['x-ghl-signature']).toBe(b!.headers['x-ghl-signature']);
    const [delivery] = await deliveries();
    expect(delivery!.type).toBe('INSTALL');
    expect(delivery!.webhookId).toBe(a!.body.webhookId);
    expect(delivery!.attempts.map((x) => x.status)).toEqual([429, 200]);
    expect(delivery!.state).toBe('delivered');
  });

  it('does not retry a 500: exactly one attempt', async () => {
    await setup({}, () => 500);
    await install({ location_id: sb.info.locationId });
    expect(receiver.received.length).toBe(1);
    const [delivery] = await deliveries();
    expect(delivery!.attempts.map((x) => x.status)).toEqual([500]);
    expect(delivery!.state).toBe('failed');
  });

  it('gives up after the configured retry delays when the receiver keeps answering 429', async () => {
    await setup({}, () => 429);
    await install({ location_id: sb.info.locationId });
    expect(receiver.received.length).toBe(3);
    const [delivery] = await deliveries();
    expect(delivery!.attempts.map((x) => x.status)).toEqual([429, 429, 429]);
    expect(delivery!.state).toBe('failed');
  });

  it('records an unreachable receiver as failed without retrying', async () => {
    await setup();
    await receiver.close();
    await install({ location_id: sb.info.locationId });
    const [delivery] = await deliveries();
    expect(delivery!.attempts.length).toBe(1);
    expect(delivery!.attempts[0]!.status).toBeNull();
    expect(delivery!.attempts[0]!.error).toBeTruthy();
    expect(delivery!.state).toBe('failed');
  });
});
