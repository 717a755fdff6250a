import { checkCsrf, clearSessionCookie, sessionSecretOf } from '../../console/guard.js';
import { lookupSession, revokeSession } from '../../console/sessions.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';

/**
 * `DELETE /api/v1/session`: signs this browser out — revokes its session and clears the cookie;
 * needs the session's CSRF token and this origin.
 *
 * @example
 * // DELETE /api/v1/session (Cookie: ghlb_session=…, x-csrf-token: k3…)
 * // → 204 Set-Cookie: ghlb_session=; Max-Age=0
 */
export default defineRoute({
  method: 'DELETE',
  path: '/api/v1/session',
  summary: 'Sign out: revokes this browser\'s console session (cookie and x-csrf-token) and clears its cookie',
  tag: 'console',
  auth: false,
  responses: {
    204: { description: 'signed out' },
    401: { description: 'no session (code no-session)' },
    403: { description: 'no or a wrong CSRF token, or sent from another site (code csrf)' },
  },
  async handler({ server, c, log }) {
    c.header('cache-control', 'no-store');
    const found = await lookupSession(server.bridge.db, sessionSecretOf(c), Date.now());
    if (found.status === 'none') throw new ApiError(401, 'no-session', 'not signed in');
    // an expired session is signed out all the same, but only by its own page
    checkCsrf(c, found.session, server.publicUrl());
    await revokeSession(server.bridge.db, found.session.id, Date.now());
    clearSessionCookie(c, server.publicUrl());
    log.info({ session: found.session.id.slice(0, 16) }, 'console session signed out');
    return c.body(null, 204);
  },
});
