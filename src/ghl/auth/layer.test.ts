import { describe, expect, it } from 'vitest';
import { createCall } from '../core/call.js';
import { GhlAuthenticationError } from '../core/errors.js';
import { compose, type GhlRequest } from '../core/types.js';
import { createOAuthClient } from '../oauth/index.js';
import { scriptedTransport, type ScriptStep } from '../testing/scripted-transport.js';
import { auth, isAuthRetry } from './layer.js';
import { MemoryTokenStore } from './memory-token-store.js';
import { oauthTokens, staticToken } from './providers.js';
import type { TokenProvider } from './types.js';

const get: GhlRequest = { method: 'GET', path: '/contacts/', query: { locationId: 'loc1' }, idempotent: true, resourceId: 'loc1' };
const ok: ScriptStep = { status: 200, body: { contacts: [] } };
const invalid: ScriptStep = { status: 401, body: { statusCode: 401, message: 'Invalid JWT', error: 'Unauthorized' } };

/** A provider that hands out tok-1, then tok-2, … on each refresh, counting calls. */
function countingProvider(answer: (n: number) => string | null = (n) => `tok-${n + 1}`) {
  const calls: Array<{ rejected: string; request: GhlRequest }> = [];
  const provider: Required<TokenProvider> = {
    token: async () => 'tok-1',
    refresh: async (rejected, request) => {
      calls.push({ rejected, request });
      return answer(calls.length);
    },
  };
  return { provider, calls };
}

describe('auth layer', () => {
  it('sets the bearer token from the provider', async () => {
    const t = scriptedTransport([ok]);
    const response = await compose([auth(staticToken('pit-1'))], t.send)(get);
    expect(response.status).toBe(200);
    expect(t.requests[0]!.headers).toEqual({ authorization: 'Bearer pit-1' });
  });

  it('leaves anonymous requests and requests with their own Authorization alone', async () => {
    const t = scriptedTransport([ok, ok]);
    const { provider, calls } = countingProvider();
    let asked = 0;
    const send = compose([auth({ ...provider, token: async () => `tok-${++asked}` })], t.send);
    await send({ method: 'POST', path: '/oauth/token', form: {}, anonymous: true, idempotent: false });
    await send({ ...get, headers: { Authorization: 'Bearer agency' } });
    expect(t.requests[0]!.headers).toBeUndefined();
    expect(t.requests[1]!.headers).toEqual({ Authorization: 'Bearer agency' });
    expect(asked).toBe(0);
    expect(calls).toHaveLength(0);
  });

  it('on a 401 refreshes once and resends with the new token, marked as the retry', async () => {
    const t = scriptedTransport([invalid, ok]);
    const { provider, calls } = countingProvider();
    const response = await compose([auth(provider)], t.send)(get);
    expect(response.status).toBe(200);
    expect(calls.map((c) => c.rejected)).toEqual(['tok-1']);
    expect(calls[0]!.request).toBe(get);
    expect(t.requests.map((r) => r.headers?.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(isAuthRetry(t.requests[0]!)).toBe(false);
    expect(isAuthRetry(t.requests[1]!)).toBe(true);
    // the mark survives copies made by inner layers
    expect(isAuthRetry({ ...t.requests[1]! })).toBe(true);
  });

  it('a second 401 surfaces: never two refreshes for one request', async () => {
    const t = scriptedTransport([invalid, invalid]);
    const { provider, calls } = countingProvider();
    const error = await createCall(compose([auth(provider)], t.send))(get).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlAuthenticationError);
    expect(calls).toHaveLength(1);
    expect(t.requests).toHaveLength(2);
  });

  it('a marked request resent by an outer layer (e.g. retry) is not refreshed again', async () => {
    const t = scriptedTransport([invalid, ok, invalid]);
    const { provider, calls } = countingProvider();
    const send = compose([auth(provider)], t.send);
    expect((await send(get)).status).toBe(200);
    const resent = { ...t.requests[1]!, headers: {}, attempt: 2 }; // still carries the mark
    expect((await send(resent)).status).toBe(401);
    expect(calls).toHaveLength(1);
    expect(t.requests).toHaveLength(3);
  });

  it('returns the 401 as is when the provider has nothing better (null) or cannot refresh', async () => {
    const t = scriptedTransport([invalid, invalid]);
    const { provider, calls } = countingProvider(() => null);
    expect((await compose([auth(provider)], t.send)(get)).status).toBe(401);
    expect(calls).toHaveLength(1);
    expect((await compose([auth(staticToken('pit'))], t.send)(get)).status).toBe(401);
    expect(t.requests).toHaveLength(2);
  });

  it('does not refresh for a scope or token-class refusal', async () => {
    const t = scriptedTransport([
      { status: 401, body: { statusCode: 401, message: 'The token is not authorized for this scope.' } },
      { status: 401, body: { statusCode: 401, message: "Token's user type mismatch!" } },
    ]);
    const { provider, calls } = countingProvider();
    const send = compose([auth(provider)], t.send);
    expect((await send(get)).status).toBe(401);
    expect((await send(get)).status).toBe(401);
    expect(calls).toHaveLength(0);
    expect(t.requests).toHaveLength(2);
  });

  it('propagates a provider failure without sending', async () => {
    const t = scriptedTransport([]);
    const failing: TokenProvider = { token: async () => Promise.reject(new Error('store down')) };
    await expect(compose([auth(failing)], t.send)(get)).rejects.toThrow('store down');
    expect(t.requests).toHaveLength(0);
  });

  it('100 concurrent calls with a token the server expired: one refresh, 100 successes', async () => {
    const refreshStep = (r: GhlRequest): ScriptStep => (r.path === '/oauth/token' ? { status: 200, body: { access_token: 'new', refresh_token: 'rt-2', expires_in: 86_399, userId: 'u' }, delayMs: 5 } : answer(r));
    const answer = (r: GhlRequest): ScriptStep => (r.headers?.authorization === 'Bearer new' ? ok : { ...invalid, delayMs: 1 });
    const t = scriptedTransport(Array.from({ length: 201 }, () => refreshStep));
    const oauth = createOAuthClient({ clientId: 'app-1', clientSecret: 'secret', send: t.send });
    const store = new MemoryTokenStore({ c: { accessToken: 'old', refreshToken: 'rt-1', expiresAt: Date.now() + 3_600_000 } });
    const call = createCall(compose([auth(oauthTokens({ oauth, store, key: 'c' }))], t.send));
    const results = await Promise.all(Array.from({ length: 100 }, () => call<{ contacts: unknown[] }>(get)));
    expect(results.every((r) => Array.isArray(r.contacts))).toBe(true);
    expect(t.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    expect(t.requests.filter((r) => r.headers?.authorization === 'Bearer old')).toHaveLength(100);
    expect(t.requests.filter((r) => r.headers?.authorization === 'Bearer new')).toHaveLength(100);
    expect(t.remaining()).toBe(0);
    expect((await store.get('c'))!.refreshToken).toBe('rt-2');
  });
});
