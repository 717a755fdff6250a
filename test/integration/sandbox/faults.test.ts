import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../../src/sandbox/index.js';
import { seededRandom } from '../../support/prng.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/** Fault injection over real HTTP: error statuses, latency, dropped connections, GHL quirks. */

interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error?: string;
}

interface ContactBody {
  id: string;
  email?: string;
  firstName?: string;
  city?: string;
  phone?: string;
}

let sb: TestSandbox;

afterEach(async () => {
  await sb.close();
});

async function addFault(rule: Record<string, unknown>): Promise<FaultRule> {
  const res = await sb.api<{ fault: FaultRule }>('POST', '/_sandbox/faults', { body: rule, token: null });
  expect(res.status).toBe(200);
  return res.body.fault;
}

async function stored(): Promise<ContactBody[]> {
  const res = await sb.api<{ contacts: ContactBody[] }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`, { token: null });
  expect(res.status).toBe(200);
  return res.body.contacts;
}

const list = () => sb.api<{ contacts: unknown[] } & ErrorBody>('GET', `/contacts/?locationId=${sb.info.locationId}`);

describe('status faults', () => {
  it('answers 503 twice (times: 2, rate 1) and then succeeds', async () => {
    sb = await startSandbox();
    const rule = await addFault({ method: 'GET', path: '/contacts/', status: 503, rate: 1, times: 2 });
    expect(rule).toMatchObject({ kind: 'status', status: 503, rate: 1, times: 2, hits: 0, method: 'GET' });
    const first = await list();
    const second = await list();
    const third = await list();
    expect([first.status, second.status, third.status]).toEqual([503, 503, 200]);
    expect(first.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(third.body.contacts.length).toBe(3);
    const faults = await sb.api<{ faults: FaultRule[] }>('GET', '/_sandbox/faults', { token: null });
    expect(faults.body.faults[0]!.hits).toBe(2);
  });

  it('matches only its method and path pattern', async () => {
    sb = await startSandbox();
    await addFault({ method: 'POST', path: '/contacts/*/notes', status: 500 });
    expect((await list()).status).toBe(200);
    const ada = (await stored()).find((c) => c.email === 'ada@example.com')!;
    expect((await sb.api('GET', `/contacts/${ada.id}/notes`)).status).toBe(200);
    const note = await sb.api<ErrorBody>('POST', `/contacts/${ada.id}/notes`, { body: { body: 'lost' } });
    expect(note.status).toBe(500);
    expect(note.body.statusCode).toBe(500);
    // the injected error happened before the operation: nothing stored
    const notes = await sb.api<{ notes: Array<{ body: string }> }>('GET', `/contacts/${ada.id}/notes`);
    expect(notes.body.notes.some((n) => n.body === 'lost')).toBe(false);
  });

  it('an injected 429 carries rate-limit headers; a rule can be removed', async () => {
    sb = await startSandbox();
    const rule = await addFault({ path: '/contacts/**', status: 429 });
    const res = await list();
    expect(res.status).toBe(429);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(res.headers.get('x-ratelimit-interval-milliseconds')).toBeTruthy();
    expect((await sb.api('DELETE', `/_sandbox/faults/${rule.id}`, { token: null })).status).toBe(200);
    expect((await list()).status).toBe(200);
    expect((await sb.api('DELETE', `/_sandbox/faults/${rule.id}`, { token: null })).status).toBe(404);
  });

  it('applies faults given to startSandbox; DELETE /_sandbox/faults clears them all', async () => {
    sb = await startSandbox({ faults: [{ id: 'f1', method: null, path: '/contacts/', kind: 'status', rate: 1, status: 502, times: null, hits: 0 }] });
    expect((await list()).status).toBe(502);
    expect((await list()).status).toBe(502);
    expect((await sb.api('DELETE', '/_sandbox/faults', { token: null })).status).toBe(200);
    expect((await list()).status).toBe(200);
  });
});

describe('latency and dropped connections', () => {
  it('adds latency before answering normally', async () => {
    sb = await startSandbox();
    await addFault({ path: '/contacts/', latencyMs: 150, times: 1 });
    const started = performance.now();
    const slow = await list();
    const slowMs = performance.now() - started;
    expect(slow.status).toBe(200);
    expect(slowMs).toBeGreaterThanOrEqual(140);
    const t2 = performance.now();
    expect((await list()).status).toBe(200);
    expect(performance.now() - t2).toBeLessThan(140);
  });

  it('drops the connection: fetch rejects, and the next request works', async () => {
    sb = await startSandbox();
    await addFault({ path: '/contacts/', kind: 'drop', times: 1 });
    await expect(list()).rejects.toThrow();
    expect((await list()).status).toBe(200);
  });
});

describe('quirks', () => {
  it('create-422-but-stored: POST /contacts/ answers 422 yet the contact exists', async () => {
    sb = await startSandbox();
    await addFault({ method: 'POST', path: '/contacts/', quirk: 'create-422-but-stored', times: 1 });
    const res = await sb.api<ErrorBody>('POST', '/contacts/', { body: { locationId: sb.info.locationId, firstName: 'Ghost', email: 'ghost@example.com' } });
    expect(res.status).toBe(422);
    expect(res.body.statusCode).toBe(422);
    expect(Array.isArray(res.body.message)).toBe(true);
    const ghost = (await stored()).filter((c) => c.email === 'ghost@example.com');
    expect(ghost.length).toBe(1);
    expect(ghost[0]!.firstName).toBe('Ghost');
    // and the stored contact now blocks a retry as a duplicate (location disallows duplicates)
    const retry = await sb.api<ErrorBody & { meta: { contactId: string } }>('POST', '/contacts/', { body: { locationId: sb.info.locationId, email: 'ghost@example.com' } });
    expect(retry.status).toBe(400);
    expect(retry.body.meta.contactId).toBe(ghost[0]!.id);
  });

  it('upsert-drops-field: the named field is silently dropped, the rest applied', async () => {
    sb = await startSandbox();
    await addFault({ method: 'POST', path: '/contacts/upsert', quirk: 'upsert-drops-field', field: 'city' });
    const res = await sb.api<{ new: boolean; contact: ContactBody }>('POST', '/contacts/upsert', {
      body: { locationId: sb.info.locationId, email: 'ada@example.com', firstName: 'Augusta', city: 'London' },
    });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(false);
    expect(res.body.contact.firstName).toBe('Augusta');
    expect(res.body.contact.city).toBeUndefined();
    const ada = (await stored()).find((c) => c.email === 'ada@example.com')!;
    expect(ada.city).toBeUndefined();
    expect(ada.firstName).toBe('Augusta');
  });

  it('upsert-drops-field without a field drops the first non-identity field sent', async () => {
    sb = await startSandbox();
    await addFault({ path: '/contacts/upsert', quirk: 'upsert-drops-field' });
    const res = await sb.api<{ new: boolean; contact: ContactBody & { lastName?: string } }>('POST', '/contacts/upsert', {
      body: { locationId: sb.info.locationId, email: 'new@example.com', firstName: 'Dropped', lastName: 'Kept' },
    });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(true);
    expect(res.body.contact.email).toBe('new@example.com');
    expect(res.body.contact.firstName).toBeUndefined();
    expect(res.body.contact.lastName).toBe('Kept');
  });
});

describe('quirks on overlapping paths', () => {
  it('a quirk rule is counted only when its own quirk applies', async () => {
    sb = await startSandbox();
    const create422 = await addFault({ path: '/contacts/**', quirk: 'create-422-but-stored', times: 1 });
    await addFault({ path: '/contacts/**', quirk: 'upsert-drops-field', field: 'city' });
    // an upsert consults only the upsert quirk: the create quirk keeps its single hit
    const up = await sb.api<{ contact: ContactBody }>('POST', '/contacts/upsert', { body: { locationId: sb.info.locationId, email: 'overlap@example.com', city: 'Paris' } });
    expect(up.status).toBe(200);
    expect(up.body.contact.city).toBeUndefined();
    const faults = await sb.api<{ faults: FaultRule[] }>('GET', '/_sandbox/faults', { token: null });
    expect(faults.body.faults.find((f) => f.id === create422.id)!.hits).toBe(0);
    const res = await sb.api<ErrorBody>('POST', '/contacts/', { body: { locationId: sb.info.locationId, email: 'overlap2@example.com' } });
    expect(res.status).toBe(422);
    expect((await stored()).some((c) => c.email === 'overlap2@example.com')).toBe(true);
  });
});

describe('rule validation', () => {
  it.each([
    [{ path: '/contacts/', status: 418 }, 'status must be one of'],
    [{ path: 'contacts', status: 503 }, 'path must be'],
    [{ path: '/contacts/', status: 503, rate: 2 }, 'rate must be'],
    [{ path: '/contacts/', kind: 'explode' }, 'kind must be'],
    [{ path: '/contacts/', quirk: 'teleport' }, 'quirk must be'],
    [{ path: '/contacts/', latencyMs: -5, kind: 'latency' }, 'latencyMs must be'],
    [{ path: '/contacts/', status: 503, times: 0 }, 'times must be'],
  ])('refuses %j with 422 naming the field', async (rule, text) => {
    sb = await startSandbox();
    const res = await sb.api<ErrorBody>('POST', '/_sandbox/faults', { body: rule, token: null });
    expect(res.status).toBe(422);
    expect(res.body.statusCode).toBe(422);
    expect((res.body.message as string[]).some((m) => m.includes(text))).toBe(true);
    const faults = await sb.api<{ faults: FaultRule[] }>('GET', '/_sandbox/faults', { token: null });
    expect(faults.body.faults).toEqual([]);
  });
});

describe('random option', () => {

  async function run(seed: number): Promise<number[]> {
    sb = await startSandbox({ random: seededRandom(seed) });
    await addFault({ path: '/contacts/', status: 503, rate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await list()).status);
    return statuses;
  }

  it('rate 0.5 with a seeded random hits exactly the requests the sequence says', async () => {
    const expected = (() => {
      const r = seededRandom(7);
      return Array.from({ length: 40 }, () => (r() < 0.5 ? 503 : 200));
    })();
    const first = await run(7);
    expect(first).toEqual(expected);
    expect(first.filter((s) => s === 503).length).toBeGreaterThan(5);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(5);
    await sb.close();
    const second = await run(7);
    expect(second).toEqual(first);
  });

  it('rate 0 never fires and rate 1 always fires', async () => {
    sb = await startSandbox({ random: () => 0.999999 });
    await addFault({ path: '/contacts/', status: 500, rate: 0 });
    await addFault({ path: '/contacts/', status: 503, rate: 1 });
    expect((await list()).status).toBe(503);
    expect((await list()).status).toBe(503);
  });
});
