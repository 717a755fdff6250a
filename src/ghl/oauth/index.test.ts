import { describe, expect, it } from 'vitest';
import { GhlAuthenticationError, GhlValidationError } from '../core/errors.js';
import { compose } from '../core/types.js';
import { headers } from '../layers/headers.js';
import { scriptedTransport, type ScriptStep } from '../testing/scripted-transport.js';
import { createOAuthClient, toStoredTokens } from './index.js';

const CLIENT = { clientId: 'app123-abcdef', clientSecret: 'very-secret-value' };

function client(steps: ScriptStep[], extra: Partial<Parameters<typeof createOAuthClient>[0]> = {}) {
  const t = scriptedTransport(steps);
  const oauth = createOAuthClient({ ...CLIENT, send: compose([headers()], t.send), ...extra });
  return { oauth, t };
}

const tokenAnswer = { access_token: 'at-1', token_type: 'Bearer', expires_in: 86399, refresh_token: 'rt-1', scope: 'contacts.readonly contacts.write', userType: 'Location', locationId: 'loc1', companyId: 'co1', userId: 'u1' };

describe('authorizationUrl', () => {
  it('builds the v2 chooselocation URL with every parameter, scopes joined by %20', () => {
    const { oauth } = client([]);
    const url = oauth.authorizationUrl({ redirectUri: 'https://app.example.com/cb?x=1', scopes: ['contacts.readonly', 'contacts.write'], state: 's t&ate' });
    expect(url).toBe(
      'https://marketplace.gohighlevel.com/v2/oauth/chooselocation?response_type=code&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%3Fx%3D1&client_id=app123-abcdef&scope=contacts.readonly%20contacts.write&state=s%20t%26ate',
    );
    const parsed = new URL(url);
    expect(parsed.searchParams.get('redirect_uri')).toBe('https://app.example.com/cb?x=1');
    expect(parsed.searchParams.get('state')).toBe('s t&ate');
  });

  it('uses the white-label host, a custom host without a doubled slash, and loginWindowOpenMode', () => {
    const { oauth } = client([], { authorizeBaseUrl: 'http://127.0.0.1:9999/' });
    const white = new URL(oauth.authorizationUrl({ redirectUri: 'https://a/cb', scopes: ['contacts.readonly'], state: 's', whiteLabel: true, loginWindowOpenMode: 'self' }));
    expect(`${white.origin}${white.pathname}`).toBe('https://marketplace.leadconnectorhq.com/v2/oauth/chooselocation');
    expect(white.searchParams.get('loginWindowOpenMode')).toBe('self');
    const local = oauth.authorizationUrl({ redirectUri: 'https://a/cb', scopes: ['contacts.readonly'], state: 's' });
    expect(local.startsWith('http://127.0.0.1:9999/v2/oauth/chooselocation?')).toBe(true);
    expect(new URL(local).searchParams.has('loginWindowOpenMode')).toBe(false);
  });

  it('refuses an empty state or no scopes', () => {
    const { oauth } = client([]);
    expect(() => oauth.authorizationUrl({ redirectUri: 'https://a/cb', scopes: ['x'], state: '' })).toThrow(/state/);
    expect(() => oauth.authorizationUrl({ redirectUri: 'https://a/cb', scopes: [], state: 's' })).toThrow(/scope/);
  });

  it('refuses to be created without credentials', () => {
    expect(() => createOAuthClient({ clientId: '', clientSecret: 'x', send: scriptedTransport([]).send })).toThrow(TypeError);
  });
});

describe('token endpoint', () => {
  it('exchanges a code: anonymous, form-encoded, no Version header, not idempotent', async () => {
    const { oauth, t } = client([{ status: 200, body: tokenAnswer }]);
    const answer = await oauth.exchangeCode({ code: 'code-1', redirectUri: 'https://a/cb', userType: 'Location' });
    expect(answer.access_token).toBe('at-1');
    const sent = t.requests[0]!;
    expect(sent).toMatchObject({ method: 'POST', path: '/oauth/token', operationId: 'get-access-token', anonymous: true, idempotent: false });
    expect(sent.form).toEqual({ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, grant_type: 'authorization_code', code: 'code-1', redirect_uri: 'https://a/cb', user_type: 'Location' });
    expect(sent.body).toBeUndefined();
    expect(Object.keys(sent.headers ?? {})).not.toContain('version');
    expect(Object.keys(sent.headers ?? {})).not.toContain('authorization');
  });

  it('refreshes with grant_type refresh_token', async () => {
    const { oauth, t } = client([{ status: 200, body: { ...tokenAnswer, refresh_token: 'rt-2' } }]);
    const answer = await oauth.refresh({ refreshToken: 'rt-1', userType: 'Company' });
    expect(answer.refresh_token).toBe('rt-2');
    expect(t.requests[0]!.form).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'rt-1', user_type: 'Company', client_secret: CLIENT.clientSecret });
    expect(t.requests[0]!.idempotent).toBe(false);
  });

  it('maps refusals to typed errors whose messages carry no secret', async () => {
    const { oauth } = client([
      { status: 400, body: { statusCode: 400, message: 'Invalid grant: refresh token was already used', error: 'invalid_grant' } },
      { status: 401, body: { statusCode: 401, message: 'Invalid client credentials', error: 'invalid_client' } },
    ]);
    const grant = await oauth.refresh({ refreshToken: 'rt-secret-1' }).catch((e: unknown) => e);
    expect(grant).toBeInstanceOf(GhlValidationError);
    expect((grant as GhlValidationError).status).toBe(400);
    const client401 = await oauth.exchangeCode({ code: 'code-secret-2' }).catch((e: unknown) => e);
    expect(client401).toBeInstanceOf(GhlAuthenticationError);
    for (const error of [grant, client401] as Error[]) {
      expect(error.message).not.toMatch(/rt-secret-1|code-secret-2|very-secret-value/);
      expect(JSON.stringify(error)).not.toMatch(/rt-secret-1|code-secret-2|very-secret-value/);
    }
  });
});

describe('agency endpoints', () => {
  it('mints a location token with the agency token, the Version header and a form body', async () => {
    const { oauth, t } = client([{ status: 200, body: { access_token: 'lt-1', expires_in: 86399, locationId: 'loc1', userId: 'u1', refresh_token: 'lrt-1' } }]);
    const answer = await oauth.locationToken({ companyId: 'co1', locationId: 'loc1', agencyAccessToken: 'agency-at' });
    expect(answer).toMatchObject({ access_token: 'lt-1', locationId: 'loc1', refresh_token: 'lrt-1' });
    const sent = t.requests[0]!;
    expect(sent).toMatchObject({ method: 'POST', path: '/oauth/locationToken', form: { companyId: 'co1', locationId: 'loc1' }, resourceId: 'co1', idempotent: true });
    expect(sent.anonymous).toBeUndefined();
    expect(sent.headers).toMatchObject({ authorization: 'Bearer agency-at', version: '2021-07-28' });
  });

  it('lists installed locations with filters; appId defaults to the client id prefix', async () => {
    const body = { locations: [{ _id: 'loc1', name: 'A', address: '1 St', isInstalled: true }], count: 1, installToFutureLocations: false };
    const { oauth, t } = client([{ status: 200, body }, { status: 200, body }]);
    expect(await oauth.installedLocations({ companyId: 'co1', agencyAccessToken: 'agency-at', isInstalled: true, limit: 50 })).toEqual(body);
    expect(t.requests[0]!.query).toEqual({ companyId: 'co1', appId: 'app123', isInstalled: true, limit: 50 });
    expect(t.requests[0]!.headers).toMatchObject({ authorization: 'Bearer agency-at', version: '2021-07-28' });
    await oauth.installedLocations({ companyId: 'co1', appId: 'other', agencyAccessToken: 'agency-at' });
    expect(t.requests[1]!.query).toEqual({ companyId: 'co1', appId: 'other' });
  });
});

describe('toStoredTokens', () => {
  it('keeps the tokens, the expiry in epoch ms and the ids', () => {
    expect(toStoredTokens(tokenAnswer, 1_000)).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: 1_000 + 86_399_000, scope: 'contacts.readonly contacts.write', userType: 'Location', locationId: 'loc1', companyId: 'co1' });
  });

  it('reads a company answer and a location-token answer', () => {
    const company = toStoredTokens({ access_token: 'a', refresh_token: 'r', expires_in: 10, userType: 'Company', companyId: 'co1', userId: 'u' }, 0);
    expect(company).toEqual({ accessToken: 'a', refreshToken: 'r', expiresAt: 10_000, userType: 'Company', companyId: 'co1' });
    const minted = toStoredTokens({ access_token: 'l', expires_in: 20, locationId: 'loc1', userId: 'u' }, 0);
    expect(minted).toEqual({ accessToken: 'l', refreshToken: null, expiresAt: 20_000, userType: 'Location', locationId: 'loc1' });
  });

  it('assumes a day when expires_in is missing, and refuses an answer without access_token', () => {
    expect(toStoredTokens({ access_token: 'a', userId: 'u' }, 0).expiresAt).toBe(86_399_000);
    expect(() => toStoredTokens({ userId: 'u' }, 0)).toThrow(/access_token/);
  });
});
