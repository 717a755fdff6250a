import { z } from 'zod';
import { createLoginLink, safeNextPath } from '../../console/sessions.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';

/**
 * `POST /api/v1/login-links`: a one-time console login link (used once, valid 10 minutes), issued
 * with the admin token only (a console session cannot mint sign-ins).
 *
 * @example
 * // POST /api/v1/login-links { "next": "/runs" }
 * // → 201 { url: '/login?token=…&next=%2Fruns', expiresAt: '2026-12-04T21:10:00.000Z' }
 */
export default defineRoute({
  method: 'POST',
  path: '/api/v1/login-links',
  summary: 'Issue a one-time console login link (used once, valid 10 minutes); with the admin token only, not from a console session',
  tag: 'console',
  auth: true,
  body: z
    .strictObject({
      next: z
        .string()
        .max(2000)
        .refine((p) => safeNextPath(p) === p, { message: 'a path of this site starting with a single /, e.g. /runs' })
        .optional()
        .describe('Where the browser lands once signed in (default /)'),
    })
    .optional(),
  responses: {
    201: { description: 'the link, relative to this server: open it once', body: z.object({ url: z.string().describe('/login?token=…'), expiresAt: z.string() }) },
    403: { description: 'asked from a console session (code bearer-required)' },
  },
  async handler({ body, server, c }) {
    // a session cannot mint more sign-ins: that would outlive its own expiry and revocation
    if (c.req.header('authorization') === undefined) throw new ApiError(403, 'bearer-required', 'login links are issued with the admin token (Authorization: Bearer), not from a console session');
    c.header('cache-control', 'no-store');
    const link = await createLoginLink(server.bridge.db, { next: body?.next });
    return c.json(link, 201);
  },
});
