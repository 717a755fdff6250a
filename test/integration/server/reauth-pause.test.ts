import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlTokenStore } from '../../../src/engine/index.js';
import { startServerHarness, type ServerHarness } from './harness.js';
import { connectLocation } from './oauth-connect.js';
import { SECRETS, signedDelivery } from './signed-deliveries.js';

/**
 * Runs that wait instead of dying (issue 12): a GHL location whose refresh token was revoked is
 * marked "needs re-authorization" within one run, its runs wait (queued, no attempt spent, none
 * dead), and after the location is re-authorized they complete, none duplicated. A paused recipe
 * keeps taking events in and works them after resume.
 */
let h: ServerHarness;

beforeAll(async () => {
  h = await startServerHarness({ bodyLimit: 64 * 1024 });
  const app = await h.call('POST', '/api/v1/connections', { body: { id: 'app-main', app: 'webhook', name: 'My app', config: { source: 'my-app' }, secrets: { signingSecret: SECRETS.webhook } } });
  expect(app.status, app.text).toBe(201);
  await connectLocation(h, 'ghl-main');
  // a short lease: the hold is looked at again every lease/6
  await h.bridge.engine.startWorker({ concurrency: 4, pollingIntervalSeconds: 0.2, leaseSeconds: 6 });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function deliver(email: string): Promise<void> {
  const { path, raw, headers } = signedDelivery(h, 'webhook', { name: 'Wait Person', email });
  const answer = await h.call('POST', path, { raw, token: null, headers });
  expect(answer.status, answer.text).toBe(200);
}

async function runsOf(emails: string[]) {
  const { rows } = await h.bridge.db.query<{ status: string; attempts: number; email: string }>(
    `select r.status, r.attempts, e.payload->'data'->>'email' as email from runs r join events e on e.id = r.event_id where e.payload->'data'->>'email' = any($1::text[]) order by r.id`,
    [emails],
  );
  return rows;
}

const contactsWith = (email: string) => h.sb.sandbox.core.store.contactsByIdentity(h.sb.info.locationId, 'email', email).length;

describe('a connection whose refresh token was revoked', () => {
  it('holds its runs (queued, no attempt, none dead) until it is re-authorized, then they complete once each', async () => {
    await deliver('before-revoke@wait.test');
    await expect.poll(() => contactsWith('before-revoke@wait.test'), { timeout: 15_000 }).toBe(1);

    // HighLevel forgets the grant: the refresh token is revoked and the access token no longer works
    const tokens = await createSqlTokenStore({ db: h.bridge.db, keyring: h.bridge.keyring }).get('connection:ghl-main');
    expect((await h.sb.api('POST', '/_sandbox/tokens/revoke', { token: null, body: { token: tokens!.refreshToken } })).status).toBe(200);
    expect((await h.sb.api('POST', '/_sandbox/tokens/revoke', { token: null, body: { token: tokens!.accessToken } })).status).toBe(200);

    const emails = Array.from({ length: 5 }, (_, i) => `waits-${i}@wait.test`);
    for (const email of emails) await deliver(email);
    // within one run the connection is marked, and the rest wait without trying
    await expect.poll(async () => (await h.call('GET', '/api/v1/connections')).json.items, { timeout: 15_000 }).toContainEqual(
      expect.objectContaining({ id: 'ghl-main', needsReauth: expect.objectContaining({ reason: expect.stringMatching(/refused|authorize/i) }) }),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const waiting = await runsOf(emails);
    expect(waiting).toHaveLength(5);
    expect(waiting.every((r) => r.status === 'queued' && r.attempts === 0)).toBe(true);
    expect(h.logs.some((l) => l.includes('connection ghl-main needs re-authorization'))).toBe(true);

    // the operator re-authorizes the location: the waiting runs complete, each contact once
    await connectLocation(h, 'ghl-main');
    await expect.poll(async () => (await runsOf(emails)).map((r) => r.status), { timeout: 20_000 }).toEqual(emails.map(() => 'succeeded'));
    for (const email of emails) expect(contactsWith(email)).toBe(1);
    // the hold itself ends at the workers' next look (they take its runs as soon as the credentials are new)
    const held = async () => ((await h.call('GET', '/api/v1/connections')).json.items as Array<{ id: string; needsReauth?: unknown }>).find((c) => c.id === 'ghl-main')?.needsReauth;
    await expect.poll(held, { timeout: 10_000 }).toBeUndefined();
    expect(h.logs.some((l) => l.includes('connection ghl-main has new credentials'))).toBe(true);
  }, 90_000);
});

describe('a paused recipe', () => {
  it('takes events in while paused, works none of them, and works all after resume', async () => {
    const paused = await h.call('POST', '/api/v1/recipes/app-signup/pause', { body: { reason: 'fixing the welcome task' } });
    expect(paused.json).toEqual({ id: 'app-signup', paused: true, changed: true });
    expect((await h.call('POST', '/api/v1/recipes/app-signup/pause', { body: {} })).json).toMatchObject({ changed: false });
    expect((await h.call('GET', '/api/v1/recipes')).json.items).toContainEqual(expect.objectContaining({ id: 'app-signup', paused: expect.objectContaining({ by: 'user', reason: 'fixing the welcome task' }) }));

    const emails = Array.from({ length: 3 }, (_, i) => `paused-${i}@wait.test`);
    for (const email of emails) await deliver(email);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await runsOf(emails)).map((r) => [r.status, r.attempts])).toEqual(emails.map(() => ['queued', 0]));
    for (const email of emails) expect(contactsWith(email)).toBe(0);

    expect((await h.call('POST', '/api/v1/recipes/app-signup/resume')).json).toEqual({ id: 'app-signup', paused: false, changed: true });
    await expect.poll(async () => (await runsOf(emails)).map((r) => r.status), { timeout: 15_000 }).toEqual(emails.map(() => 'succeeded'));
    for (const email of emails) expect(contactsWith(email)).toBe(1);
    expect((await h.call('POST', '/api/v1/recipes/nope/pause')).status).toBe(404);
  }, 60_000);
});
