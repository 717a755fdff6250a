import { afterEach, describe, expect, it } from 'vitest';
import type { Call } from '../../../src/ghl/core/call.js';
import { GhlError } from '../../../src/ghl/core/errors.js';
import { seededRandom } from '../../support/prng.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { governedClient, newPit, pool, statusCounts } from './governed-client.js';

/** The retry layer (with the governor) against the sandbox's injected faults, over real HTTP. */

let sb: TestSandbox;

afterEach(async () => {
  await sb.close();
});

async function addFault(rule: Record<string, unknown>): Promise<void> {
  const res = await sb.api('POST', '/_sandbox/faults', { token: null, body: rule });
  expect(res.status).toBe(200);
}

interface Contact {
  id: string;
  email?: string;
}

async function stored(locationId: string): Promise<Contact[]> {
  return (await sb.api<{ contacts: Contact[] }>('GET', `/_sandbox/locations/${locationId}/contacts`, { token: null })).body.contacts;
}

describe('idempotent calls under 20% 5xx and 10% 429', () => {
  it('1 000 calls complete with zero failures surfaced', async () => {
    // A generous burst limit (the governor learns it), so only the injected faults refuse requests.
    sb = await startSandbox({ random: seededRandom(20_26), config: { rateLimit: { enabled: true, max: 10_000, intervalMs: 50 } } });
    const { locationId, pit } = sb.info;
    // In rule order: 10% 502, then 10% 503 (0.1111 of the 90% left), then 10% 429 (0.125 of the 80% left).
    await addFault({ path: '/contacts/**', status: 502, rate: 0.1 });
    await addFault({ path: '/contacts/**', status: 503, rate: 0.1111 });
    await addFault({ path: '/contacts/**', status: 429, rate: 0.125 });
    const contacts = await stored(locationId);
    // 6 attempts leave 0.28^6 × 1000 ≈ 0.5 expected failures in 1 000 calls; 10 leave 0.003.
    const client = governedClient(sb, { pits: { [locationId]: pit }, retry: { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 2000 } });

    const calls = Array.from({ length: 1000 }, (_, i) => () => {
      if (i % 3 === 0) return client.call({ method: 'GET', path: '/contacts/', query: { locationId, limit: 2 }, idempotent: true, resourceId: locationId });
      if (i % 3 === 1) return client.call({ method: 'POST', path: '/contacts/search', body: { locationId, pageLimit: 2 }, idempotent: true, resourceId: locationId });
      return client.call({ method: 'GET', path: `/contacts/${contacts[i % contacts.length]!.id}`, idempotent: true, resourceId: locationId });
    });
    const results = await pool(calls, 40);

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(results).toHaveLength(1000);
    const server = await statusCounts(sb);
    expect(server['200']).toBe(1000);
    // the faults did happen, and were all absorbed by retries
    expect(server['502']).toBeGreaterThan(50);
    expect(server['503']).toBeGreaterThan(50);
    expect(server['429']).toBeGreaterThan(50);
    expect(client.attempts.length).toBe(1000 + server['502']! + server['503']! + server['429']!);
  });
});

/**
 * Creating a contact exactly once when the answer may be lost — the documented pattern. On an error
 * with `mayHaveSucceeded` the create may still be running at HighLevel: wait out its longest
 * plausible run, then look the contact up by email, and create again only if it is not there.
 */
async function createOnce(call: Call, locationId: string, email: string, settleMs: number): Promise<{ id: string; ambiguous: number }> {
  let ambiguous = 0;
  for (let tries = 0; tries < 5; tries++) {
    try {
      const created = await call<{ contact: Contact }>({ method: 'POST', path: '/contacts/', body: { locationId, email, firstName: 'Once' }, idempotent: false, resourceId: locationId });
      return { id: created.contact.id, ambiguous };
    } catch (error) {
      if (!(error instanceof GhlError && error.mayHaveSucceeded)) throw error;
      ambiguous++;
      await new Promise((r) => setTimeout(r, settleMs));
      const found = await call<{ contact: Contact | null }>({ method: 'GET', path: '/contacts/search/duplicate', query: { locationId, email }, idempotent: true, resourceId: locationId });
      if (found.contact) return { id: found.contact.id, ambiguous };
    }
  }
  throw new Error(`could not create ${email}`);
}

/** Waits until the sandbox has finished the delayed POST /contacts/ and returns its status. */
async function lateCreateStatus(): Promise<string> {
  for (;;) {
    const stats = await sb.api<{ byRoute: Record<string, Record<string, number>> }>('GET', '/_sandbox/requests/stats', { token: null });
    const statuses = Object.keys(stats.body.byRoute['create-contact'] ?? {});
    if (statuses.length > 0) return statuses.join(',');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a non-idempotent create under injected timeouts', () => {
  it('is never sent twice by the client, and the documented pattern stores each contact once (duplicates allowed)', async () => {
    sb = await startSandbox();
    // Sandbox Realty allows duplicates: only the client's care prevents a second contact.
    const location = sb.info.locations.find((l) => l.duplicateCheck === 'off')!;
    const pit = await newPit(sb, location.id);
    // The first four creates answer after 600 ms, past the client's 200 ms timeout; they are stored anyway.
    await addFault({ method: 'POST', path: '/contacts/', latencyMs: 600, times: 4 });
    const client = governedClient(sb, { pits: { [location.id]: pit }, timeoutMs: 200 });
    const before = (await stored(location.id)).length;

    const emails = Array.from({ length: 6 }, (_, i) => `once${i}@example.com`);
    const outcomes = await Promise.all(emails.map((email) => createOnce(client.call, location.id, email, 1500)));

    expect(outcomes.reduce((n, o) => n + o.ambiguous, 0)).toBe(4);
    const after = await stored(location.id);
    expect(after).toHaveLength(before + 6);
    for (const [i, email] of emails.entries()) {
      const matches = after.filter((c) => c.email === email);
      expect(matches).toHaveLength(1);
      expect(matches[0]!.id).toBe(outcomes[i]!.id);
    }
    // the retry layer never repeated a create: one attempt per contact
    expect(client.attempts.filter((a) => a.request.method === 'POST' && a.request.path === '/contacts/')).toHaveLength(6);
  });

  it('or, where the location checks duplicates, an upsert after the ambiguous failure stores the contact once', async () => {
    sb = await startSandbox();
    const { locationId, pit } = sb.info; // Sandbox Dental: duplicates checked by email, then phone
    await addFault({ method: 'POST', path: '/contacts/', latencyMs: 600, times: 1 });
    const client = governedClient(sb, { pits: { [locationId]: pit }, timeoutMs: 200 });
    const email = 'upsert-once@example.com';

    const error = await client.call({ method: 'POST', path: '/contacts/', body: { locationId, email }, idempotent: false, resourceId: locationId }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK', mayHaveSucceeded: true });
    const upserted = await client.call<{ contact: Contact }>({ method: 'POST', path: '/contacts/upsert', body: { locationId, email, firstName: 'Once' }, idempotent: false, resourceId: locationId });
    // the late create lands after the upsert, and the location refuses it as a duplicate
    expect(await lateCreateStatus()).toBe('400');

    const matches = (await stored(locationId)).filter((c) => c.email === email);
    expect(matches.map((c) => c.id)).toEqual([upserted.contact.id]);
  });
});
