/**
 * The console's sessions and one-time login links, in the database (migration 011). A session is
 * a random secret held by the browser in an HttpOnly cookie; the row's id is the sha256 of that
 * secret, so a database reader cannot sign in with a row. A login link's token is stored the same
 * way (hash only) and is used up by one conditional update.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../engine/db/types.js';

/** How long a console session lasts from sign-in. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** How long a one-time login link (`/login?token=…`) stays usable. */
export const LOGIN_LINK_TTL_MS = 10 * 60 * 1000;
/** `last_seen_at` is written at most this often per session. */
export const TOUCH_EVERY_MS = 60 * 1000;
/** The listing shows this many hex characters of a session's id; `DELETE /sessions/{id}` takes them. */
export const SESSION_ID_PREFIX = 16;
const USER_AGENT_MAX = 200;

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const iso = (ms: number) => new Date(ms).toISOString();
const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/** The id (hash) of the session a cookie secret opens. */
export const sessionIdOf = (secret: string): string => sha256(secret);

/**
 * Equal strings, in constant time (both sides hashed first, so neither the length nor a prefix leaks).
 *
 * @example
 * if (!sameSecret(c.req.header('x-csrf-token'), session.csrfToken)) throw …
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(createHash('sha256').update(given, 'utf8').digest(), createHash('sha256').update(expected, 'utf8').digest());
}

export interface ConsoleSession {
  id: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  lastSeenAt: Date;
  revokedAt: Date | null;
  userAgent: string | null;
}

interface SessionRow {
  id: string;
  csrf_token: string;
  created_at: Date | string;
  expires_at: Date | string;
  last_seen_at: Date | string;
  revoked_at: Date | string | null;
  user_agent: string | null;
}

const COLUMNS = 'id, csrf_token, created_at, expires_at, last_seen_at, revoked_at, user_agent';

function sessionOf(r: SessionRow): ConsoleSession {
  return { id: r.id, csrfToken: r.csrf_token, createdAt: asDate(r.created_at), expiresAt: asDate(r.expires_at), lastSeenAt: asDate(r.last_seen_at), revokedAt: r.revoked_at === null ? null : asDate(r.revoked_at), userAgent: r.user_agent };
}

/**
 * A new session: its secret (for the cookie; never stored) and its row. Sessions ended more than
 * a week ago are deleted on the way.
 *
 * @example
 * const { secret, session } = await createSession(db, { now: Date.now(), userAgent: c.req.header('user-agent') });
 */
export async function createSession(db: Queryable, o: { now: number; userAgent?: string; ttlMs?: number }): Promise<{ secret: string; session: ConsoleSession }> {
  const secret = randomBytes(32).toString('base64url');
  const csrf = randomBytes(32).toString('base64url');
  const expiresAt = o.now + (o.ttlMs ?? SESSION_TTL_MS);
  const userAgent = o.userAgent ? o.userAgent.slice(0, USER_AGENT_MAX) : null;
  await db.query(`delete from console_sessions where expires_at < $1::timestamptz or revoked_at < $1::timestamptz`, [iso(o.now - 7 * 24 * 60 * 60 * 1000)]);
  const { rows } = await db.query<SessionRow>(
    `insert into console_sessions (id, csrf_token, created_at, expires_at, last_seen_at, user_agent) values ($1, $2, $3::timestamptz, $4::timestamptz, $3::timestamptz, $5) returning ${COLUMNS}`,
    [sessionIdOf(secret), csrf, iso(o.now), iso(expiresAt), userAgent],
  );
  return { secret, session: sessionOf(rows[0]!) };
}

export type SessionLookup = { status: 'none' } | { status: 'expired'; session: ConsoleSession } | { status: 'active'; session: ConsoleSession };

/**
 * The session a cookie secret opens: none (no cookie, or unknown), expired (past its expiry, or
 * revoked) or active.
 *
 * @example
 * const found = await lookupSession(db, getCookie(c, SESSION_COOKIE), Date.now());
 */
export async function lookupSession(db: Queryable, secret: string | undefined, now: number): Promise<SessionLookup> {
  if (!secret || secret.length > 200) return { status: 'none' };
  const { rows } = await db.query<SessionRow>(`select ${COLUMNS} from console_sessions where id = $1`, [sessionIdOf(secret)]);
  if (!rows[0]) return { status: 'none' };
  const session = sessionOf(rows[0]);
  if (session.revokedAt !== null || session.expiresAt.getTime() <= now) return { status: 'expired', session };
  return { status: 'active', session };
}

/** Notes the session was used, at most once per `TOUCH_EVERY_MS`. */
export async function touchSession(db: Queryable, session: ConsoleSession, now: number): Promise<void> {
  if (now - session.lastSeenAt.getTime() < TOUCH_EVERY_MS) return;
  await db.query('update console_sessions set last_seen_at = $2::timestamptz where id = $1 and last_seen_at < $3::timestamptz', [session.id, iso(now), iso(now - TOUCH_EVERY_MS)]);
}

/** Revokes one session by its id (sign out); a revoked one stays revoked. */
export async function revokeSession(db: Queryable, id: string, now: number): Promise<void> {
  await db.query('update console_sessions set revoked_at = $2::timestamptz where id = $1 and revoked_at is null', [id, iso(now)]);
}

/**
 * Revokes the active session whose id starts with `prefix` (the listing's id); false when none.
 *
 * @example
 * if (!(await revokeSessionByPrefix(db, params.id, Date.now()))) throw new ApiError(404, …);
 */
export async function revokeSessionByPrefix(db: Queryable, prefix: string, now: number): Promise<boolean> {
  if (!/^[0-9a-f]{16,64}$/.test(prefix)) return false;
  const r = await db.query('update console_sessions set revoked_at = $2::timestamptz where substr(id, 1, $3) = $1 and revoked_at is null and expires_at > $2::timestamptz', [prefix, iso(now), prefix.length]);
  return r.rowCount > 0;
}

/** Active sessions (not revoked, not expired), the most recently seen first. */
export async function listActiveSessions(db: Queryable, now: number): Promise<ConsoleSession[]> {
  const { rows } = await db.query<SessionRow>(`select ${COLUMNS} from console_sessions where revoked_at is null and expires_at > $1::timestamptz order by last_seen_at desc, created_at desc limit 500`, [iso(now)]);
  return rows.map(sessionOf);
}

/**
 * A new one-time login token (for `/login?token=…`): only its hash is stored; used once, valid
 * `LOGIN_LINK_TTL_MS`. Tokens expired a day ago are deleted on the way.
 *
 * @example
 * const { token, expiresAt } = await issueLoginToken(db, Date.now());
 */
export async function issueLoginToken(db: Queryable, now: number): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + LOGIN_LINK_TTL_MS;
  await db.query('delete from console_login_tokens where expires_at < $1::timestamptz', [iso(now - 24 * 60 * 60 * 1000)]);
  await db.query('insert into console_login_tokens (token_hash, created_at, expires_at) values ($1, $2::timestamptz, $3::timestamptz)', [sha256(token), iso(now), iso(expiresAt)]);
  return { token, expiresAt };
}

export type LoginTokenCheck = { ok: true } | { ok: false; reason: 'missing' | 'unknown' | 'used' | 'expired' };

/**
 * Uses a login token up: one conditional update, so two browsers racing with one link cannot
 * both sign in; a refusal says why.
 *
 * @example
 * const check = await consumeLoginToken(db, query.token, Date.now());
 */
export async function consumeLoginToken(db: Queryable, token: string | undefined, now: number): Promise<LoginTokenCheck> {
  if (!token) return { ok: false, reason: 'missing' };
  if (token.length > 200) return { ok: false, reason: 'unknown' };
  const used = await db.query('update console_login_tokens set used_at = $2::timestamptz where token_hash = $1 and used_at is null and expires_at > $2::timestamptz returning token_hash', [sha256(token), iso(now)]);
  if (used.rowCount > 0) return { ok: true };
  const { rows } = await db.query<{ used_at: Date | string | null }>('select used_at from console_login_tokens where token_hash = $1', [sha256(token)]);
  if (!rows[0]) return { ok: false, reason: 'unknown' };
  return { ok: false, reason: rows[0].used_at !== null ? 'used' : 'expired' };
}

/**
 * Where to send a browser after sign-in: a path of this site (one leading `/`, not `//` or `/\`,
 * no control characters), else `/`.
 *
 * @example
 * safeNextPath('/runs?status=dead'); // '/runs?status=dead'
 * safeNextPath('//evil.example');    // '/'
 */
export function safeNextPath(next: string | undefined): string {
  if (!next || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  // what a browser would make of it must stay on this origin
  const base = 'http://same.invalid';
  try {
    if (new URL(next, base).origin !== base) return '/';
  } catch {
    return '/';
  }
  return next;
}

/** The login link's relative URL for a token (and where to land after it). */
export function loginPathOf(token: string, next?: string): string {
  const safe = next === undefined ? '/' : safeNextPath(next);
  return `/login?token=${encodeURIComponent(token)}${safe === '/' ? '' : `&next=${encodeURIComponent(safe)}`}`;
}

/**
 * A one-time login link: the relative URL (`/login?token=…`) and when it expires. What
 * `POST /api/v1/login-links`, `ghl-bridge demo` and `start` give out.
 *
 * @example
 * const link = await createLoginLink(bridge.db, { next: '/runs' });
 * console.log(`${serverUrl}${link.url}`);
 */
export async function createLoginLink(db: Queryable, o: { next?: string; now?: number } = {}): Promise<{ url: string; expiresAt: string }> {
  const { token, expiresAt } = await issueLoginToken(db, o.now ?? Date.now());
  return { url: loginPathOf(token, o.next), expiresAt: iso(expiresAt) };
}

/**
 * What `demo` and `start` print once the server listens: the console's URL and a fresh one-time
 * login link (absolute, on `baseUrl`: the server's URL, or the configured public one).
 *
 * @example
 * const links = await consoleLinks(bridge.db, http.url);
 * print(`Console: ${links.consoleUrl}`);
 * print(`Sign in (one-time link, 10 min): ${links.loginUrl}`);
 */
export async function consoleLinks(db: Queryable, baseUrl: string): Promise<{ consoleUrl: string; loginUrl: string; expiresAt: string }> {
  const base = baseUrl.replace(/\/+$/, '');
  const link = await createLoginLink(db);
  return { consoleUrl: `${base}/`, loginUrl: `${base}${link.url}`, expiresAt: link.expiresAt };
}
