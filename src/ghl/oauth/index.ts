import { createCall } from '../core/call.js';
import type { Send } from '../core/types.js';
import type { StoredTokens } from '../auth/types.js';
import type {
  GetAccessCodeSuccessfulResponseDto,
  GetInstalledLocationsSuccessfulResponseDto,
  GetLocationAccessTokenSuccessfulResponseDto,
} from '../../spec/index.js';

/**
 * HighLevel's OAuth 2.0 endpoints (ghl-api.md §4): the authorization URL, the token endpoint
 * (code exchange and refresh, form-encoded and anonymous), location tokens minted with an agency
 * token, and the agency's installed locations. Errors are the typed errors of `core/errors.ts`;
 * none of them carries a token, code or the client secret.
 */

export type UserType = 'Location' | 'Company';

/** The token endpoint's answer. */
export type TokenResponse = GetAccessCodeSuccessfulResponseDto;

/**
 * `/oauth/locationToken`'s answer. The v2 spec omits `refresh_token`, but HighLevel added it to the
 * schema (ghl-api.md §4.3, issue #285) and the sandbox sends it.
 */
export type LocationTokenResponse = GetLocationAccessTokenSuccessfulResponseDto & { refresh_token?: string };

export type InstalledLocationsResponse = GetInstalledLocationsSuccessfulResponseDto;

export interface OAuthClientOptions {
  clientId: string;
  clientSecret: string;
  /** Sends to `services.leadconnectorhq.com` (or the sandbox): e.g. `compose([headers()], fetchTransport(…))`, without the auth layer. */
  send: Send;
  /** Host of the authorization page (default https://marketplace.gohighlevel.com). */
  authorizeBaseUrl?: string;
  /** White-label host of the authorization page (default https://marketplace.leadconnectorhq.com). */
  whiteLabelBaseUrl?: string;
}

export interface AuthorizationUrlOptions {
  redirectUri: string;
  scopes: readonly string[];
  /** Opaque anti-CSRF value the callback must carry back; required. */
  state: string;
  /** Use the white-label marketplace host. */
  whiteLabel?: boolean;
  /** `self` opens the login in the same tab (HighLevel's default is a new tab). */
  loginWindowOpenMode?: 'self' | 'new';
}

export interface InstalledLocationsOptions {
  companyId: string;
  /** The app id (default: the client id up to its first `-`, as HighLevel forms it). */
  appId?: string;
  skip?: number | string;
  limit?: number | string;
  query?: string;
  isInstalled?: boolean;
  versionId?: string;
  onTrial?: boolean;
  planId?: string;
  locationId?: string;
  agencyAccessToken: string;
}

export interface OAuthClient {
  /** `…/v2/oauth/chooselocation?response_type=code&client_id=…&redirect_uri=…&scope=…&state=…` */
  authorizationUrl(options: AuthorizationUrlOptions): string;
  /** `grant_type=authorization_code`. A code works once: the request is never repeated. */
  exchangeCode(options: { code: string; redirectUri?: string; userType?: UserType }): Promise<TokenResponse>;
  /** `grant_type=refresh_token`. The answer carries a new refresh token; the used one is dead. */
  refresh(options: { refreshToken: string; userType?: UserType }): Promise<TokenResponse>;
  /** A location token minted with an agency (Company) token (`oauth.write`). */
  locationToken(options: { companyId: string; locationId: string; agencyAccessToken: string }): Promise<LocationTokenResponse>;
  /** The agency's locations and whether the app is installed there (`oauth.readonly`). */
  installedLocations(options: InstalledLocationsOptions): Promise<InstalledLocationsResponse>;
  /** What to keep of a token answer; `expiresAt` = `now` + `expires_in` seconds. */
  toStoredTokens(response: TokenResponse | LocationTokenResponse, now: number): StoredTokens;
}

/** HighLevel's documented access-token lifetime, used when an answer omits `expires_in`. */
export const DEFAULT_EXPIRES_IN_SECONDS = 86_399;

/**
 * Creates the OAuth client.
 *
 * @example
 * const oauth = createOAuthClient({ clientId, clientSecret, send: compose([headers()], fetchTransport({ baseUrl: 'https://services.leadconnectorhq.com' })) });
 * res.redirect(oauth.authorizationUrl({ redirectUri, scopes: ['contacts.readonly', 'contacts.write'], state }));
 * // in the callback, after checking `state`:
 * const tokens = oauth.toStoredTokens(await oauth.exchangeCode({ code, redirectUri }), Date.now());
 */
export function createOAuthClient(options: OAuthClientOptions): OAuthClient {
  const { clientId, clientSecret } = options;
  if (!clientId || !clientSecret) throw new TypeError('createOAuthClient needs clientId and clientSecret');
  const call = createCall(options.send);
  const authorizeBase = options.authorizeBaseUrl ?? 'https://marketplace.gohighlevel.com';
  const whiteLabelBase = options.whiteLabelBaseUrl ?? 'https://marketplace.leadconnectorhq.com';

  const tokenRequest = (form: Record<string, string | undefined>) =>
    call<TokenResponse>({
      method: 'POST',
      path: '/oauth/token',
      operationId: 'get-access-token',
      form: { client_id: clientId, client_secret: clientSecret, ...form },
      anonymous: true,
      // a code or refresh token is single-use: repeating after a lost answer would only fail
      idempotent: false,
    });

  return {
    authorizationUrl(o) {
      if (!o.state) throw new TypeError('authorizationUrl needs a state (anti-CSRF value)');
      if (o.scopes.length === 0) throw new TypeError('authorizationUrl needs at least one scope');
      const params: Array<[string, string]> = [
        ['response_type', 'code'],
        ['redirect_uri', o.redirectUri],
        ['client_id', clientId],
        ['scope', o.scopes.join(' ')],
        ['state', o.state],
      ];
      if (o.loginWindowOpenMode) params.push(['loginWindowOpenMode', o.loginWindowOpenMode]);
      // %20 between scopes, as HighLevel's docs write it (URLSearchParams would write '+')
      const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
      return `${(o.whiteLabel ? whiteLabelBase : authorizeBase).replace(/\/+$/, '')}/v2/oauth/chooselocation?${query}`;
    },

    exchangeCode({ code, redirectUri, userType }) {
      return tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, user_type: userType });
    },

    refresh({ refreshToken, userType }) {
      return tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken, user_type: userType });
    },

    locationToken({ companyId, locationId, agencyAccessToken }) {
      return call<LocationTokenResponse>({
        method: 'POST',
        path: '/oauth/locationToken',
        operationId: 'get-location-access-token',
        form: { companyId, locationId },
        headers: { authorization: `Bearer ${agencyAccessToken}` },
        resourceId: companyId,
        idempotent: true,
      });
    },

    installedLocations({ agencyAccessToken, companyId, appId, ...filters }) {
      return call<InstalledLocationsResponse>({
        method: 'GET',
        path: '/oauth/installedLocations',
        operationId: 'get-installed-location',
        query: { companyId, appId: appId ?? clientId.split('-')[0], ...filters },
        headers: { authorization: `Bearer ${agencyAccessToken}` },
        resourceId: companyId,
        idempotent: true,
      });
    },

    toStoredTokens(response, now) {
      return toStoredTokens(response, now);
    },
  };
}

/**
 * See {@link OAuthClient.toStoredTokens}. Throws when the answer has no access token. A missing
 * `expires_in` counts as HighLevel's documented day; a missing `userType` is `Location` when the
 * answer names a location (location-token answers).
 *
 * @example
 * await store.set('location:abc', toStoredTokens(await oauth.exchangeCode({ code }), Date.now()));
 */
export function toStoredTokens(response: TokenResponse | LocationTokenResponse, now: number): StoredTokens {
  if (typeof response.access_token !== 'string' || response.access_token === '') {
    throw new TypeError('the token answer has no access_token');
  }
  const expiresIn = typeof response.expires_in === 'number' && response.expires_in > 0 ? response.expires_in : DEFAULT_EXPIRES_IN_SECONDS;
  const declared = 'userType' in response ? response.userType : undefined;
  const userType: UserType | undefined = declared === 'Location' || declared === 'Company' ? declared : response.locationId ? 'Location' : undefined;
  const companyId = 'companyId' in response ? response.companyId : undefined;
  return {
    accessToken: response.access_token,
    refreshToken: typeof response.refresh_token === 'string' && response.refresh_token !== '' ? response.refresh_token : null,
    expiresAt: now + expiresIn * 1000,
    ...(response.scope !== undefined ? { scope: response.scope } : {}),
    ...(userType ? { userType } : {}),
    ...(response.locationId ? { locationId: response.locationId } : {}),
    ...(companyId ? { companyId } : {}),
  };
}
