import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { checkCsrf, sessionExpired, sessionSecretOf } from '../console/guard.js';
import { lookupSession, touchSession, type ConsoleSession } from '../console/sessions.js';
import { ApiError } from '../http/errors.js';
import type { ServerContext } from './contract.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

const BEARER = /^Bearer[ ]+([^\s]+)\s*$/i;

/**
 * Whether `given` is the admin token, in constant time (both sides hashed first, so neither the
 * length nor a prefix leaks).
 *
 * @example
 * if (!adminTokenMatches(body.token, bridge.adminToken)) throw new ApiError(401, 'invalid-token', …);
 */
export function adminTokenMatches(given: string, adminToken: string): boolean {
  return timingSafeEqual(digest(given), digest(adminToken));
}

/**
 * Checks `Authorization: Bearer <admin token>` in constant time (both sides hashed first, so
 * neither the length nor a prefix leaks). Throws a 401 with `WWW-Authenticate: Bearer`.
 *
 * @example
 * checkAdminToken(c.req.header('authorization'), bridge.adminToken);
 */
export function checkAdminToken(header: string | undefined, adminToken: string): void {
  const challenge = (error: string) => ({ 'www-authenticate': `Bearer realm="ghl-bridge admin", error="${error}"` });
  const match = BEARER.exec(header ?? '');
  if (!match) throw new ApiError(401, 'unauthorized', 'send the admin token: Authorization: Bearer <token> (ghl-bridge init printed it; it is in <dataDir>/admin.token), or sign in to the console', undefined, { 'www-authenticate': 'Bearer realm="ghl-bridge admin"' });
  if (!adminTokenMatches(match[1]!, adminToken)) throw new ApiError(401, 'unauthorized', 'the admin token is not valid', undefined, challenge('invalid_token'));
}

/** How a request to the admin API was let in. */
export type Authorized = { via: 'bearer' } | { via: 'session'; session: ConsoleSession };

/**
 * Lets a request into the admin API: `Authorization: Bearer <admin token>` (scripts, the CLI),
 * or else a console session cookie, whose mutations must also come from this origin and carry
 * the session's CSRF token (403 `csrf`). No credentials: 401 with `WWW-Authenticate`; a session
 * expired or revoked: 401 `session-expired`.
 *
 * @example
 * const who = await authorize(c, server);
 */
export async function authorize(c: Context, server: ServerContext): Promise<Authorized> {
  const header = c.req.header('authorization');
  const { bridge } = server;
  if (header !== undefined) {
    checkAdminToken(header, bridge.adminToken);
    return { via: 'bearer' };
  }
  const now = Date.now();
  const found = await lookupSession(bridge.db, sessionSecretOf(c), now);
  if (found.status === 'none') checkAdminToken(undefined, bridge.adminToken);
  if (found.status !== 'active') throw sessionExpired();
  checkCsrf(c, found.session, server.publicUrl());
  await touchSession(bridge.db, found.session, now);
  return { via: 'session', session: found.session };
}
