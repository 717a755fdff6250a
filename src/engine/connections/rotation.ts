import type { Queryable } from '../db/types.js';
import { connectionContext, tokenContext } from './contexts.js';
import type { Keyring } from './keyring.js';
import { seal, type SecretKey } from './secret-key.js';

/**
 * Re-seals every sealed value — `connections.sealed_secret` and `oauth_tokens.sealed` — with
 * `newKey`, inside the caller's transaction `tx` (rows locked as they are read). Each value is
 * opened with the keyring key its `key_id` names, so one that no loaded key opens fails the whole
 * rotation with a `SealedValueError`. Returns how many values of each table it re-sealed.
 *
 * @example
 * const counts = await db.transaction((tx) => resealAll(tx, keyring, newKey));
 */
export async function resealAll(tx: Queryable, keyring: Keyring, newKey: SecretKey): Promise<{ connections: number; tokens: number }> {
  const connections = await tx.query<{ id: string; sealed_secret: Uint8Array; key_id: string }>(
    'select id, sealed_secret, key_id from connections where sealed_secret is not null order by id for update',
  );
  for (const row of connections.rows) {
    const context = connectionContext(row.id);
    const plain = keyring.open(row.sealed_secret, row.key_id, context, `the secrets of connection "${row.id}"`);
    await tx.query('update connections set sealed_secret = $2, key_id = $3 where id = $1', [row.id, seal(newKey, plain, context), newKey.id]);
  }
  const tokens = await tx.query<{ key: string; sealed: Uint8Array; key_id: string }>('select key, sealed, key_id from oauth_tokens order by key for update');
  for (const row of tokens.rows) {
    const context = tokenContext(row.key);
    const plain = keyring.open(row.sealed, row.key_id, context, `the OAuth tokens of "${row.key}"`);
    await tx.query('update oauth_tokens set sealed = $2, key_id = $3 where key = $1', [row.key, seal(newKey, plain, context), newKey.id]);
  }
  return { connections: connections.rows.length, tokens: tokens.rows.length };
}
