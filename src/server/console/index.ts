/**
 * The operator console on the server (issue 14): its static files at `/` and its sign-in
 * (session cookie + CSRF token, one-time login links). The routes are in `src/server/routes`
 * (`/api/v1/session`, `/api/v1/sessions`, `/api/v1/login-links`, `/login`); the admin API's
 * authorization (bearer or session) in `routes/auth.ts`.
 *
 * @example
 * const link = await createLoginLink(bridge.db);
 * print(`Sign in (one-time link, 10 min): ${server.url}${link.url}`);
 */
export { consoleStatic, CONSOLE_CSP, defaultConsoleDir, fileOf, pickEncoding, type ConsoleStatic } from './static.js';
export {
  consoleLinks,
  consumeLoginToken,
  createLoginLink,
  createSession,
  issueLoginToken,
  listActiveSessions,
  LOGIN_LINK_TTL_MS,
  loginPathOf,
  lookupSession,
  revokeSession,
  revokeSessionByPrefix,
  safeNextPath,
  sameSecret,
  SESSION_ID_PREFIX,
  SESSION_TTL_MS,
  sessionIdOf,
  touchSession,
  type ConsoleSession,
  type LoginTokenCheck,
  type SessionLookup,
} from './sessions.js';
export { checkCsrf, clearSessionCookie, CSRF_HEADER, crossSiteProblem, isHttps, ownOrigins, secureCookie, SESSION_COOKIE, sessionSecretOf, setSessionCookie } from './guard.js';
