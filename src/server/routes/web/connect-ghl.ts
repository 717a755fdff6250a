import { setCookie } from 'hono/cookie';
import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { oauthClientOf } from '../../oauth/client.js';
import { cookiePathOf, createOAuthState, STATE_TTL_MS } from '../../oauth/states.js';
import { consumeConnectTicket, TICKET_TTL_MS } from '../../oauth/tickets.js';
import { defineRoute } from '../contract.js';

/** The cookie that binds a state to the browser that started the flow. */
export const STATE_COOKIE = 'ghlb_oauth_nonce';

/** Where the marketplace sends the browser back: configured, or this server's `/oauth/callback`. */
export function redirectUriOf(configured: string | undefined, publicUrl: string): string {
  return configured ?? `${publicUrl}/oauth/callback`;
}

const HOW_TO_GET_ONE = `connect links are issued by the operator, used once and valid for ${TICKET_TTL_MS / 60_000} minutes: run \`ghl-bridge connect ghl\` (or POST /api/v1/connect/ghl with the admin token) and open the link it prints`;

const REFUSED: Record<string, string> = {
  missing: `a connect link is needed: ${HOW_TO_GET_ONE}`,
  unknown: `this connect link was not issued by this server: ${HOW_TO_GET_ONE}`,
  used: `this connect link was already used: ${HOW_TO_GET_ONE}`,
  expired: `this connect link expired: ${HOW_TO_GET_ONE}`,
};

export default defineRoute({
  method: 'GET',
  path: '/connect/ghl',
  summary: 'Connect a GHL location from an admin-issued link: redirects to the marketplace authorize page with a state bound to this browser',
  tag: 'oauth',
  auth: false,
  // optional so a link without its ticket gets the 403 that says how to get one, not a bare 400
  query: z.strictObject({ ticket: z.string().min(1).max(200).optional() }),
  responses: { 302: { description: 'to the authorize page' }, 403: { description: 'no ticket, or a forged, used or expired one' }, 404: { description: 'OAuth is not configured' } },
  async handler({ c, query, server, log }) {
    const { config, db } = server.bridge;
    const client = oauthClientOf(config);
    if (!client) throw new ApiError(404, 'oauth-not-configured', 'GHL OAuth is not configured: set ghl.oauth.clientId in the config file and env GHL_CLIENT_SECRET (or connect a location with a Private Integration Token)');
    c.header('cache-control', 'no-store');
    const ticket = await consumeConnectTicket(db, query.ticket, Date.now());
    if (!ticket.ok) {
      log.warn({ reason: ticket.reason }, 'connect link refused');
      throw new ApiError(403, `ticket-${ticket.reason}`, REFUSED[ticket.reason]!, 'ticket');
    }
    const redirectUri = redirectUriOf(config.ghl.oauth?.redirectUri, server.publicUrl());
    const { state, nonce } = await createOAuthState(db, redirectUri, Date.now(), ticket.connectionId);
    // the callback's own path, so a proxy prefix (`/bridge/oauth/callback`) still gets the cookie
    setCookie(c, STATE_COOKIE, nonce, { httpOnly: true, sameSite: 'Lax', path: cookiePathOf(redirectUri), maxAge: STATE_TTL_MS / 1000, secure: redirectUri.startsWith('https:') });
    return c.redirect(client.oauth.authorizationUrl({ redirectUri, scopes: client.scopes, state }), 302);
  },
});
