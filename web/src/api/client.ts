import createClient, { type Middleware } from 'openapi-fetch';
import { navigateToSignIn } from '../app/router.tsx';
import { problemOf } from './problem.ts';
import type { paths } from './schema.d.ts';
import { currentCsrfToken } from './session.ts';

export { ApiProblem } from './problem.ts';
export type { paths } from './schema.d.ts';

/**
 * Mutations carry the session's CSRF token; a 401 (no session, or it expired) goes to sign-in and
 * comes back to the same page afterwards.
 */
const session: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = currentCsrfToken();
      if (token) request.headers.set('x-csrf-token', token);
    }
    return request;
  },
  async onResponse({ response }) {
    if (response.status === 401) {
      const code = await response.clone().json().then((b: { error?: { code?: string } }) => b.error?.code, () => undefined);
      navigateToSignIn(code === 'session-expired' ? code : undefined);
    }
    return response;
  },
};

/**
 * The typed admin API client, generated from the server's own OpenAPI document.
 *
 * @example
 * const runs = await unwrap(api.GET('/api/v1/runs', { params: { query: { status: 'dead' } } }));
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin', headers: { accept: 'application/json' } });
api.use(session);

/** The data of a call, or its refusal thrown as an `ApiProblem` (for TanStack Query's `error`). */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw await problemOf(response, error);
  return data as T;
}
