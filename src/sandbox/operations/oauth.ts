import { issueTokens } from '../auth.js';
import type { SandboxCore } from '../core.js';
import type { OperationHandler } from '../context.js';
import { ok } from '../context.js';
import { ApiError, apiError } from '../errors.js';
import type { App, Installation } from '../model.js';

/**
 * OAuth 2.0 endpoints (apps/oauth.json). Refresh tokens are single-use: every refresh answers a
 * new one and the used one stops working (ghl-api.md §4.2 treats reuse as failing; UNVERIFIED).
 */

function invalidGrant(description: string): ApiError {
  return new ApiError(400, { statusCode: 400, message: description, error: 'invalid_grant', error_description: description });
}

function appByClient(core: SandboxCore, clientId: string, clientSecret: string): App {
  const app = Object.values(core.store.state.apps).find((a) => a.clientId === clientId);
  if (!app || app.clientSecret !== clientSecret) {
    throw new ApiError(401, { statusCode: 401, message: 'Invalid client credentials', error: 'invalid_client' });
  }
  return app;
}

export function isInstalled(core: SandboxCore, appId: string, companyId: string, locationId: string): Installation | undefined {
  return core.store.state.installations.find(
    (i) => i.appId === appId && (i.locationId === locationId || (i.locationId === null && i.companyId === companyId)),
  );
}

/** POST /oauth/token: no bearer token; the client authenticates with id and secret. */
export function tokenEndpoint(core: SandboxCore, body: Record<string, unknown>): { status: number; body: unknown } {
  const app = appByClient(core, String(body.client_id), String(body.client_secret));
  const state = core.store.state;
  let grant;
  if (body.grant_type === 'authorization_code') {
    const record = typeof body.code === 'string' ? state.authCodes[body.code] : undefined;
    if (!record || record.appId !== app.id) throw invalidGrant('Invalid grant: authorization code is invalid');
    if (record.used) throw invalidGrant('Invalid grant: authorization code was already used');
    if (record.expiresAt <= core.now()) throw invalidGrant('Invalid grant: authorization code has expired');
    if (typeof body.redirect_uri === 'string' && body.redirect_uri !== record.redirectUri) throw invalidGrant('Invalid grant: redirect_uri does not match');
    record.used = true;
    grant = record;
  } else if (body.grant_type === 'refresh_token') {
    const record = typeof body.refresh_token === 'string' ? state.refreshTokens[body.refresh_token] : undefined;
    if (!record || record.appId !== app.id || record.revoked) throw invalidGrant('Invalid grant: refresh token is invalid');
    if (record.used) throw invalidGrant('Invalid grant: refresh token was already used');
    record.used = true;
    grant = record;
  } else {
    throw apiError(400, 'grant_type client_credentials is not supported by the sandbox (undocumented by HighLevel)');
  }
  core.store.touch();
  const { access, refresh } = issueTokens(core, { app, userType: grant.userType, companyId: grant.companyId, locationId: grant.locationId, scopes: grant.scopes, userId: grant.userId });
  const isCompany = grant.userType === 'Company';
  const approved = isCompany ? state.installations.filter((i) => i.appId === app.id && i.companyId === grant.companyId && i.locationId).map((i) => i.locationId!) : undefined;
  return {
    status: 200,
    body: {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: core.config.accessTokenTtlSeconds,
      refresh_token: refresh.token,
      scope: access.scopes.join(' '),
      userType: grant.userType,
      ...(grant.locationId ? { locationId: grant.locationId } : {}),
      companyId: grant.companyId,
      userId: grant.userId,
      planId: 'sandbox-plan',
      isBulkInstallation: false,
      ...(isCompany ? { approvedLocations: approved, installToFutureLocations: false, approveAllLocations: false } : {}),
    },
  };
}

const locationToken: OperationHandler = (ctx) => {
  const companyId = String(ctx.body.companyId);
  const locationId = String(ctx.body.locationId);
  const location = ctx.core.store.state.locations[locationId];
  if (companyId !== ctx.token.companyId || !location || location.companyId !== companyId) {
    throw apiError(403, 'The token does not have access to this location.');
  }
  const app = ctx.core.store.state.apps[ctx.token.appId ?? ''];
  if (!app || !isInstalled(ctx.core, app.id, companyId, locationId)) throw apiError(400, 'This app is not installed on the location');
  // The location token carries the contacts-level scopes the agency granted.
  const { access, refresh } = issueTokens(ctx.core, { app, userType: 'Location', companyId, locationId, scopes: ctx.token.scopes, userId: ctx.token.userId });
  return ok({
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: ctx.core.config.accessTokenTtlSeconds,
    refresh_token: refresh.token,
    scope: access.scopes.join(' '),
    locationId,
    planId: 'sandbox-plan',
    userId: ctx.token.userId,
    appId: app.id,
    versionId: app.versionId,
  });
};

const installedLocations: OperationHandler = (ctx) => {
  const companyId = ctx.query.get('companyId') ?? '';
  const appId = ctx.query.get('appId') ?? '';
  if (companyId !== ctx.token.companyId) throw apiError(403, 'The token does not have access to this company.');
  const skip = Number(ctx.query.get('skip') ?? '0') || 0;
  const limit = Number(ctx.query.get('limit') ?? '20') || 20;
  const query = (ctx.query.get('query') ?? '').toLowerCase();
  const isInstalledFilter = ctx.query.get('isInstalled');
  const app = ctx.core.store.state.apps[appId];
  const rows = Object.values(ctx.core.store.state.locations)
    .filter((l) => l.companyId === companyId && (!query || l.name.toLowerCase().includes(query)))
    .filter((l) => !ctx.query.get('locationId') || l.id === ctx.query.get('locationId'))
    .map((l) => {
      const inst = app ? isInstalled(ctx.core, app.id, companyId, l.id) : undefined;
      return { _id: l.id, name: l.name, address: l.address, isInstalled: Boolean(inst), ...(inst && app ? { versionId: app.versionId, installedAt: inst.installedAt } : {}) };
    })
    .filter((r) => isInstalledFilter === null || String(r.isInstalled) === isInstalledFilter);
  return ok({ locations: rows.slice(skip, skip + limit), count: rows.length, installToFutureLocations: false });
};

export const oauthOperations: Record<string, OperationHandler> = {
  'get-location-access-token': locationToken,
  'get-installed-location': installedLocations,
};
