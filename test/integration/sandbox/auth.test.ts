import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/** Tokens over real HTTP: scopes, location isolation, OAuth code/refresh rotation, expiry, revocation, location tokens. */

interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
  userType: 'Location' | 'Company';
  locationId?: string;
  companyId: string;
  userId: string;
}

interface ErrorBody {
  statusCode: number;
  message: string | string[];
  error?: string;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let sb: TestSandbox;

async function startWith(options: Parameters<typeof startSandbox>[0] = {}): Promise<void> {
  sb = await startSandbox(options);
}

/** Runs the authorization page's choice and returns the code from the redirect. */
async function authorize(choice: { location_id: string } | { company_id: string }, scope = 'contacts.readonly contacts.write oauth.readonly oauth.write'): Promise<string> {
  const form = new URLSearchParams({ client_id: sb.info.clientId, redirect_uri: sb.info.redirectUri, scope, state: 'xyz-state', ...choice });
  const res = await sb.api('POST', '/v2/oauth/chooselocation', { raw: form.toString(), headers: FORM, token: null, version: null });
  expect(res.status).toBe(302);
  const target = new URL(res.headers.get('location') ?? '');
  expect(`${target.origin}${target.pathname}`).toBe(sb.info.redirectUri);
  expect(target.searchParams.get('state')).toBe('xyz-state');
  const code = target.searchParams.get('code');
  expect(code).toBeTruthy();
  return code!;
}

function tokenRequest(fields: Record<string, string>) {
  const form = new URLSearchParams({ client_id: sb.info.clientId, client_secret: sb.info.clientSecret, ...fields });
  return sb.api<TokenAnswer & ErrorBody>('POST', '/oauth/token', { raw: form.toString(), headers: FORM, token: null, version: null });
}

async function exchange(code: string, userType: 'Location' | 'Company' = 'Location'): Promise<TokenAnswer> {
  const res = await tokenRequest({ grant_type: 'authorization_code', code, user_type: userType, redirect_uri: sb.info.redirectUri });
  expect(res.status).toBe(200);
  return res.body;
}

async function refresh(refreshToken: string) {
  return tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken, user_type: 'Location' });
}

async function pit(scopes: string[], where: { locationId?: string; companyId?: string }): Promise<string> {
  const res = await sb.api<{ token: string }>('POST', '/_sandbox/pits', { body: { ...where, scopes }, token: null });
  expect(res.status).toBe(200);
  return res.body.token;
}

const listPath = () => `/contacts/?locationId=${sb.info.locationId}`;

afterEach(async () => {
  await sb.close();
});

describe('scopes', () => {
  beforeEach(() => startWith());

  it('a readonly PIT reads but cannot write', async () => {
    const token = await pit(['contacts.readonly'], { locationId: sb.info.locationId });
    const read = await sb.api<{ contacts: unknown[] }>('GET', listPath(), { token });
    expect(read.status).toBe(200);
    expect(read.body.contacts.length).toBe(3);
    const write = await sb.api<ErrorBody>('POST', '/contacts/', { token, body: { locationId: sb.info.locationId, email: 'ro@example.com' } });
    expect(write.status).toBe(401);
    expect(write.body).toMatchObject({ statusCode: 401, message: 'The token is not authorized for this scope.' });
    const contacts = await sb.api<{ contacts: Array<{ email?: string }> }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`, { token: null });
    expect(contacts.body.contacts.some((c) => c.email === 'ro@example.com')).toBe(false);
  });

  it('contacts.write implies contacts.readonly', async () => {
    const token = await pit(['contacts.write'], { locationId: sb.info.locationId });
    expect((await sb.api('GET', listPath(), { token })).status).toBe(200);
  });

  it('a PIT without contact scopes is refused on reads', async () => {
    const token = await pit(['locations.readonly'], { locationId: sb.info.locationId });
    const res = await sb.api<ErrorBody>('GET', listPath(), { token });
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('The token is not authorized for this scope.');
  });

  it('an agency PIT cannot use contacts endpoints', async () => {
    const token = await pit(['contacts.readonly', 'contacts.write'], { companyId: sb.info.companyId });
    const res = await sb.api<ErrorBody>('GET', listPath(), { token });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, message: 'The token is not authorized for this scope.' });
  });

  it('an OAuth token carries only the scopes granted on the authorization page', async () => {
    const tokens = await exchange(await authorize({ location_id: sb.info.locationId }, 'contacts.readonly'));
    expect(tokens.scope).toBe('contacts.readonly');
    expect((await sb.api('GET', listPath(), { token: tokens.access_token })).status).toBe(200);
    const write = await sb.api<ErrorBody>('POST', '/contacts/', { token: tokens.access_token, body: { locationId: sb.info.locationId, firstName: 'No' } });
    expect(write.status).toBe(401);
  });

  it('missing, malformed and unknown tokens answer 401 Invalid JWT', async () => {
    for (const token of [null, 'not-a-token', 'pit-00000000']) {
      const res = await sb.api<ErrorBody>('GET', listPath(), { token });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized' });
    }
    const res = await sb.api<ErrorBody>('GET', listPath(), { headers: { authorization: `Basic ${sb.info.pit}` }, token: null });
    expect(res.status).toBe(401);
  });
});

describe('location isolation', () => {
  beforeEach(() => startWith());

  it("a location's PIT cannot read, list, create or change another location's contacts", async () => {
    const other = sb.info.locations[1]!.id;
    const theirs = await sb.api<{ contacts: Array<{ id: string }> }>('GET', `/_sandbox/locations/${other}/contacts`, { token: null });
    const foreignId = theirs.body.contacts[0]!.id;
    const attempts = [
      await sb.api<ErrorBody>('GET', `/contacts/${foreignId}`),
      await sb.api<ErrorBody>('PUT', `/contacts/${foreignId}`, { body: { firstName: 'Hacked' } }),
      await sb.api<ErrorBody>('DELETE', `/contacts/${foreignId}`),
      await sb.api<ErrorBody>('POST', `/contacts/${foreignId}/notes`, { body: { body: 'x' } }),
      await sb.api<ErrorBody>('GET', `/contacts/?locationId=${other}`),
      await sb.api<ErrorBody>('POST', '/contacts/', { body: { locationId: other, firstName: 'Intruder' } }),
      await sb.api<ErrorBody>('POST', '/contacts/search', { body: { locationId: other, pageLimit: 10 } }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, message: 'The token does not have access to this location.' });
    }
    const after = await sb.api<{ contacts: Array<{ id: string; firstName?: string }> }>('GET', `/_sandbox/locations/${other}/contacts`, { token: null });
    expect(after.body.contacts.map((c) => c.id).sort()).toEqual(theirs.body.contacts.map((c) => c.id).sort());
    expect(after.body.contacts.some((c) => c.firstName === 'Hacked' || c.firstName === 'Intruder')).toBe(false);
  });

  it('an OAuth location token is limited to its location', async () => {
    const tokens = await exchange(await authorize({ location_id: sb.info.locationId }));
    expect(tokens.locationId).toBe(sb.info.locationId);
    const other = sb.info.locations[1]!.id;
    const res = await sb.api<ErrorBody>('GET', `/contacts/?locationId=${other}`, { token: tokens.access_token });
    expect(res.status).toBe(403);
  });
});

describe('OAuth code and refresh-token rotation', () => {
  beforeEach(() => startWith());

  it('exchanges a code once; the token works; the code cannot be reused', async () => {
    const code = await authorize({ location_id: sb.info.locationId });
    const tokens = await exchange(code);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 86399, userType: 'Location', locationId: sb.info.locationId, companyId: sb.info.companyId });
    expect(tokens.scope.split(' ')).toContain('contacts.write');
    const res = await sb.api<{ contacts: unknown[] }>('GET', listPath(), { token: tokens.access_token });
    expect(res.status).toBe(200);
    const again = await tokenRequest({ grant_type: 'authorization_code', code, user_type: 'Location' });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('refuses a wrong client secret with 401', async () => {
    const code = await authorize({ location_id: sb.info.locationId });
    const form = new URLSearchParams({ client_id: sb.info.clientId, client_secret: 'wrong', grant_type: 'authorization_code', code });
    const res = await sb.api<ErrorBody>('POST', '/oauth/token', { raw: form.toString(), headers: FORM, token: null, version: null });
    expect(res.status).toBe(401);
    expect(res.body.statusCode).toBe(401);
  });

  it('rotates the refresh token: the new one works, the old one is rejected', async () => {
    const first = await exchange(await authorize({ location_id: sb.info.locationId }));
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect(second.body.locationId).toBe(sb.info.locationId);
    expect((await sb.api('GET', listPath(), { token: second.body.access_token })).status).toBe(200);

    // a refresh token is not a bearer token
    expect((await sb.api('GET', listPath(), { token: second.body.refresh_token })).status).toBe(401);

    const reuse = await refresh(first.refresh_token);
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({ statusCode: 400, error: 'invalid_grant' });

    const third = await refresh(second.body.refresh_token);
    expect(third.status).toBe(200);
    expect((await sb.api('GET', listPath(), { token: third.body.access_token })).status).toBe(200);
  });

  it('refuses an unknown refresh token', async () => {
    const res = await refresh('sbx_rt_unknown');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });
});

describe('expiry and revocation', () => {
  it('expire-all makes access tokens answer 401; a refresh gives a working token; PITs never expire', async () => {
    await startWith();
    const tokens = await exchange(await authorize({ location_id: sb.info.locationId }));
    expect((await sb.api('GET', listPath(), { token: tokens.access_token })).status).toBe(200);
    const expired = await sb.api<{ expired: number }>('POST', '/_sandbox/tokens/expire-all', { token: null });
    expect(expired.status).toBe(200);
    expect(expired.body.expired).toBe(1);
    const res = await sb.api<ErrorBody>('GET', listPath(), { token: tokens.access_token });
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Invalid JWT');
    expect((await sb.api('GET', listPath())).status).toBe(200);
    const renewed = await refresh(tokens.refresh_token);
    expect(renewed.status).toBe(200);
    expect((await sb.api('GET', listPath(), { token: renewed.body.access_token })).status).toBe(200);
  });

  it('an access token lives accessTokenTtlSeconds', async () => {
    await startWith({ config: { accessTokenTtlSeconds: 1 } });
    const tokens = await exchange(await authorize({ location_id: sb.info.locationId }));
    expect(tokens.expires_in).toBe(1);
    expect((await sb.api('GET', listPath(), { token: tokens.access_token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1050));
    expect((await sb.api('GET', listPath(), { token: tokens.access_token })).status).toBe(401);
  });

  it('a revoked access token or PIT answers 401; a revoked refresh token cannot refresh', async () => {
    await startWith();
    const tokens = await exchange(await authorize({ location_id: sb.info.locationId }));
    const revoke = (token: string) => sb.api<{ ok: boolean }>('POST', '/_sandbox/tokens/revoke', { body: { token }, token: null });

    expect((await revoke(tokens.access_token)).status).toBe(200);
    expect((await sb.api('GET', listPath(), { token: tokens.access_token })).status).toBe(401);

    expect((await revoke(tokens.refresh_token)).status).toBe(200);
    const res = await refresh(tokens.refresh_token);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');

    expect((await revoke(sb.info.pit)).status).toBe(200);
    expect((await sb.api('GET', listPath())).status).toBe(401);

    expect((await revoke('no-such-token')).status).toBe(404);
  });
});

describe('location token from an agency token', () => {
  beforeEach(() => startWith());

  const locationTokenRequest = (token: string, companyId: string, locationId: string) =>
    sb.api<TokenAnswer & ErrorBody & { appId: string }>('POST', '/oauth/locationToken', {
      raw: new URLSearchParams({ companyId, locationId }).toString(),
      headers: FORM,
      token,
    });

  it('mints a working location token for each location of the agency', async () => {
    const agency = await exchange(await authorize({ company_id: sb.info.companyId }), 'Company');
    expect(agency.userType).toBe('Company');
    expect(agency.locationId).toBeUndefined();
    // the agency token itself cannot use contacts endpoints
    expect((await sb.api('GET', listPath(), { token: agency.access_token })).status).toBe(401);

    for (const location of sb.info.locations) {
      const res = await locationTokenRequest(agency.access_token, sb.info.companyId, location.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', locationId: location.id });
      expect(typeof res.body.refresh_token).toBe('string');
      const list = await sb.api<{ contacts: Array<{ locationId: string }> }>('GET', `/contacts/?locationId=${location.id}`, { token: res.body.access_token });
      expect(list.status).toBe(200);
      expect(list.body.contacts.length).toBeGreaterThan(0);
      expect(list.body.contacts.every((c) => c.locationId === location.id)).toBe(true);
      const elsewhere = sb.info.locations.find((l) => l.id !== location.id)!;
      expect((await sb.api('GET', `/contacts/?locationId=${elsewhere.id}`, { token: res.body.access_token })).status).toBe(403);
    }
  });

  it('refuses a location token to a location token, a PIT, and another company', async () => {
    const agency = await exchange(await authorize({ company_id: sb.info.companyId }), 'Company');
    const location = await exchange(await authorize({ location_id: sb.info.locationId }));
    const byLocation = await locationTokenRequest(location.access_token, sb.info.companyId, sb.info.locationId);
    expect(byLocation.status).toBe(401);
    expect(byLocation.body.message).toBe("Token's user type mismatch!");
    expect((await locationTokenRequest(sb.info.pit, sb.info.companyId, sb.info.locationId)).status).toBe(401);
    const foreign = await locationTokenRequest(agency.access_token, 'someOtherCompany', sb.info.locationId);
    expect(foreign.status).toBe(403);
    const missing = await sb.api<ErrorBody>('POST', '/oauth/locationToken', { raw: `companyId=${sb.info.companyId}`, headers: FORM, token: agency.access_token });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toContain('locationId should not be empty');
  });
});
