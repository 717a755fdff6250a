import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnecteamFake, type ConnecteamFake } from './fake.js';

/** A real receiver that records deliveries and answers the given statuses (then 200). */
async function startReceiver(statuses: number[] = []) {
  const received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];
  const queue = [...statuses];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(queue.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/ct`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function setup(statuses: number[] = [], signature?: { header?: string; encoding?: 'hex' | 'base64'; prefix?: string }) {
  const rx = await startReceiver(statuses);
  const fake: ConnecteamFake = await createConnecteamFake({ apiKey: 'key', webhookSecret: 'whs', webhookUrl: rx.url, retryDelaysMs: [1, 1, 1], ...(signature ? { signature } : {}) });
  closers.push(rx.close, fake.close);
  const get = async (path: string, key: string | null = 'key') => {
    const res = await fetch(fake.url + path, { headers: key ? { 'x-api-key': key } : {} });
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  return { rx, fake, get };
}

const sam = { firstName: 'Sam', lastName: 'Rivera', phoneNumber: '+15550100300', email: 'sam@example.com' };

describe('Connecteam fake', () => {
  it('answers 401 without the right X-API-KEY', async () => {
    const { get } = await setup();
    expect((await get('/users/v1/users', null)).status).toBe(401);
    expect((await get('/users/v1/users', 'nope')).status).toBe(401);
    expect((await get('/me')).body.data).toEqual({ companyName: 'Fake Co', companyId: 'fake-company-1' });
  });

  it('pages with limit/offset and filters by status, ids, emails, createdAt and modifiedAt', async () => {
    let t = 1000;
    const clocked = await createConnecteamFake({ apiKey: 'key', webhookSecret: 'whs', now: () => t });
    closers.push(clocked.close);
    for (let i = 0; i < 5; i++) {
      t = 1000 + i * 10;
      await clocked.createUser({ ...sam, email: `u${i}@example.com` });
    }
    const [u0, , u2] = clocked.state().users;
    t = 2000;
    await clocked.updateUser(u0!.userId, { firstName: 'Samuel' });
    await clocked.archiveUser(u2!.userId);
    const q = async (qs: string) => {
      const res = await fetch(`${clocked.url}/users/v1/users?${qs}`, { headers: { 'x-api-key': 'key' } });
      return (await res.json()) as { data: { users: Array<{ userId: number; email: string }> }; paging: { offset: number } };
    };
    const p1 = await q('limit=2&offset=0&userStatus=all');
    const p3 = await q('limit=2&offset=4&userStatus=all');
    expect(p1.data.users.map((u) => u.email)).toEqual(['u0@example.com', 'u1@example.com']);
    expect(p1.paging.offset).toBe(2);
    expect(p3.data.users.map((u) => u.email)).toEqual(['u4@example.com']);
    expect((await q('')).data.users).toHaveLength(4); // active by default
    expect((await q('userStatus=archived')).data.users.map((u) => u.userId)).toEqual([u2!.userId]);
    expect((await q(`userIds=${u0!.userId}&userIds=${u2!.userId}&userStatus=all`)).data.users).toHaveLength(2);
    expect((await q('emailAddresses=U1@example.com')).data.users.map((u) => u.email)).toEqual(['u1@example.com']);
    expect((await q('createdAt=1020&userStatus=all')).data.users.map((u) => u.email)).toEqual(['u3@example.com', 'u4@example.com']);
    expect((await q('modifiedAt=1999&userStatus=all')).data.users.map((u) => u.userId)).toEqual([u0!.userId, u2!.userId]);
    expect((await q('sort=created_at&order=desc&limit=1')).data.users.map((u) => u.email)).toEqual(['u4@example.com']);
  });

  it('answers FastAPI-style 422 on bad parameters and bodies', async () => {
    const { fake, get } = await setup();
    expect(await get('/users/v1/users?limit=501')).toEqual({ status: 422, body: { detail: [{ loc: ['query', 'limit'], msg: 'ensure this value is less than or equal to 500', type: 'value_error.number.not_le' }] } });
    expect((await get('/users/v1/users?offset=x')).body.detail[0].loc).toEqual(['query', 'offset']);
    expect((await get('/users/v1/users?userStatus=gone')).body.detail[0].type).toBe('type_error.enum');
    expect((await get('/users/v1/users?modifiedAt=0')).body.detail[0].loc).toEqual(['query', 'modifiedAt']);
    expect((await get('/users/v1/users?sort=name')).body.detail[0].loc).toEqual(['query', 'sort']);
    const put = await fetch(`${fake.url}/users/v1/users`, { method: 'PUT', headers: { 'x-api-key': 'key', 'content-type': 'application/json' }, body: JSON.stringify({ userId: 1 }) });
    expect(put.status).toBe(422);
    const note = await fetch(`${fake.url}/users/v1/users/1/notes`, { method: 'POST', headers: { 'x-api-key': 'key', 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(1001) }) });
    expect(((await note.json()) as { detail: Array<{ loc: string[] }> }).detail[0]!.loc).toEqual(['body', 'text']);
    expect((await get('/users/v1/nothing')).status).toBe(404);
  });

  it('sends signed webhooks: created, ONE user_updated per changed field (same modifiedAt), archived by id', async () => {
    const { fake, rx } = await setup();
    const user = await fake.createUser({ ...sam, customFields: [{ customFieldId: 7600001, value: 'EMP-1' }] });
    const { changed } = await fake.updateUser(user.userId, { firstName: 'Samuel', email: 'samuel@example.com', customFields: [{ customFieldId: 7600001, value: 'EMP-2' }] });
    expect(changed).toEqual(['firstName', 'email', 'customFields.Employee ID']);
    await fake.updateUser(user.userId, { firstName: 'Samuel' }); // no change: no delivery
    await fake.archiveUser(user.userId);
    await fake.idle();
    const bodies = rx.received.map((r) => JSON.parse(r.body) as { eventType: string; eventTimestamp: number; evnetTimestamp: number; activityType: string; data: Array<Record<string, unknown>> });
    expect(bodies.map((b) => b.eventType)).toEqual(['user_created', 'user_updated', 'user_updated', 'user_updated', 'user_archived']);
    for (const [i, r] of rx.received.entries()) {
      expect(r.headers['x-connecteam-signature']).toBe(createHmac('sha256', 'whs').update(r.body).digest('hex'));
      expect(bodies[i]!.evnetTimestamp).toBe(bodies[i]!.eventTimestamp);
      expect(bodies[i]!.activityType).toBe('User');
    }
    const updates = bodies.slice(1, 4).map((b) => b.data[0]!);
    expect(new Set(updates.map((u) => u.modifiedAt)).size).toBe(1);
    expect(updates.every((u) => u.firstName === 'Samuel' && u.email === 'samuel@example.com')).toBe(true);
    expect(updates[0]!.modifiedAt).toBeGreaterThanOrEqual(bodies[0]!.data[0]!.modifiedAt as number); // the clock's second: may repeat
    expect(bodies[4]!.data).toEqual([{ userId: user.userId }]);
  });

  it('retries a failed delivery up to 3 times', async () => {
    const { fake, rx } = await setup([500, 500, 500, 500]);
    await fake.createUser(sam);
    const [d] = fake.deliveries();
    expect(d!.attempts.map((a) => a.status)).toEqual([500, 500, 500, 500]);
    expect(d!.delivered).toBe(false);
    expect(rx.received).toHaveLength(4);
    await fake.updateUser(fake.state().users[0]!.userId, { lastName: 'Rivers' });
    expect(fake.deliveries()[1]!.attempts.map((a) => a.status)).toEqual([200]);
  });

  it('signs with a configured scheme and can send a delivery signed with another secret', async () => {
    const { fake, rx } = await setup([], { header: 'X-Signature', encoding: 'base64', prefix: 'sha256=' });
    await fake.emit('user_archived', [{ userId: 1 }], { secret: 'wrong' });
    const [r] = rx.received;
    expect(r!.headers['x-signature']).toBe(`sha256=${createHmac('sha256', 'wrong').update(r!.body).digest('base64')}`);
  });

  it('serves the API mutations with webhooks too (PUT, DELETE archive/delete, notes, custom fields)', async () => {
    const { fake, rx } = await setup();
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(fake.url + path, { method, headers: { 'x-api-key': 'key', 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    expect((await call('POST', '/users/v1/users', [sam])).body.detail[0].loc).toEqual(['body', 0, 'userType']);
    const created = await call('POST', '/users/v1/users', [{ ...sam, userType: 'user' }]);
    const id = created.body.data.results[0].userId as number;
    expect((await call('PUT', '/users/v1/users', [{ userId: id, lastName: 'Rivers', phoneNumber: '+15550100301' }])).body.data.count).toBe(1);
    expect((await call('PUT', '/users/v1/users', [{ userId: 42, lastName: 'X' }])).status).toBe(404);
    expect((await call('POST', `/users/v1/users/${id}/notes`, { title: 'T', text: 'hello' })).body.data).toMatchObject({ id: 1, title: 'T', text: 'hello' });
    expect((await call('GET', '/users/v1/custom-fields?limit=2&offset=2')).body.data.customFields.map((f: { name: string }) => f.name)).toEqual(['Employee ID', 'Department']);
    expect((await call('DELETE', '/users/v1/users', [id])).body.data).toEqual({ success: true });
    expect(fake.state().users[0]!.isArchived).toBe(true);
    expect((await call('DELETE', `/users/v1/users/${id}?deletionType=delete`)).body.data).toEqual({ success: true });
    expect(fake.state().users).toEqual([]);
    await fake.idle();
    expect(rx.received.map((r) => (JSON.parse(r.body) as { eventType: string }).eventType)).toEqual(['user_created', 'user_updated', 'user_updated', 'user_archived', 'user_deleted']);
  });
});
