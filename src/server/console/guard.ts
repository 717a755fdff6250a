/**
 * The HTTP side of console sessions: the cookie (HttpOnly, SameSite=Strict, Secure over https),
 * and the checks a cookie-authenticated mutation passes: the CSRF token header and no cross-site
 * origin (`Sec-Fetch-Site`, `Origin`).
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ApiError } from '../http/errors.js';
import { sameSecret, type ConsoleSession } from './sessions.js';

/** The session cookie's name. */
export const SESSION_COOKIE = 'ghlb_session';
/** The header a cookie-authenticated mutation carries its session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change nothing: no CSRF token needed with the cookie. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session secret the request's cookie carries, if any. */
export function sessionSecretOf(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE) || undefined;
}

/** Whether the browser reached us over https (directly, or through a proxy that says so). */
export function isHttps(c: Context): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || new URL(c.req.url).protocol === 'https:';
}

/**
 * Whether the session cookie is `Secure`: the browser reached us over https, or the configured
 * public URL is https (a proxy in front that does not say `X-Forwarded-Proto`).
 */
export function secureCookie(c: Context, publicUrl: string | undefined): boolean {
  return isHttps(c) || /^https:\/\//i.test(publicUrl?.trim() ?? '');
}

/**
 * Sets the session cookie until `expiresAt`.
 *
 * @example
 * setSessionCookie(c, secret, session.expiresAt, server.publicUrl());
 */
export function setSessionCookie(c: Context, secret: string, expiresAt: Date, publicUrl: string | undefined): void {
  const maxAge = Math.max(0, Math.round((expiresAt.getTime() - Date.now()) / 1000));
  setCookie(c, SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge, secure: secureCookie(c, publicUrl) });
}

/** Tells the browser to forget the session cookie (sign out). */
export function clearSessionCookie(c: Context, publicUrl: string | undefined): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Strict', path: '/', secure: secureCookie(c, publicUrl) });
}

/**
 * The origins this server is reached at: the request's own scheme and host (the scheme from
 * `X-Forwarded-Proto` behind a proxy) and the configured public URL's.
 */
export function ownOrigins(c: Context, publicUrl: string | undefined): Set<string> {
  const url = new URL(c.req.url);
  const host = c.req.header('host') ?? url.host;
  const origins = new Set<string>([`${isHttps(c) ? 'https' : url.protocol.replace(/:$/, '')}://${host}`.toLowerCase(), url.origin.toLowerCase()]);
  if (publicUrl) {
    try {
      origins.add(new URL(publicUrl).origin.toLowerCase());
    } catch {
      // a public URL that is not one adds nothing
    }
  }
  return origins;
}

/**
 * Why a request is cross-site (undefined when it is not): `Sec-Fetch-Site` when present must be
 * `same-origin`; `Origin` when present must be one of this server's.
 *
 * @example
 * const problem = crossSiteProblem(c, server.publicUrl());
 */
export function crossSiteProblem(c: Context, publicUrl: string | undefined): string | undefined {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site.toLowerCase() !== 'same-origin') return `the request came from another site (Sec-Fetch-Site: ${site.slice(0, 40)})`;
  const origin = c.req.header('origin');
  if (origin !== undefined && !ownOrigins(c, publicUrl).has(origin.toLowerCase())) return 'the request came from another origin (Origin is not this server)';
  return undefined;
}

/**
 * A cookie-authenticated mutation must come from this origin and carry its session's CSRF token;
 * throws a 403 `csrf` otherwise. Safe methods pass.
 *
 * @example
 * checkCsrf(c, session, server.publicUrl());
 */
export function checkCsrf(c: Context, session: ConsoleSession, publicUrl: string | undefined): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const crossSite = crossSiteProblem(c, publicUrl);
  if (crossSite) throw new ApiError(403, 'csrf', `refused: ${crossSite}`);
  if (!sameSecret(c.req.header(CSRF_HEADER), session.csrfToken)) throw new ApiError(403, 'csrf', `refused: a change made with the session cookie needs the header ${CSRF_HEADER} with the session's CSRF token (GET /api/v1/session answers it)`);
}

/** The 401 of a session past its expiry or revoked: sign in again. */
export function sessionExpired(): ApiError {
  return new ApiError(401, 'session-expired', 'the console session expired or was signed out: sign in again');
}
