import type { GhlRequest, Layer } from '../core/types.js';
import { isPermissionRefusal } from './errors.js';
import type { TokenProvider } from './types.js';

/** Marks a request the auth layer has already resent after a 401 (survives `{ ...request }`). */
const AUTH_RETRY: unique symbol = Symbol('ghl-bridge.auth-retry');

type MarkedRequest = GhlRequest & { [AUTH_RETRY]?: true };

/** Whether `request` is the auth layer's resend after a 401 (it is never refreshed again). */
export function isAuthRetry(request: GhlRequest): boolean {
  return (request as MarkedRequest)[AUTH_RETRY] === true;
}

function hasAuthorization(headers: GhlRequest['headers']): boolean {
  return Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'authorization');
}

function withBearer(request: GhlRequest, token: string): GhlRequest {
  return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
}

/**
 * Sets `authorization: Bearer <token>` from the provider (not on anonymous requests, nor when the
 * caller set an Authorization header itself, as the OAuth client does with the agency token).
 * On a 401 it asks `provider.refresh` once and resends; the resend is marked so it is never
 * refreshed again. A 401 that refuses a scope or token class ("not authorized for this scope",
 * "user type mismatch") is returned as is: a new token would have the same rights.
 *
 * @example
 * const send = compose([headers(), auth(oauthTokens({ oauth, store, key: 'location:abc' }))], fetchTransport({ baseUrl }));
 * const contacts = await createCall(send)({ method: 'GET', path: '/contacts/', query: { locationId: 'abc' }, resourceId: 'abc', idempotent: true });
 */
export function auth(provider: TokenProvider): Layer {
  return (next) => async (request) => {
    if (request.anonymous || hasAuthorization(request.headers)) return next(request);
    const token = await provider.token(request);
    const response = await next(withBearer(request, token));
    if (response.status !== 401 || !provider.refresh || isAuthRetry(request) || isPermissionRefusal(response.body)) return response;
    const fresh = await provider.refresh(token, request);
    if (fresh === null) return response;
    const retry: MarkedRequest = { ...withBearer(request, fresh), [AUTH_RETRY]: true };
    return next(retry);
  };
}
