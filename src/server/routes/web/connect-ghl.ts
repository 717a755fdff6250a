import { setCookie } from 'hono/cookie';
import { ApiError } from '../../http/errors.js';
import { oauthClientOf } from '../../oauth/client.js';
import { createOAuthState, STATE_TTL_MS } from '../../oauth/states.js';
import { defineRoute } from '../contract.js';

/** The cookie that binds a state to the browser that started the flow. */
export const STATE_COOKIE = 'ghlb_oauth_nonce';

/** Where the marketplace sends the browser back: configured, or this server's `/oauth/callback`. */
export function redirectUriOf(configured: string | undefined, publicUrl: string): string {
  return configured ?? `${publicUrl}/oauth/callback`;
}

export default defineRoute({
  method: 'GET',
  path: '/connect/ghl',
  summary: 'Connect a GHL location: redirects to the marketplace authorize page with a state bound to this browser',
  tag: 'oauth',
  auth: false,
  responses: { 302: { description: 'to the authorize page' }, 404: { description: 'OAuth is not configured' } },
  async handler({ c, server }) {
    const { config } = server.bridge;
    const client = oauthClientOf(config);
    if (!client) throw new ApiError(404, 'oauth-not-configured', 'GHL OAuth is not configured: set ghl.oauth.clientId in the config file and env GHL_CLIENT_SECRET (or connect a location with a Private Integration Token)');
    const redirectUri = redirectUriOf(config.ghl.oauth?.redirectUri, server.publicUrl());
    const { state, nonce } = await createOAuthState(server.bridge.db, redirectUri, Date.now());
    setCookie(c, STATE_COOKIE, nonce, { httpOnly: true, sameSite: 'Lax', path: '/oauth', maxAge: STATE_TTL_MS / 1000, secure: redirectUri.startsWith('https:') });
    c.header('cache-control', 'no-store');
    return c.redirect(client.oauth.authorizationUrl({ redirectUri, scopes: client.scopes, state }), 302);
  },
});
