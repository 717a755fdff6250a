import { z } from 'zod';

/** What the console keeps of its session: the CSRF token for its changes, and when it ends. */
export const sessionBody = z.object({
  csrfToken: z.string().describe('Send it as the x-csrf-token header with every change made with the session cookie'),
  expiresAt: z.string().describe('ISO time the session ends (sign in again then)'),
});
