import { GhlAuthenticationError } from '../core/errors.js';
import type { GhlRequest } from '../core/types.js';
import type { OAuthClient } from '../oauth/index.js';
import { asReauthorization, GhlReauthorizationRequiredError, isPermissionRefusal } from './errors.js';
import { createRenewal } from './renewal.js';
import type { StoredTokens, TokenProvider, TokenStore } from './types.js';

/** A provider that always renews after a 401 (or throws why it cannot). */
export interface RenewingTokenProvider extends TokenProvider {
  refresh(rejected: string, request: GhlRequest): Promise<string>;
}

/**
 * A Private Integration Token (or any fixed bearer token). It never refreshes: a 401 surfaces.
 *
 * @example
 * const send = compose([headers(), auth(staticToken(process.env.GHL_PIT!))], fetchTransport({ baseUrl }));
 */
export function staticToken(token: string): TokenProvider {
  if (typeof token !== 'string' || token.trim() === '') throw new TypeError('staticToken needs a non-empty token');
  return { token: async () => token };
}

export interface OAuthTokensOptions {
  oauth: Pick<OAuthClient, 'refresh' | 'toStoredTokens'>;
  store: TokenStore;
  /** The connection's key in the store, e.g. `location:<locationId>`. */
  key: string;
  /** Renew this long before `expiresAt` (default 60 000 ms). */
  refreshSkewMs?: number;
  now?: () => number;
}

function missing(key: string, request: GhlRequest | null, what: string): GhlReauthorizationRequiredError {
  return new GhlReauthorizationRequiredError(`connection "${key}" has ${what}; authorize it again`, { status: null, method: request?.method ?? 'POST', path: request?.path ?? '/oauth/token' }, key);
}

/**
 * OAuth tokens of one connection (a location or an agency) kept in a `TokenStore`: renewed with
 * the refresh token ahead of expiry (`refreshSkewMs`) and once after a 401, single-flight per key
 * in this process and under the store's lock, so a rotated refresh token is spent once. A refused
 * refresh throws `GhlReauthorizationRequiredError`.
 *
 * @example
 * const store = new MemoryTokenStore();
 * await store.set('location:abc', oauth.toStoredTokens(await oauth.exchangeCode({ code }), Date.now()));
 * const send = compose([headers(), auth(oauthTokens({ oauth, store, key: 'location:abc' }))], fetchTransport({ baseUrl }));
 */
export function oauthTokens(options: OAuthTokensOptions): RenewingTokenProvider {
  const { oauth, store, key } = options;
  const now = options.now ?? Date.now;
  const renewal = createRenewal(store, now, options.refreshSkewMs ?? 60_000);

  const obtain = (request: GhlRequest) => async (current: StoredTokens | null): Promise<StoredTokens> => {
    if (!current) throw missing(key, request, 'no stored tokens');
    if (!current.refreshToken) throw missing(key, request, 'no refresh token');
    let answer;
    try {
      answer = await oauth.refresh({ refreshToken: current.refreshToken, userType: current.userType });
    } catch (error) {
      throw asReauthorization(error, key);
    }
    const fresh = oauth.toStoredTokens(answer, now());
    // keep what the refresh answer does not repeat (ids, and the refresh token if not rotated)
    return { ...current, ...fresh, refreshToken: fresh.refreshToken ?? current.refreshToken };
  };

  return {
    async token(request) {
      const current = await store.get(key);
      if (current && renewal.usable(key, current)) return current.accessToken;
      return renewal.renew(key, null, obtain(request));
    },
    async refresh(rejected, request) {
      return renewal.renew(key, rejected, obtain(request));
    },
  };
}

export interface AgencyLocationTokensOptions {
  oauth: Pick<OAuthClient, 'refresh' | 'locationToken' | 'toStoredTokens'>;
  store: TokenStore;
  /** Key of the agency (Company) tokens in the store; they must carry `companyId`. */
  agencyKey: string;
  /** Key of a location's minted token (default `<agencyKey>:location:<locationId>`). */
  locationKey?: (locationId: string) => string;
  refreshSkewMs?: number;
  now?: () => number;
}

/**
 * Location tokens minted from an agency token (`POST /oauth/locationToken`) for the location in
 * `request.resourceId`, cached in the store and minted again when they expire or draw a 401.
 * The agency token itself is renewed like {@link oauthTokens}. Minted tokens are stored without
 * their refresh token: renewal always goes through the agency.
 *
 * @example
 * await store.set('agency:co1', oauth.toStoredTokens(await oauth.exchangeCode({ code, userType: 'Company' }), Date.now()));
 * const send = compose([headers(), auth(agencyLocationTokens({ oauth, store, agencyKey: 'agency:co1' }))], fetchTransport({ baseUrl }));
 * await createCall(send)({ method: 'GET', path: '/contacts/', query: { locationId }, resourceId: locationId, idempotent: true });
 */
export function agencyLocationTokens(options: AgencyLocationTokensOptions): RenewingTokenProvider {
  const { oauth, store, agencyKey } = options;
  const now = options.now ?? Date.now;
  const agency = oauthTokens({ oauth, store, key: agencyKey, refreshSkewMs: options.refreshSkewMs, now });
  const keyOf = options.locationKey ?? ((locationId: string) => `${agencyKey}:location:${locationId}`);
  const renewal = createRenewal(store, now, options.refreshSkewMs ?? 60_000);

  const locationOf = (request: GhlRequest): string => {
    if (!request.resourceId) throw new TypeError(`agencyLocationTokens needs request.resourceId (the locationId) for ${request.method} ${request.path}`);
    return request.resourceId;
  };

  const mint = (request: GhlRequest, locationId: string) => async (): Promise<StoredTokens> => {
    const companyId = (await store.get(agencyKey))?.companyId;
    if (!companyId) throw missing(agencyKey, request, 'no stored agency tokens with a companyId');
    let agencyAccessToken = await agency.token(request);
    let answer;
    try {
      answer = await oauth.locationToken({ companyId, locationId, agencyAccessToken });
    } catch (error) {
      // the agency token was refused: renew it once and mint again
      if (!(error instanceof GhlAuthenticationError) || error.status !== 401 || isPermissionRefusal(error.body)) throw error;
      agencyAccessToken = await agency.refresh(agencyAccessToken, request);
      answer = await oauth.locationToken({ companyId, locationId, agencyAccessToken });
    }
    return { ...oauth.toStoredTokens(answer, now()), refreshToken: null, userType: 'Location', companyId, locationId };
  };

  return {
    async token(request) {
      const locationId = locationOf(request);
      const current = await store.get(keyOf(locationId));
      if (current && renewal.usable(keyOf(locationId), current)) return current.accessToken;
      return renewal.renew(keyOf(locationId), null, mint(request, locationId));
    },
    async refresh(rejected, request) {
      const locationId = locationOf(request);
      return renewal.renew(keyOf(locationId), rejected, mint(request, locationId));
    },
  };
}

