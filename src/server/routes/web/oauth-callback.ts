import { deleteCookie, getCookie } from 'hono/cookie';
import { z } from 'zod';
import { createSqlTokenStore } from '../../../engine/index.js';
import { ApiError } from '../../http/errors.js';
import { oauthClientOf } from '../../oauth/client.js';
import { htmlPage } from '../../oauth/page.js';
import { consumeOAuthState, cookiePathOf } from '../../oauth/states.js';
import { defineRoute } from '../contract.js';
import { STATE_COOKIE } from './connect-ghl.js';

const AGAIN = 'start again with a new connect link (`ghl-bridge connect ghl`)';

const REFUSED: Record<string, string> = {
  unknown: `this sign-in was not started by this server; ${AGAIN}`,
  used: `this sign-in was already completed; ${AGAIN}`,
  expired: `this sign-in expired; ${AGAIN}`,
  cookie: `this sign-in was started in another browser (or cookies are off); ${AGAIN}`,
};

export default defineRoute({
  method: 'GET',
  path: '/oauth/callback',
  summary: 'OAuth callback: checks the state, exchanges the code, stores the sealed tokens and the location connection',
  tag: 'oauth',
  auth: false,
  query: z.strictObject({
    code: z.string().min(1).max(2000).optional(),
    state: z.string().min(1).max(200),
    error: z.string().max(200).optional(),
    error_description: z.string().max(1000).optional(),
  }),
  responses: { 200: { description: 'HTML page naming the connected location', contentType: 'text/html' }, 400: { description: 'forged, reused or expired state' } },
  async handler({ c, query, server, log }) {
    const { bridge } = server;
    const client = oauthClientOf(bridge.config, server.metrics.ghlObserver);
    if (!client) throw new ApiError(404, 'oauth-not-configured', 'GHL OAuth is not configured (ghl.oauth in the config file, env GHL_CLIENT_SECRET)');
    const check = await consumeOAuthState(bridge.db, query.state, getCookie(c, STATE_COOKIE), Date.now());
    if (!check.ok) {
      log.warn({ reason: check.reason }, 'oauth callback refused');
      throw new ApiError(400, `state-${check.reason}`, REFUSED[check.reason]!, 'state');
    }
    deleteCookie(c, STATE_COOKIE, { path: cookiePathOf(check.redirectUri) });
    if (query.error || !query.code) throw new ApiError(400, 'authorization-refused', `the authorization was not granted${query.error ? ` (${query.error})` : ''}; ${AGAIN}`, 'code');
    const tokens = await client.oauth.exchangeCode({ code: query.code, redirectUri: check.redirectUri }).catch((e: unknown) => {
      log.warn({ status: (e as { status?: number }).status ?? null }, 'oauth code exchange failed');
      throw new ApiError(502, 'exchange-failed', `HighLevel did not accept the authorization code; ${AGAIN}`);
    });
    const locationId = tokens.locationId;
    if (!locationId) throw new ApiError(422, 'not-a-location', 'an agency (Company) was chosen: connect one location (sub-account) instead');
    const all = await bridge.connections.list();
    // the id chosen with the connect link; else the location's connection, else ghl-main when free
    const chosen = check.connectionId ? all.find((k) => k.id === check.connectionId) : undefined;
    if (chosen && chosen.app !== 'ghl-location') throw new ApiError(409, 'conflict', `connection "${chosen.id}" is a ${chosen.app} connection, not a GHL location; ${AGAIN}`);
    const existing = check.connectionId ? chosen : all.find((k) => k.app === 'ghl-location' && k.config.locationId === locationId);
    const id = check.connectionId ?? existing?.id ?? (all.some((k) => k.id === 'ghl-main') ? `ghl-${locationId}` : 'ghl-main');
    // tokens first: a connection whose tokens are missing would fail every run
    await createSqlTokenStore({ db: bridge.db, keyring: bridge.keyring }).set(`connection:${id}`, client.oauth.toStoredTokens(tokens, Date.now()));
    const config = { ...(existing?.config ?? {}), locationId, auth: 'oauth', clientId: client.clientId };
    // an OAuth connection keeps no PIT: the engine would prefer it to the tokens
    if (existing) await bridge.connections.update(id, { config, secrets: null });
    else await bridge.connections.create({ id, app: 'ghl-location', name: `GHL location ${locationId}`, config });
    // a client built before (with a PIT, or for another location) must not be used any more
    bridge.ghl.forget(id);
    log.info({ connectionId: id, locationId, updated: Boolean(existing) }, 'GHL location connected');
    c.header('cache-control', 'no-store');
    return c.html(htmlPage('GHL location connected', [['Location', locationId], ['Company', tokens.companyId ?? ''], ['Connection', id], ['Scopes', tokens.scope ?? client.scopes.join(' ')]], `Recipes writing to "${id}" now use this location.`));
  },
});
