import type { SpecRoute } from '../spec/index.js';
import type { SandboxCore } from './core.js';
import { invalidJwt, scopeDenied, userTypeMismatch } from './errors.js';
import { newSecret } from './ids.js';
import type { App, RefreshTokenRecord, TokenRecord, UserType } from './model.js';

/**
 * Bearer-token checks like the live API (ghl-api.md §4.3, §6): unknown, revoked or expired
 * tokens → 401 "Invalid JWT"; a token lacking the operation's scope or of the wrong user type →
 * 401 "The token is not authorized for this scope."; location access is checked per operation.
 */
export function authenticate(core: SandboxCore, authorization: string | undefined): TokenRecord {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  const record = match ? core.store.state.tokens[match[1]!] : undefined;
  if (!record || record.revoked) throw invalidJwt();
  if (record.expiresAt !== null && record.expiresAt <= core.now()) throw invalidJwt();
  return record;
}

/** Scope and token-class checks for a route's security scheme. */
export function authorize(token: TokenRecord, route: SpecRoute): void {
  const security = route.security;
  if (!security) return;
  switch (security.scheme) {
    case 'Agency-Access-Only':
      if (token.userType !== 'Company' || token.kind !== 'access') throw userTypeMismatch();
      break;
    case 'Agency-Access':
      if (token.userType !== 'Company') throw userTypeMismatch();
      break;
    default:
      // `bearer`, `Location-Access`: a sub-account token or sub-account PIT.
      if (token.userType !== 'Location') throw scopeDenied();
  }
  if (!security.scopes.every((s) => hasScope(token.scopes, s))) throw scopeDenied();
}

/** `contacts.write` implies `contacts.readonly` (UNVERIFIED; how scopes are usually granted). */
export function hasScope(granted: string[], wanted: string): boolean {
  if (granted.includes(wanted)) return true;
  return wanted.endsWith('.readonly') && granted.includes(wanted.replace(/\.readonly$/, '.write'));
}

/** Rate-limit bucket: per app per resource; a PIT is its own app (UNVERIFIED). */
export function rateKey(token: TokenRecord): string {
  return `${token.appId ?? `pit:${token.token.slice(-12)}`}:${token.locationId ?? token.companyId}`;
}

export interface Grant {
  app: App;
  userType: UserType;
  companyId: string;
  locationId: string | null;
  scopes: string[];
  userId: string;
}

/** A new access token plus a single-use refresh token for a grant. */
export function issueTokens(core: SandboxCore, grant: Grant): { access: TokenRecord; refresh: RefreshTokenRecord } {
  const owner = { appId: grant.app.id, userType: grant.userType, companyId: grant.companyId, locationId: grant.locationId, scopes: grant.scopes, userId: grant.userId, revoked: false };
  const access: TokenRecord = { ...owner, token: newSecret('sbx_at_'), kind: 'access', expiresAt: core.now() + core.config.accessTokenTtlSeconds * 1000 };
  const refresh: RefreshTokenRecord = { ...owner, token: newSecret('sbx_rt_'), used: false };
  core.store.state.tokens[access.token] = access;
  core.store.state.refreshTokens[refresh.token] = refresh;
  core.store.touch();
  return { access, refresh };
}
