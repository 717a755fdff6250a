/**
 * Authentication for the HighLevel client: token providers (PIT, OAuth location or agency
 * tokens, location tokens minted from an agency token), the in-memory token store, and the
 * `auth` layer that sets the bearer token and renews once on a 401.
 *
 * @example
 * import { auth, MemoryTokenStore, oauthTokens } from './ghl/auth/index.js';
 * const send = compose([headers(), auth(oauthTokens({ oauth, store: new MemoryTokenStore(), key }))], fetchTransport({ baseUrl }));
 */
export type { StoredTokens, TokenProvider, TokenStore } from './types.js';
export { MemoryTokenStore } from './memory-token-store.js';
export { agencyLocationTokens, oauthTokens, staticToken } from './providers.js';
export type { AgencyLocationTokensOptions, OAuthTokensOptions, RenewingTokenProvider } from './providers.js';
export { auth, isAuthRetry } from './layer.js';
export { GhlReauthorizationRequiredError, isPermissionRefusal } from './errors.js';
