import { afterEach, describe, expect, it } from 'vitest';
import { createGhlClient, GhlDuplicateContactError, GhlForbiddenError, MemoryTokenStore, type ResponseEvent } from '../../../src/ghl/index.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/** The assembled client (`createGhlClient`) against the sandbox over real HTTP. */
let sb: TestSandbox;
afterEach(() => sb.close());

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('createGhlClient', () => {
  it('with a PIT: typed calls, paced under the learned burst limit, redacted events', async () => {
    sb = await startSandbox({ config: { rateLimit: { enabled: true, max: 20, intervalMs: 1000 } } });
    const events: ResponseEvent[] = [];
    const ghl = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId: sb.info.locationId, observer: { onResponse: (e) => events.push(e) } });
    const { contact } = await ghl.contacts.create({ email: 'client@example.com', firstName: 'Cli' });
    const results = await Promise.all(Array.from({ length: 60 }, () => ghl.contacts.get(contact.id)));
    expect(results.every((r) => r.contact.email === 'client@example.com')).toBe(true);
    expect(events.filter((e) => e.status === 429)).toEqual([]);
    expect(events).toHaveLength(61);
    expect(events[0]!.headers.authorization).toBe('[REDACTED]');
    expect(JSON.stringify(events)).not.toContain(sb.info.pit);

    const dup = await ghl.contacts.create({ email: 'CLIENT@example.com' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(GhlDuplicateContactError);
    expect(dup).toMatchObject({ existingContactId: contact.id, matchingField: 'email' });
    const foreign = await ghl.contacts.list({ locationId: sb.info.locations[1]!.id }).catch((e: unknown) => e);
    expect(foreign).toBeInstanceOf(GhlForbiddenError);
  });

  it('with OAuth tokens in a store: refreshes an expired token once and keeps the rotated refresh token', async () => {
    sb = await startSandbox();
    const store = new MemoryTokenStore();
    const ghl = createGhlClient({
      baseUrl: sb.url,
      oauth: { clientId: sb.info.clientId, clientSecret: sb.info.clientSecret, authorizeBaseUrl: sb.url },
      auth: { oauthTokens: { store, key: 'loc' } },
      locationId: sb.info.locationId,
    });
    const url = new URL(ghl.oauth!.authorizationUrl({ redirectUri: sb.info.redirectUri, scopes: ['contacts.readonly', 'contacts.write'], state: 'st' }));
    const form = new URLSearchParams({ ...Object.fromEntries(url.searchParams), location_id: sb.info.locationId });
    const chosen = await fetch(url, { method: 'POST', body: form.toString(), headers: FORM, redirect: 'manual' });
    const code = new URL(chosen.headers.get('location')!).searchParams.get('code')!;
    const tokens = await ghl.oauth!.exchangeCode({ code, redirectUri: sb.info.redirectUri });
    await store.set('loc', ghl.oauth!.toStoredTokens(tokens, Date.now()));

    expect((await ghl.contacts.list({ limit: 1 })).contacts).toHaveLength(1);
    await sb.api('POST', '/_sandbox/tokens/expire-all', { token: null });
    const before = (await sb.api<{ byRoute: Record<string, Record<string, number>> }>('GET', '/_sandbox/requests/stats', { token: null })).body.byRoute['get-access-token'];
    const all = await Promise.all(Array.from({ length: 20 }, () => ghl.contacts.list({ limit: 1 })));
    expect(all).toHaveLength(20);
    const after = (await sb.api<{ byRoute: Record<string, Record<string, number>> }>('GET', '/_sandbox/requests/stats', { token: null })).body.byRoute['get-access-token'];
    expect((after?.['200'] ?? 0) - (before?.['200'] ?? 0)).toBe(1);
    const stored = await store.get('loc');
    expect(stored!.refreshToken).not.toBe(tokens.refresh_token);
    const reuse = await sb.api('POST', '/oauth/token', { raw: new URLSearchParams({ client_id: sb.info.clientId, client_secret: sb.info.clientSecret, grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }).toString(), headers: FORM, token: null, version: null });
    expect(reuse.status).toBe(400);
  });

  it('refuses OAuth providers without app credentials', () => {
    expect(() => createGhlClient({ auth: { oauthTokens: { store: new MemoryTokenStore(), key: 'k' } } })).toThrow('need the `oauth` option');
  });
});
