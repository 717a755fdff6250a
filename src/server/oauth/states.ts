import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../../engine/db/types.js';

/** How long a browser has between `/connect/ghl` and the callback. */
export const STATE_TTL_MS = 10 * 60 * 1000;

const hash = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/**
 * A new `state` for the authorize URL and the nonce for the browser's cookie; only their hashes
 * are stored, so a database reader cannot complete someone's flow. The connection id chosen with
 * the connect link travels with the state to the callback.
 *
 * @example
 * const { state, nonce } = await createOAuthState(db, redirectUri, Date.now(), 'ghl-main');
 */
export async function createOAuthState(db: Queryable, redirectUri: string, now: number, connectionId: string | null = null): Promise<{ state: string; nonce: string }> {
  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  await db.query('delete from oauth_states where expires_at < $1', [now - STATE_TTL_MS]);
  await db.query('insert into oauth_states (state_hash, nonce_hash, redirect_uri, connection_id, expires_at) values ($1, $2, $3, $4, $5)', [hash(state), hash(nonce), redirectUri, connectionId, now + STATE_TTL_MS]);
  return { state, nonce };
}

export type StateCheck = { ok: true; redirectUri: string; connectionId: string | null } | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'cookie' };

/** The state cookie's path: the callback's own path, as the browser sees it (a proxy prefix included). */
export function cookiePathOf(redirectUri: string): string {
  return new URL(redirectUri).pathname;
}

/**
 * Consumes a state: it must be ours, unused, unexpired, and bound to this browser (the cookie's
 * nonce). The use is one conditional update, so two callbacks racing with one state cannot both
 * pass. A state presented without its browser's cookie is not consumed (the real browser may
 * still finish).
 *
 * @example
 * const check = await consumeOAuthState(db, state, cookieNonce, Date.now());
 */
export async function consumeOAuthState(db: Queryable, state: string, nonce: string | undefined, now: number): Promise<StateCheck> {
  const { rows } = await db.query<{ nonce_hash: string; used_at: Date | null; expires_at: string | number }>('select nonce_hash, used_at, expires_at from oauth_states where state_hash = $1', [hash(state)]);
  const row = rows[0];
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.used_at !== null) return { ok: false, reason: 'used' };
  if (Number(row.expires_at) < now) return { ok: false, reason: 'expired' };
  if (!nonce || !timingSafeEqual(Buffer.from(hash(nonce), 'hex'), Buffer.from(row.nonce_hash, 'hex'))) return { ok: false, reason: 'cookie' };
  const used = await db.query<{ redirect_uri: string; connection_id: string | null }>('update oauth_states set used_at = now() where state_hash = $1 and used_at is null returning redirect_uri, connection_id', [hash(state)]);
  return used.rows[0] ? { ok: true, redirectUri: used.rows[0].redirect_uri, connectionId: used.rows[0].connection_id } : { ok: false, reason: 'used' };
}
