import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../http/errors.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Checks `Authorization: Bearer <admin token>` in constant time (both sides hashed first, so
 * neither the length nor a prefix leaks). Throws a 401 with `WWW-Authenticate: Bearer`.
 *
 * @example
 * checkAdminToken(c.req.header('authorization'), bridge.adminToken);
 */
export function checkAdminToken(header: string | undefined, adminToken: string): void {
  const challenge = (error: string) => ({ 'www-authenticate': `Bearer realm="ghl-bridge admin", error="${error}"` });
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? '');
  if (!match) throw new ApiError(401, 'unauthorized', 'send the admin token: Authorization: Bearer <token> (ghl-bridge init printed it; it is in <dataDir>/admin.token)', undefined, { 'www-authenticate': 'Bearer realm="ghl-bridge admin"' });
  if (!timingSafeEqual(digest(match[1]!), digest(adminToken))) throw new ApiError(401, 'unauthorized', 'the admin token is not valid', undefined, challenge('invalid_token'));
}
