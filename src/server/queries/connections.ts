import type { Queryable } from '../../engine/db/types.js';

export interface ConnectionTest {
  ok: boolean;
  message: string;
  at: string;
}

export interface OAuthTokenState {
  /** when the access token expires (ISO) */
  expiresAt: string;
  /** when the tokens were last stored (connect or refresh) */
  updatedAt: string;
}

/** Remembers a connection's last test (one row each, replaced). */
export async function recordConnectionTest(db: Queryable, connectionId: string, result: { ok: boolean; message: string }): Promise<void> {
  await db.query(
    `insert into connection_tests (connection_id, ok, message, tested_at) values ($1, $2, $3, now())
     on conflict (connection_id) do update set ok = excluded.ok, message = excluded.message, tested_at = excluded.tested_at`,
    [connectionId, result.ok, result.message.slice(0, 500)],
  );
}

export async function forgetConnectionTest(db: Queryable, connectionId: string): Promise<void> {
  await db.query('delete from connection_tests where connection_id = $1', [connectionId]);
}

/** The last test of each of `ids`, by id. */
export async function lastConnectionTests(db: Queryable, ids: string[]): Promise<Map<string, ConnectionTest>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ connection_id: string; ok: boolean; message: string; tested_at: Date | string }>('select connection_id, ok, message, tested_at from connection_tests where connection_id = any($1::text[])', [ids]);
  return new Map(rows.map((r) => [r.connection_id, { ok: r.ok, message: r.message, at: new Date(r.tested_at).toISOString() }]));
}

/** When the stored OAuth tokens of each of `ids` expire and were stored (never the sealed tokens themselves). */
export async function oauthTokenStates(db: Queryable, ids: string[]): Promise<Map<string, OAuthTokenState>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ key: string; expires_at: string | number; updated_at: Date | string }>('select key, expires_at, updated_at from oauth_tokens where key = any($1::text[])', [ids.map((id) => `connection:${id}`)]);
  return new Map(rows.map((r) => [r.key.slice('connection:'.length), { expiresAt: new Date(Number(r.expires_at)).toISOString(), updatedAt: new Date(r.updated_at).toISOString() }]));
}
