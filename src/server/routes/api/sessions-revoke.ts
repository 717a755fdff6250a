import { z } from 'zod';
import { revokeSessionByPrefix, SESSION_ID_PREFIX } from '../../console/sessions.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';

/**
 * `DELETE /api/v1/sessions/{id}`: revokes one console session by the id `GET /api/v1/sessions`
 * lists; its browser has to sign in again.
 *
 * @example
 * // DELETE /api/v1/sessions/3f9a0c1d2e3f4a5b
 * // → 204; no active session with that id → 404 { error: { code: 'not-found', field: 'id' } }
 */
export default defineRoute({
  method: 'DELETE',
  path: '/api/v1/sessions/{id}',
  summary: 'Revoke one console session (its browser must sign in again)',
  tag: 'console',
  auth: true,
  params: z.strictObject({ id: z.string().regex(new RegExp(`^[0-9a-f]{${SESSION_ID_PREFIX},64}$`), `the id of GET /api/v1/sessions (${SESSION_ID_PREFIX} hex characters)`) }),
  responses: { 204: { description: 'revoked' }, 404: { description: 'no active session with that id' } },
  async handler({ params, server, c, log }) {
    if (!(await revokeSessionByPrefix(server.bridge.db, params.id, Date.now()))) throw new ApiError(404, 'not-found', `no active console session "${params.id}"`, 'id');
    log.info({ session: params.id.slice(0, SESSION_ID_PREFIX) }, 'console session revoked');
    return c.body(null, 204);
  },
});
