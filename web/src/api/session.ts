/**
 * The console's session: an HttpOnly cookie the browser sends by itself, and the CSRF token every
 * mutation carries (read from `GET /api/v1/session`, kept in memory only).
 */
let csrfToken: string | undefined;
let expiresAt: string | undefined;

export interface SessionInfo { csrfToken: string; expiresAt: string }

export const currentCsrfToken = (): string | undefined => csrfToken;

/** Remembers the session the server just confirmed or created. */
export function rememberSession(s: SessionInfo | undefined): void {
  csrfToken = s?.csrfToken;
  expiresAt = s?.expiresAt;
}

export const sessionExpiresAt = (): string | undefined => expiresAt;

/** What the server says of the cookie: a live session, or why not (`no-session`, `session-expired`). */
export type SessionCheck = { session: SessionInfo } | { session?: undefined; refusal: string };

/** Asks the server whether the cookie is a live session. */
export async function loadSession(): Promise<SessionCheck> {
  const res = await fetch('/api/v1/session', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) {
    rememberSession(undefined);
    const code = await res.json().then((b: { error?: { code?: string } }) => b.error?.code, () => undefined);
    return { refusal: code ?? `http-${res.status}` };
  }
  const session = (await res.json()) as SessionInfo;
  rememberSession(session);
  return { session };
}

/** Exchanges the admin token for a session cookie. */
export async function signIn(token: string): Promise<Response> {
  const res = await fetch('/api/v1/session', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ token }) });
  if (res.ok) rememberSession((await res.clone().json()) as SessionInfo);
  return res;
}

/** Ends the session on the server (the cookie is cleared there). */
export async function signOut(): Promise<void> {
  await fetch('/api/v1/session', { method: 'DELETE', credentials: 'same-origin', headers: csrfToken ? { 'x-csrf-token': csrfToken } : {} });
  rememberSession(undefined);
}
