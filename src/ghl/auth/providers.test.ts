import { describe, expect, it } from 'vitest';
import { GhlForbiddenError, GhlNetworkError } from '../core/errors.js';
import type { GhlRequest } from '../core/types.js';
import { createOAuthClient } from '../oauth/index.js';
import { scriptedTransport, type ScriptStep } from '../testing/scripted-transport.js';
import { GhlReauthorizationRequiredError } from './errors.js';
import { MemoryTokenStore } from './memory-token-store.js';
import { agencyLocationTokens, oauthTokens, staticToken } from './providers.js';
import type { StoredTokens } from './types.js';

const HOUR = 3_600_000;
const request: GhlRequest = { method: 'GET', path: '/contacts/', idempotent: true, resourceId: 'loc1' };
const stored = (n: number, expiresAt: number, extra: Partial<StoredTokens> = {}): StoredTokens => ({ accessToken: `at-${n}`, refreshToken: `rt-${n}`, expiresAt, userType: 'Location', locationId: 'loc1', companyId: 'co1', ...extra });
const refreshAnswer = (n: number, expiresIn = 86_399): ScriptStep => ({ status: 200, body: { access_token: `at-${n}`, refresh_token: `rt-${n}`, expires_in: expiresIn, userType: 'Location', scope: 'contacts.readonly', userId: 'u1' } });

function setup(steps: ScriptStep[], initial: Record<string, StoredTokens>, now = () => 1_000_000) {
  const t = scriptedTransport(steps);
  const oauth = createOAuthClient({ clientId: 'app-1', clientSecret: 'secret', send: t.send });
  const store = new MemoryTokenStore(initial);
  return { t, oauth, store, now };
}

describe('staticToken', () => {
  it('always answers the token and never refreshes', async () => {
    const provider = staticToken('pit-abc');
    expect(await provider.token(request)).toBe('pit-abc');
    expect(provider.refresh).toBeUndefined();
    expect(() => staticToken('  ')).toThrow(TypeError);
  });
});

describe('oauthTokens', () => {
  it('answers a stored token that is not near expiry without any request', async () => {
    const { t, oauth, store, now } = setup([], { c: stored(1, 1_000_000 + HOUR) });
    expect(await oauthTokens({ oauth, store, key: 'c', now }).token(request)).toBe('at-1');
    expect(t.requests).toHaveLength(0);
  });

  it('refreshes ahead of expiry (within refreshSkewMs), persists the rotated tokens and keeps the ids', async () => {
    const { t, oauth, store, now } = setup([refreshAnswer(2, 100)], { c: stored(1, 1_000_000 + 30_000) });
    const provider = oauthTokens({ oauth, store, key: 'c', now });
    expect(await provider.token(request)).toBe('at-2');
    expect(t.requests[0]!.form).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'rt-1', user_type: 'Location' });
    expect(await store.get('c')).toEqual({ accessToken: 'at-2', refreshToken: 'rt-2', expiresAt: 1_000_000 + 100_000, scope: 'contacts.readonly', userType: 'Location', locationId: 'loc1', companyId: 'co1' });
    // a smaller skew keeps the same token
    const lax = oauthTokens({ oauth, store, key: 'c', now, refreshSkewMs: 10_000 });
    expect(await lax.token(request)).toBe('at-2');
    expect(t.remaining()).toBe(0);
  });

  it('short-lived tokens (lifetime under twice the skew) are not renewed on every call', async () => {
    let clock = 1_000_000;
    const { t, oauth, store } = setup([refreshAnswer(2, 10), refreshAnswer(3, 10)], { c: stored(1, 0) });
    const provider = oauthTokens({ oauth, store, key: 'c', now: () => clock });
    expect(await provider.token(request)).toBe('at-2');
    expect(await provider.token(request)).toBe('at-2');
    clock += 4_000;
    expect(await provider.token(request)).toBe('at-2');
    clock += 2_000; // 4 s left of 10: within half the lifetime
    expect(await provider.token(request)).toBe('at-3');
    expect(t.requests).toHaveLength(2);
  });

  it('refreshes after a 401 even when the token looks valid', async () => {
    const { oauth, store, now } = setup([refreshAnswer(2)], { c: stored(1, 1_000_000 + HOUR) });
    expect(await oauthTokens({ oauth, store, key: 'c', now }).refresh('at-1', request)).toBe('at-2');
    expect((await store.get('c'))!.refreshToken).toBe('rt-2');
  });

  it('single-flight: 50 concurrent renewals send one refresh', async () => {
    const { t, oauth, store, now } = setup([{ ...refreshAnswer(2), delayMs: 5 }], { c: stored(1, 1_000_000 + HOUR) });
    const provider = oauthTokens({ oauth, store, key: 'c', now });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.refresh('at-1', request)));
    expect(new Set(tokens)).toEqual(new Set(['at-2']));
    expect(t.requests).toHaveLength(1);
  });

  it('a late 401 for a token already replaced gets the new token without a refresh', async () => {
    const { t, oauth, store, now } = setup([refreshAnswer(2)], { c: stored(1, 1_000_000 + HOUR) });
    const a = oauthTokens({ oauth, store, key: 'c', now });
    const b = oauthTokens({ oauth, store, key: 'c', now }); // e.g. another client sharing the store
    expect(await a.refresh('at-1', request)).toBe('at-2');
    expect(await b.refresh('at-1', request)).toBe('at-2');
    expect(t.requests).toHaveLength(1);
  });

  it('two providers sharing a store refresh once, thanks to the store lock', async () => {
    const { t, oauth, store, now } = setup([{ ...refreshAnswer(2), delayMs: 5 }], { c: stored(1, 1_000_000 + HOUR) });
    const a = oauthTokens({ oauth, store, key: 'c', now });
    const b = oauthTokens({ oauth, store, key: 'c', now });
    expect(await Promise.all([a.refresh('at-1', request), b.refresh('at-1', request)])).toEqual(['at-2', 'at-2']);
    expect(t.requests).toHaveLength(1);
  });

  it('a refused refresh throws GhlReauthorizationRequiredError without secrets; the stored tokens stay', async () => {
    const { oauth, store, now } = setup([{ status: 400, body: { statusCode: 400, message: 'Invalid grant: refresh token was already used', error: 'invalid_grant' } }], { c: stored(1, 0) });
    const error = (await oauthTokens({ oauth, store, key: 'c', now }).token(request).catch((e: unknown) => e)) as GhlReauthorizationRequiredError;
    expect(error).toBeInstanceOf(GhlReauthorizationRequiredError);
    expect(error).toMatchObject({ code: 'AUTHENTICATION', status: 400, path: '/oauth/token', connectionKey: 'c' });
    expect(error.message).toContain('invalid_grant');
    expect(error.message).not.toMatch(/rt-1|at-1|secret/);
    expect(await store.get('c')).toEqual(stored(1, 0));
  });

  it('no stored tokens or no refresh token: reauthorization required, no request sent', async () => {
    const { t, oauth, store, now } = setup([], { n: stored(1, 0, { refreshToken: null }) });
    await expect(oauthTokens({ oauth, store, key: 'missing', now }).token(request)).rejects.toThrow(GhlReauthorizationRequiredError);
    await expect(oauthTokens({ oauth, store, key: 'n', now }).token(request)).rejects.toThrow(/no refresh token/);
    expect(t.requests).toHaveLength(0);
  });

  it('a network failure of the refresh passes through unchanged and the next call tries again', async () => {
    const lost = new GhlNetworkError('POST /oauth/token network error', { status: null, method: 'POST', path: '/oauth/token' }, true);
    const { t, oauth, store, now } = setup([{ error: lost }, refreshAnswer(2)], { c: stored(1, 0) });
    const provider = oauthTokens({ oauth, store, key: 'c', now });
    await expect(provider.token(request)).rejects.toBe(lost);
    expect(await provider.token(request)).toBe('at-2');
    expect(t.requests).toHaveLength(2);
  });
});

describe('agencyLocationTokens', () => {
  const agency = (n: number, expiresAt: number): StoredTokens => ({ accessToken: `ag-${n}`, refreshToken: `agr-${n}`, expiresAt, userType: 'Company', companyId: 'co1' });
  const minted = (n: number, locationId = 'loc1'): ScriptStep => ({ status: 200, body: { access_token: `lt-${n}`, refresh_token: `lrt-${n}`, expires_in: 86_399, locationId, userId: 'u1', scope: 'contacts.readonly' } });

  it('mints a location token for request.resourceId with the agency token and caches it', async () => {
    const { t, oauth, store, now } = setup([minted(1), minted(2, 'loc2')], { agency: agency(1, 1_000_000 + HOUR) });
    const provider = agencyLocationTokens({ oauth, store, agencyKey: 'agency', now });
    expect(await provider.token(request)).toBe('lt-1');
    expect(await provider.token(request)).toBe('lt-1');
    expect(await provider.token({ ...request, resourceId: 'loc2' })).toBe('lt-2');
    expect(t.requests).toHaveLength(2);
    expect(t.requests[0]).toMatchObject({ path: '/oauth/locationToken', form: { companyId: 'co1', locationId: 'loc1' }, headers: { authorization: 'Bearer ag-1' } });
    expect(await store.get('agency:location:loc1')).toEqual({ accessToken: 'lt-1', refreshToken: null, expiresAt: 1_000_000 + 86_399_000, scope: 'contacts.readonly', userType: 'Location', locationId: 'loc1', companyId: 'co1' });
  });

  it('uses a custom key, and mints again after a 401', async () => {
    const { t, oauth, store, now } = setup([minted(2)], { agency: agency(1, 1_000_000 + HOUR), 'loc:loc1': stored(1, 1_000_000 + HOUR, { accessToken: 'lt-1' }) });
    const provider = agencyLocationTokens({ oauth, store, agencyKey: 'agency', locationKey: (id) => `loc:${id}`, now });
    expect(await provider.token(request)).toBe('lt-1');
    expect(await provider.refresh('lt-1', request)).toBe('lt-2');
    expect((await store.get('loc:loc1'))!.accessToken).toBe('lt-2');
    expect(t.requests).toHaveLength(1);
  });

  it('refreshes an expired agency token before minting', async () => {
    const { t, oauth, store, now } = setup([{ status: 200, body: { access_token: 'ag-2', refresh_token: 'agr-2', expires_in: 86_399, userType: 'Company', companyId: 'co1', userId: 'u1' } }, minted(1)], { agency: agency(1, 0) });
    const provider = agencyLocationTokens({ oauth, store, agencyKey: 'agency', now });
    expect(await provider.token(request)).toBe('lt-1');
    expect(t.requests.map((r) => r.path)).toEqual(['/oauth/token', '/oauth/locationToken']);
    expect(t.requests[0]!.form).toMatchObject({ refresh_token: 'agr-1', user_type: 'Company' });
    expect(t.requests[1]!.headers).toMatchObject({ authorization: 'Bearer ag-2' });
    expect((await store.get('agency'))!.refreshToken).toBe('agr-2');
  });

  it('when the agency token is refused while minting, refreshes it once and mints again', async () => {
    const { t, oauth, store, now } = setup(
      [{ status: 401, body: { statusCode: 401, message: 'Invalid JWT' } }, { status: 200, body: { access_token: 'ag-2', refresh_token: 'agr-2', expires_in: 86_399, userType: 'Company', companyId: 'co1', userId: 'u1' } }, minted(1)],
      { agency: agency(1, 1_000_000 + HOUR) },
    );
    expect(await agencyLocationTokens({ oauth, store, agencyKey: 'agency', now }).token(request)).toBe('lt-1');
    expect(t.requests.map((r) => r.path)).toEqual(['/oauth/locationToken', '/oauth/token', '/oauth/locationToken']);
  });

  it('passes a forbidden location through as GhlForbiddenError and stores nothing', async () => {
    const { oauth, store, now } = setup([{ status: 403, body: { statusCode: 403, message: 'The token does not have access to this location.' } }], { agency: agency(1, 1_000_000 + HOUR) });
    await expect(agencyLocationTokens({ oauth, store, agencyKey: 'agency', now }).token(request)).rejects.toThrow(GhlForbiddenError);
    expect(await store.get('agency:location:loc1')).toBeNull();
  });

  it('needs request.resourceId and agency tokens with a companyId', async () => {
    const { oauth, store, now } = setup([], { agency: { ...agency(1, 1_000_000 + HOUR), companyId: undefined } });
    const provider = agencyLocationTokens({ oauth, store, agencyKey: 'agency', now });
    await expect(provider.token({ ...request, resourceId: undefined })).rejects.toThrow(/resourceId/);
    await expect(provider.token(request)).rejects.toThrow(GhlReauthorizationRequiredError);
  });

  it('single-flight per location: 30 concurrent first calls mint once', async () => {
    const { t, oauth, store, now } = setup([{ ...minted(1), delayMs: 5 }], { agency: agency(1, 1_000_000 + HOUR) });
    const provider = agencyLocationTokens({ oauth, store, agencyKey: 'agency', now });
    const tokens = await Promise.all(Array.from({ length: 30 }, () => provider.token(request)));
    expect(new Set(tokens)).toEqual(new Set(['lt-1']));
    expect(t.requests).toHaveLength(1);
  });
});
