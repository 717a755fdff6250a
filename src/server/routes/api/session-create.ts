import { z } from 'zod';
import { crossSiteProblem, setSessionCookie } from '../../console/guard.js';
import { createSession } from '../../console/sessions.js';
import { ApiError } from '../../http/errors.js';
import { adminTokenMatches } from '../auth.js';
import { defineRoute } from '../contract.js';
import { sessionBody } from './session-shared.js';

/**
 * `POST /api/v1/session`: signs the console in with the admin token — an HttpOnly, SameSite=Strict
 * session cookie (Secure over https or with an https public URL) and the CSRF token its changes carry.
 * Refused when sent from another site.
 *
 * @example
 * // POST /api/v1/session { "token": "gbat_…" }
 * // → 201 Set-Cookie: ghlb_session=…; HttpOnly; SameSite=Strict  { csrfToken: 'k3…', expiresAt: '2026-12-05T09:00:00.000Z' }
 */
export default defineRoute({
  method: 'POST',
  path: '/api/v1/session',
  summary: 'Sign in to the console: the admin token for an HttpOnly session cookie (ghlb_session) and the CSRF token its changes carry',
  tag: 'console',
  auth: false,
  body: z.strictObject({ token: z.string().min(1).max(500).describe('The admin token') }),
  responses: {
    201: { description: 'signed in: the session cookie is set', body: sessionBody },
    401: { description: 'not the admin token (code invalid-token)' },
    403: { description: 'sent from another site (code csrf)' },
  },
  async handler({ body, server, c, log }) {
    c.header('cache-control', 'no-store');
    const crossSite = crossSiteProblem(c, server.publicUrl());
    if (crossSite) throw new ApiError(403, 'csrf', `refused: ${crossSite}`);
    if (!adminTokenMatches(body.token, server.bridge.adminToken)) {
      log.warn('console sign-in refused: not the admin token');
      throw new ApiError(401, 'invalid-token', 'that is not the admin token (ghl-bridge init printed it; it is in <dataDir>/admin.token)', 'token');
    }
    const { secret, session } = await createSession(server.bridge.db, { now: Date.now(), userAgent: c.req.header('user-agent') });
    setSessionCookie(c, secret, session.expiresAt, server.publicUrl());
    log.info({ session: session.id.slice(0, 16) }, 'console session started');
    return c.json({ csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() }, 201);
  },
});
