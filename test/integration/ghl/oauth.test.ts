import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auth, agencyLocationTokens, GhlReauthorizationRequiredError, MemoryTokenStore, oauthTokens, type TokenProvider } from '../../../src/ghl/auth/index.js';
import { createCall, type Call } from '../../../src/ghl/core/call.js';
import { GhlAuthenticationError, GhlForbiddenError, GhlValidationError } from '../../../src/ghl/core/errors.js';
import { fetchTransport } from '../../../src/ghl/core/transport.js';
import { compose } from '../../../src/ghl/core/types.js';
import { headers } from '../../../src/ghl/layers/headers.js';
import { createOAuthClient, type OAuthClient } from '../../../src/ghl/oauth/index.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/**
 * The OAuth client, token providers and auth layer against the sandbox over real HTTP: the code
 * flow through the authorization page, refresh-token rotation, agency-minted location tokens,
 * error mapping, and single-flight refresh under 100 concurrent calls.
 */

const SCOPES = ['contacts.readonly', 'contacts.write', 'oauth.readonly', 'oauth.write'];
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

interface Contact {
  id: string;
  locationId: string;
}

let sb: TestSandbox;
let oauth: OAuthClient;
let store: MemoryTokenStore;

beforeEach(async () => {
  sb = await startSandbox();
  oauth = createOAuthClient({ clientId: sb.info.clientId, clientSecret: sb.info.clientSecret, send: compose([headers()], fetchTransport({ baseUrl: sb.url })), authorizeBaseUrl: sb.url });
  store = new MemoryTokenStore();
});

afterEach(async () => {
  await sb.close();
});

const unescapeHtml = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

/** Opens the authorization URL, submits the form of one choice like a browser, returns the code. */
async function authorizeThroughPage(choice: { locationId: string } | { companyId: string }, scopes: string[] = SCOPES): Promise<string> {
  const state = randomUUID();
  const url = oauth.authorizationUrl({ redirectUri: sb.info.redirectUri, scopes, state });
  expect(url.startsWith(`${sb.url}/v2/oauth/chooselocation?`)).toBe(true);
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const marker = 'locationId' in choice ? `data-location-id="${choice.locationId}"` : `data-company-id="${choice.companyId}"`;
  const form = html.split('<form').find((f) => f.includes(marker));
  expect(form, `the page offers ${marker}`).toBeDefined();
  const fields = new URLSearchParams([...form!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m): [string, string] => [m[1]!, unescapeHtml(m[2]!)]));
  expect(fields.get('state')).toBe(state);
  const answer = await fetch(url, { method: 'POST', body: fields.toString(), headers: FORM, redirect: 'manual' });
  expect(answer.status).toBe(302);
  const target = new URL(answer.headers.get('location')!);
  expect(`${target.origin}${target.pathname}`).toBe(sb.info.redirectUri);
  expect(target.searchParams.get('state')).toBe(state);
  return target.searchParams.get('code')!;
}

async function connectLocation(locationId = sb.info.locationId, scopes = SCOPES): Promise<string> {
  const key = `location:${locationId}`;
  const answer = await oauth.exchangeCode({ code: await authorizeThroughPage({ locationId }, scopes), redirectUri: sb.info.redirectUri, userType: 'Location' });
  await store.set(key, oauth.toStoredTokens(answer, Date.now()));
  return key;
}

async function connectAgency(): Promise<string> {
  const answer = await oauth.exchangeCode({ code: await authorizeThroughPage({ companyId: sb.info.companyId }), redirectUri: sb.info.redirectUri, userType: 'Company' });
  await store.set('agency', oauth.toStoredTokens(answer, Date.now()));
  return 'agency';
}

const clientWith = (provider: TokenProvider): Call => createCall(compose([headers(), auth(provider)], fetchTransport({ baseUrl: sb.url })));

const listContacts = (call: Call, locationId = sb.info.locationId) =>
  call<{ contacts: Contact[] }>({ method: 'GET', path: '/contacts/', query: { locationId }, resourceId: locationId, operationId: 'get-contacts', idempotent: true });

/** Counts per status of one operation in the sandbox's request log. */
async function counts(operationId: string): Promise<Record<string, number>> {
  const stats = await sb.api<{ byRoute: Record<string, Record<string, number>> }>('GET', '/_sandbox/requests/stats', { token: null });
  return stats.body.byRoute[operationId] ?? {};
}

async function clearLog(): Promise<void> {
  expect((await sb.api('DELETE', '/_sandbox/requests', { token: null })).status).toBe(200);
}

async function expireAll(): Promise<number> {
  const res = await sb.api<{ expired: number }>('POST', '/_sandbox/tokens/expire-all', { token: null });
  expect(res.status).toBe(200);
  return res.body.expired;
}

const secretsIn = (error: unknown, secrets: string[]) => secrets.filter((s) => `${(error as Error).message} ${JSON.stringify(error)}`.includes(s));

describe('OAuth code flow end to end', () => {
  it('authorize page → code → tokens → calls → refresh on 401 → the old refresh token is refused', async () => {
    const key = await connectLocation();
    const first = (await store.get(key))!;
    expect(first).toMatchObject({ userType: 'Location', locationId: sb.info.locationId, companyId: sb.info.companyId });
    expect(first.scope!.split(' ')).toEqual(expect.arrayContaining(['contacts.readonly', 'contacts.write']));
    expect(first.expiresAt - Date.now()).toBeGreaterThan(86_390_000);

    const call = clientWith(oauthTokens({ oauth, store, key }));
    const listed = await listContacts(call);
    expect(listed.contacts).toHaveLength(3);
    expect(listed.contacts.every((c) => c.locationId === sb.info.locationId)).toBe(true);

    await clearLog();
    expect(await expireAll()).toBe(1);
    expect((await listContacts(call)).contacts).toHaveLength(3);
    expect(await counts('get-contacts')).toEqual({ 401: 1, 200: 1 });
    expect(await counts('get-access-token')).toEqual({ 200: 1 });

    const second = (await store.get(key))!;
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.locationId).toBe(sb.info.locationId);

    const reuse = await oauth.refresh({ refreshToken: first.refreshToken!, userType: 'Location' }).catch((e: unknown) => e);
    expect(reuse).toBeInstanceOf(GhlValidationError);
    expect(reuse).toMatchObject({ status: 400, path: '/oauth/token', body: { error: 'invalid_grant' } });
    expect(secretsIn(reuse, [first.refreshToken!, sb.info.clientSecret])).toEqual([]);

    // the rotated refresh token is the one that works now
    await store.set(key, { ...second, expiresAt: Date.now() });
    expect((await listContacts(call)).contacts).toHaveLength(3);
    expect((await store.get(key))!.refreshToken).not.toBe(second.refreshToken);
  });

  it('renews ahead of expiry: no 401 reaches the caller or the log', async () => {
    const key = await connectLocation();
    await store.set(key, { ...(await store.get(key))!, expiresAt: Date.now() + 30_000 });
    await clearLog();
    await listContacts(clientWith(oauthTokens({ oauth, store, key })));
    expect(await counts('get-access-token')).toEqual({ 200: 1 });
    expect(await counts('get-contacts')).toEqual({ 200: 1 });
  });

  it('a code works once, and the white-label URL keeps the same parameters', async () => {
    const code = await authorizeThroughPage({ locationId: sb.info.locationId });
    await oauth.exchangeCode({ code, redirectUri: sb.info.redirectUri });
    const again = await oauth.exchangeCode({ code }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(GhlValidationError);
    expect(secretsIn(again, [code])).toEqual([]);
    const white = new URL(oauth.authorizationUrl({ redirectUri: sb.info.redirectUri, scopes: SCOPES, state: 's', whiteLabel: true }));
    expect(white.origin).toBe('https://marketplace.leadconnectorhq.com');
    expect(white.searchParams.get('client_id')).toBe(sb.info.clientId);
  });

  it('a revoked refresh token surfaces as GhlReauthorizationRequiredError without secrets', async () => {
    const key = await connectLocation();
    const tokens = (await store.get(key))!;
    expect((await sb.api('POST', '/_sandbox/tokens/revoke', { body: { token: tokens.refreshToken }, token: null })).status).toBe(200);
    await expireAll();
    const error = await listContacts(clientWith(oauthTokens({ oauth, store, key }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlReauthorizationRequiredError);
    expect(error).toMatchObject({ code: 'AUTHENTICATION', status: 400, connectionKey: key });
    expect(secretsIn(error, [tokens.accessToken, tokens.refreshToken!, sb.info.clientSecret])).toEqual([]);
  });

  it('a wrong client secret is a GhlAuthenticationError that does not repeat the secret', async () => {
    const code = await authorizeThroughPage({ locationId: sb.info.locationId });
    const wrong = createOAuthClient({ clientId: sb.info.clientId, clientSecret: 'wrong-secret-123', send: fetchTransport({ baseUrl: sb.url }) });
    const error = await wrong.exchangeCode({ code }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlAuthenticationError);
    expect(error).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(secretsIn(error, ['wrong-secret-123', code])).toEqual([]);
  });
});

describe('location tokens from an agency token', () => {
  it('lists installed locations and mints, caches and re-mints location tokens', async () => {
    const agencyKey = await connectAgency();
    const agency = (await store.get(agencyKey))!;
    expect(agency).toMatchObject({ userType: 'Company', companyId: sb.info.companyId });
    expect(agency.locationId).toBeUndefined();

    const installed = await oauth.installedLocations({ companyId: sb.info.companyId, agencyAccessToken: agency.accessToken });
    expect(installed.count).toBe(2);
    expect(installed.locations!.map((l) => [l._id, l.isInstalled]).sort()).toEqual(sb.info.locations.map((l) => [l.id, true]).sort());
    const filtered = await oauth.installedLocations({ companyId: sb.info.companyId, agencyAccessToken: agency.accessToken, query: 'realty' });
    expect(filtered.locations!.map((l) => l.name)).toEqual(['Sandbox Realty']);

    const call = clientWith(agencyLocationTokens({ oauth, store, agencyKey }));
    await clearLog();
    for (const location of sb.info.locations) {
      const listed = await listContacts(call, location.id);
      expect(listed.contacts.length).toBeGreaterThan(0);
      expect(listed.contacts.every((c) => c.locationId === location.id)).toBe(true);
      await listContacts(call, location.id); // cached: no second mint
      expect((await store.get(`agency:location:${location.id}`))!.locationId).toBe(location.id);
    }
    expect(await counts('get-location-access-token')).toEqual({ 200: 2 });
    expect(await counts('get-access-token')).toEqual({});

    // every access token expires: location tokens draw 401s, minting draws a 401 for the agency
    // token, which is refreshed once; then both locations work again
    expect(await expireAll()).toBe(3);
    await clearLog();
    for (const location of sb.info.locations) expect((await listContacts(call, location.id)).contacts.length).toBeGreaterThan(0);
    expect(await counts('get-access-token')).toEqual({ 200: 1 });
    expect(await counts('get-location-access-token')).toEqual({ 401: 1, 200: 2 });
    expect(await counts('get-contacts')).toEqual({ 401: 2, 200: 2 });
    expect((await store.get(agencyKey))!.refreshToken).not.toBe(agency.refreshToken);
  });
});

describe('errors mapped to typed errors', () => {
  it('a missing scope is a GhlAuthenticationError and costs no refresh', async () => {
    const key = await connectLocation(sb.info.locationId, ['contacts.readonly']);
    const call = clientWith(oauthTokens({ oauth, store, key }));
    await clearLog();
    const error = await call({ method: 'POST', path: '/contacts/', body: { locationId: sb.info.locationId, firstName: 'No' }, resourceId: sb.info.locationId, idempotent: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlAuthenticationError);
    expect(error).toMatchObject({ status: 401, message: 'POST /contacts/ → 401: The token is not authorized for this scope.' });
    expect(await counts('get-access-token')).toEqual({});
  });

  it("another location's contacts are a GhlForbiddenError", async () => {
    const key = await connectLocation();
    const error = await listContacts(clientWith(oauthTokens({ oauth, store, key })), sb.info.locations[1]!.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlForbiddenError);
    expect(error).toMatchObject({ status: 403, path: '/contacts/' });
  });

  it('an agency token on a contacts endpoint, or a location token minting, is refused without refresh', async () => {
    const agencyKey = await connectAgency();
    const locationKey = await connectLocation();
    await clearLog();
    const direct = await listContacts(clientWith(oauthTokens({ oauth, store, key: agencyKey }))).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(GhlAuthenticationError);
    const minted = await oauth.locationToken({ companyId: sb.info.companyId, locationId: sb.info.locationId, agencyAccessToken: (await store.get(locationKey))!.accessToken }).catch((e: unknown) => e);
    expect(minted).toBeInstanceOf(GhlAuthenticationError);
    expect((minted as GhlAuthenticationError).message).toContain("Token's user type mismatch!");
    expect(await counts('get-access-token')).toEqual({});
  });

  it('minting for a location outside the agency is a GhlForbiddenError', async () => {
    const agencyKey = await connectAgency();
    const call = clientWith(agencyLocationTokens({ oauth, store, agencyKey }));
    const error = await listContacts(call, 'NoSuchLocation000001').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlForbiddenError);
    expect(error).toMatchObject({ path: '/oauth/locationToken' });
  });
});

describe('single-flight refresh under concurrency', () => {
  it('100 concurrent calls with a server-expired access token: exactly one refresh, all 100 succeed', async () => {
    const key = await connectLocation();
    const call = clientWith(oauthTokens({ oauth, store, key }));
    expect(await expireAll()).toBe(1);
    await clearLog();
    const results = await Promise.all(Array.from({ length: 100 }, () => listContacts(call)));
    expect(results.map((r) => r.contacts.length)).toEqual(Array.from({ length: 100 }, () => 3));
    expect(await counts('get-access-token')).toEqual({ 200: 1 });
    expect(await counts('get-contacts')).toEqual({ 401: 100, 200: 100 });
  });

  it('100 concurrent calls with a locally expired token: one refresh ahead of time, no 401', async () => {
    const key = await connectLocation();
    await store.set(key, { ...(await store.get(key))!, expiresAt: Date.now() - 1 });
    await clearLog();
    const call = clientWith(oauthTokens({ oauth, store, key }));
    await Promise.all(Array.from({ length: 100 }, () => listContacts(call)));
    expect(await counts('get-access-token')).toEqual({ 200: 1 });
    expect(await counts('get-contacts')).toEqual({ 200: 100 });
  });

  it('100 concurrent calls over two agency-minted locations after expiry: one agency refresh', async () => {
    const agencyKey = await connectAgency();
    const call = clientWith(agencyLocationTokens({ oauth, store, agencyKey }));
    const [a, b] = sb.info.locations.map((l) => l.id) as [string, string];
    await Promise.all([listContacts(call, a), listContacts(call, b)]);
    await expireAll();
    await clearLog();
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => listContacts(call, i % 2 ? a : b)));
    expect(results.every((r, i) => r.contacts.every((c) => c.locationId === (i % 2 ? a : b)))).toBe(true);
    expect(await counts('get-access-token')).toEqual({ 200: 1 });
    expect((await counts('get-location-access-token'))['200']).toBe(2);
    expect((await counts('get-contacts'))['200']).toBe(100);
  });
});
