import type { BridgeConfig } from '../../config/index.js';
import { createGhlClient, type OAuthClient } from '../../ghl/index.js';
import type { Observer } from '../../ghl/layers/observe.js';

/**
 * The marketplace app's OAuth client from the configuration, or null when `ghl.oauth` (and env
 * `GHL_CLIENT_SECRET`) are not configured. It only talks to the token endpoint.
 *
 * @example
 * const oauth = oauthClientOf(config);
 * if (oauth) res.redirect(oauth.authorizationUrl({ redirectUri, scopes, state }));
 */
export function oauthClientOf(config: BridgeConfig, observer?: Observer): { oauth: OAuthClient; clientId: string; scopes: string[] } | null {
  const o = config.ghl.oauth;
  if (!o || !config.ghlClientSecret) return null;
  const client = createGhlClient({
    baseUrl: config.ghl.baseUrl,
    oauth: { clientId: o.clientId, clientSecret: config.ghlClientSecret, ...(config.ghl.authorizeBaseUrl ? { authorizeBaseUrl: config.ghl.authorizeBaseUrl } : {}) },
    // never used: the OAuth endpoints are anonymous
    auth: { tokenProvider: { token: async () => { throw new Error('the OAuth connect client calls no API'); } } },
    rateBudget: false,
    ...(observer ? { observer } : {}),
  });
  return { oauth: client.oauth!, clientId: o.clientId, scopes: o.scopes };
}
