import { z } from 'zod';
import { sessionSecretOf } from '../../console/guard.js';
import { listActiveSessions, SESSION_ID_PREFIX, sessionIdOf } from '../../console/sessions.js';
import { defineRoute } from '../contract.js';

const sessionSummary = z.object({
  id: z.string().describe(`the first ${SESSION_ID_PREFIX} hex characters of the session's id (DELETE /api/v1/sessions/{id} takes it)`),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  userAgent: z.string().nullable(),
  current: z.boolean().describe('the session this request was made with'),
});

/**
 * `GET /api/v1/sessions`: the active console sessions, most recently seen first, each by the short
 * id `DELETE /api/v1/sessions/{id}` takes; the caller's own is marked `current`.
 *
 * @example
 * // GET /api/v1/sessions
 * // → { items: [{ id: '3f9a0c…', createdAt: '…', lastSeenAt: '…', expiresAt: '…', userAgent: 'Mozilla/5.0 …', current: true }] }
 */
export default defineRoute({
  method: 'GET',
  path: '/api/v1/sessions',
  summary: 'Active console sessions (not expired, not signed out), the most recently seen first',
  tag: 'console',
  auth: true,
  responses: { 200: { description: '{ items }', body: z.object({ items: z.array(sessionSummary) }) } },
  async handler({ server, c }) {
    c.header('cache-control', 'no-store');
    const secret = sessionSecretOf(c);
    const mine = secret ? sessionIdOf(secret) : undefined;
    const sessions = await listActiveSessions(server.bridge.db, Date.now());
    return c.json({
      items: sessions.map((s) => ({
        id: s.id.slice(0, SESSION_ID_PREFIX),
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        userAgent: s.userAgent,
        current: s.id === mine,
      })),
    }, 200);
  },
});
