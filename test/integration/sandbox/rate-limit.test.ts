import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type ApiResponse, type TestSandbox } from '../../support/sandbox.js';

/** HighLevel's burst and daily limits per app per resource (ghl-api.md §5), over real HTTP. */

interface ErrorBody {
  statusCode: number;
  message: string;
  error: string;
  traceId: string;
}

const BURST = { enabled: true, max: 100, intervalMs: 2000 };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let sb: TestSandbox;

afterEach(async () => {
  await sb.close();
});

const remaining = (res: ApiResponse<unknown>) => Number(res.headers.get('x-ratelimit-remaining'));

async function burst(n: number, token: string, locationId: string): Promise<Array<ApiResponse<ErrorBody>>> {
  const out: Array<ApiResponse<ErrorBody>> = [];
  for (let i = 0; i < n; i++) out.push(await sb.api<ErrorBody>('GET', `/contacts/?locationId=${locationId}&limit=1`, { token }));
  return out;
}

/** An OAuth location token of the seeded app, through the authorization page. */
async function oauthToken(locationId: string): Promise<{ access_token: string; refresh_token: string }> {
  const form = new URLSearchParams({ client_id: sb.info.clientId, redirect_uri: sb.info.redirectUri, scope: 'contacts.readonly contacts.write', location_id: locationId });
  const page = await sb.api('POST', '/v2/oauth/chooselocation', { raw: form.toString(), headers: FORM, token: null, version: null });
  expect(page.status).toBe(302);
  const code = new URL(page.headers.get('location')!).searchParams.get('code')!;
  const res = await sb.api<{ access_token: string; refresh_token: string }>('POST', '/oauth/token', {
    raw: new URLSearchParams({ client_id: sb.info.clientId, client_secret: sb.info.clientSecret, grant_type: 'authorization_code', code }).toString(),
    headers: FORM,
    token: null,
    version: null,
  });
  expect(res.status).toBe(200);
  return res.body;
}

describe('burst limit', () => {
  it('counts X-RateLimit-Remaining down 99..0 and answers the 101st request 429 with a JSON body', async () => {
    sb = await startSandbox({ config: { rateLimit: BURST } });
    const answers = await burst(100, sb.info.pit, sb.info.locationId);
    expect(answers.map((r) => r.status)).toEqual(Array<number>(100).fill(200));
    expect(answers.map(remaining)).toEqual(Array.from({ length: 100 }, (_, i) => 99 - i));
    const first = answers[0]!;
    expect(first.headers.get('x-ratelimit-max')).toBe('100');
    expect(first.headers.get('x-ratelimit-interval-milliseconds')).toBe('2000');
    expect(first.headers.get('x-ratelimit-limit-daily')).toBe('200000');
    expect(first.headers.get('x-ratelimit-daily-remaining')).toBe('199999');
    expect(answers[99]!.headers.get('x-ratelimit-daily-remaining')).toBe('199900');

    const refused = await sb.api<ErrorBody>('GET', `/contacts/?locationId=${sb.info.locationId}`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/json');
    expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(typeof refused.body.message).toBe('string');
    expect(typeof refused.body.traceId).toBe('string');
    expect(remaining(refused)).toBe(0);
    // a refused request is not counted against the daily budget
    expect(refused.headers.get('x-ratelimit-daily-remaining')).toBe('199900');
    // writes are refused too, and nothing is stored
    const write = await sb.api('POST', '/contacts/', { body: { locationId: sb.info.locationId, email: 'late@example.com' } });
    expect(write.status).toBe(429);
    const stored = await sb.api<{ contacts: Array<{ email?: string }> }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`, { token: null });
    expect(stored.body.contacts.some((c) => c.email === 'late@example.com')).toBe(false);
  });

  it('counts error answers too and reports the headers on them', async () => {
    sb = await startSandbox({ config: { rateLimit: BURST } });
    const missing = await sb.api<ErrorBody>('GET', '/contacts/NoSuchContact0000000');
    expect(missing.status).toBe(400);
    expect(remaining(missing)).toBe(99);
    const next = await sb.api('GET', `/contacts/?locationId=${sb.info.locationId}`);
    expect(remaining(next)).toBe(98);
  });

  it('gives two locations (two PITs) separate buckets', async () => {
    sb = await startSandbox({ config: { rateLimit: BURST } });
    const [a, b] = sb.info.locations;
    const state = await sb.api<{ tokens: Record<string, { kind: string; locationId: string | null; token: string }> }>('GET', '/_sandbox/state', { token: null });
    const pitB = Object.values(state.body.tokens).find((t) => t.kind === 'pit' && t.locationId === b!.id)!.token;
    expect((await burst(100, sb.info.pit, a!.id)).every((r) => r.status === 200)).toBe(true);
    expect((await sb.api('GET', `/contacts/?locationId=${a!.id}`)).status).toBe(429);
    const other = await sb.api('GET', `/contacts/?locationId=${b!.id}`, { token: pitB });
    expect(other.status).toBe(200);
    expect(remaining(other)).toBe(99);
    // a second PIT of location A is its own app, so its own bucket (UNVERIFIED how GHL buckets PITs)
    const pitA2 = (await sb.api<{ token: string }>('POST', '/_sandbox/pits', { body: { locationId: a!.id, scopes: ['contacts.readonly'] }, token: null })).body.token;
    const second = await sb.api('GET', `/contacts/?locationId=${a!.id}`, { token: pitA2 });
    expect(second.status).toBe(200);
    expect(remaining(second)).toBe(99);
  });

  it('shares one bucket between tokens of the same app and location, not across locations', async () => {
    sb = await startSandbox({ config: { rateLimit: BURST } });
    const [a, b] = sb.info.locations;
    const first = await oauthToken(a!.id);
    const second = await oauthToken(a!.id);
    expect(second.access_token).not.toBe(first.access_token);
    expect((await burst(60, first.access_token, a!.id)).every((r) => r.status === 200)).toBe(true);
    const shared = await sb.api('GET', `/contacts/?locationId=${a!.id}`, { token: second.access_token });
    expect(remaining(shared)).toBe(39);
    const elsewhere = await oauthToken(b!.id);
    const res = await sb.api('GET', `/contacts/?locationId=${b!.id}`, { token: elsewhere.access_token });
    expect(remaining(res)).toBe(99);
  });

  it('lets requests through again once the window has slid past', async () => {
    sb = await startSandbox({ config: { rateLimit: { enabled: true, max: 3, intervalMs: 250 } } });
    const answers = await burst(4, sb.info.pit, sb.info.locationId);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    await new Promise((r) => setTimeout(r, 300));
    const again = await sb.api('GET', `/contacts/?locationId=${sb.info.locationId}`);
    expect(again.status).toBe(200);
    expect(remaining(again)).toBe(2);
  });

  it('is off by default in the harness: 150 requests all succeed', async () => {
    sb = await startSandbox();
    const answers = await burst(150, sb.info.pit, sb.info.locationId);
    expect(answers.filter((r) => r.status !== 200)).toEqual([]);
  });
});

describe('daily limit', () => {
  it('refuses past `daily` requests with 429 and X-RateLimit-Daily-Remaining 0, per location', async () => {
    sb = await startSandbox({ config: { rateLimit: { ...BURST, daily: 5 } } });
    const answers = await burst(5, sb.info.pit, sb.info.locationId);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((r) => r.headers.get('x-ratelimit-daily-remaining'))).toEqual(['4', '3', '2', '1', '0']);
    expect(answers[0]!.headers.get('x-ratelimit-limit-daily')).toBe('5');
    const refused = await sb.api<ErrorBody>('GET', `/contacts/?locationId=${sb.info.locationId}`);
    expect(refused.status).toBe(429);
    expect(refused.body.statusCode).toBe(429);
    expect(refused.body.message).toMatch(/daily/i);
    expect(refused.headers.get('x-ratelimit-daily-remaining')).toBe('0');
    // the burst window still has room: this is the daily limit, not the burst one
    expect(remaining(refused)).toBe(95);

    const b = sb.info.locations[1]!.id;
    const pitB = (await sb.api<{ token: string }>('POST', '/_sandbox/pits', { body: { locationId: b, scopes: ['contacts.readonly'] }, token: null })).body.token;
    const other = await sb.api('GET', `/contacts/?locationId=${b}`, { token: pitB });
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-daily-remaining')).toBe('4');
  });
});
