import { sessionExpired, sessionSecretOf } from '../../console/guard.js';
import { lookupSession, touchSession } from '../../console/sessions.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { sessionBody } from './session-shared.js';

/**
 * `GET /api/v1/session`: this browser's console session (its cookie) — the CSRF token its changes
 * need, and when it ends; marks the session as seen.
 *
 * @example
 * // GET /api/v1/session (Cookie: ghlb_session=…)
 * // → { csrfToken: 'k3…', expiresAt: '2026-12-05T09:00:00.000Z' }; without a session → 401 { error: { code: 'no-session' } }
 */
export default defineRoute({
  method: 'GET',
  path: '/api/v1/session',
  summary: 'The console session of this browser (its cookie): the CSRF token and when it ends',
  tag: 'console',
  auth: false,
  responses: {
    200: { description: 'signed in', body: sessionBody },
    401: { description: 'no session (code no-session), or it expired or was signed out (code session-expired)' },
  },
  async handler({ server, c }) {
    c.header('cache-control', 'no-store');
    const now = Date.now();
    const found = await lookupSession(server.bridge.db, sessionSecretOf(c), now);
    if (found.status === 'none') throw new ApiError(401, 'no-session', 'not signed in: sign in with the admin token or a one-time login link');
    if (found.status === 'expired') throw sessionExpired();
    await touchSession(server.bridge.db, found.session, now);
    return c.json({ csrfToken: found.session.csrfToken, expiresAt: found.session.expiresAt.toISOString() }, 200);
  },
});
