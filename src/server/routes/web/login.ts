import { z } from 'zod';
import { setSessionCookie } from '../../console/guard.js';
import { consumeLoginToken, createSession, safeNextPath } from '../../console/sessions.js';
import { defineRoute } from '../contract.js';

export default defineRoute({
  method: 'GET',
  path: '/login',
  summary: 'Sign in with a one-time login link: sets the session cookie and redirects to next (a path of this site)',
  tag: 'console',
  auth: false,
  query: z.strictObject({ token: z.string().max(500).optional(), next: z.string().max(2000).optional() }),
  responses: {
    303: { description: 'signed in: to next (default /); a used, expired or unknown link: to /sign-in?error=link-used-or-expired&next=…' },
  },
  async handler({ query, server, c, log }) {
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    const next = safeNextPath(query.next);
    const check = await consumeLoginToken(server.bridge.db, query.token, Date.now());
    if (!check.ok) {
      // the token itself is never logged (nor is the query: the request log has the path only)
      log.warn({ reason: check.reason }, 'console login link refused');
      const error = check.reason === 'missing' ? '' : 'error=link-used-or-expired&';
      return c.redirect(`/sign-in?${error}next=${encodeURIComponent(next)}`, 303);
    }
    const { secret, session } = await createSession(server.bridge.db, { now: Date.now(), userAgent: c.req.header('user-agent') });
    setSessionCookie(c, secret, session.expiresAt, server.publicUrl());
    log.info({ session: session.id.slice(0, 16) }, 'console session started from a login link');
    return c.redirect(next, 303);
  },
});
