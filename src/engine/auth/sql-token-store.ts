import { AsyncLocalStorage } from 'node:async_hooks';
import type { StoredTokens, TokenStore } from '../../ghl/auth/types.js';
import { tokenContext } from '../connections/contexts.js';
import type { Keyring } from '../connections/keyring.js';
import type { Database, Queryable } from '../db/types.js';
import { KeyedMutex } from '../../ghl/auth/keyed-mutex.js';

/**
 * The first key of the two-key advisory lock space (`pg_advisory_lock(int, int)`) the token locks
 * use, so they cannot collide with single-key advisory locks (migrations). An arbitrary
 * constant; the second key is `hashtext(key)`.
 */
export const TOKEN_LOCK_SPACE = 7_143_224;

export interface SqlTokenStoreOptions {
  db: Database;
  /** Shared with the connection repository, so that a rotation switches both. */
  keyring: Keyring;
}

/** One mutex per database handle: every store over the same handle excludes the others. */
const mutexes = new WeakMap<Database, KeyedMutex>();

function mutexOf(db: Database): KeyedMutex {
  let mutex = mutexes.get(db);
  if (!mutex) mutexes.set(db, (mutex = new KeyedMutex()));
  return mutex;
}

/** The connection a lock holder's `get`/`set` go through, while the lock holds. */
interface Held {
  conn: Queryable;
  open: boolean;
}

/**
 * The engine's `TokenStore`: OAuth tokens in `oauth_tokens`, sealed with AES-256-GCM (bound to
 * their key). `set` is one autocommitted upsert, durable when it resolves.
 *
 * `lock(key, fn)` runs `fn` while no other holder of `key` runs:
 * - on a PostgreSQL server, across processes: after an in-process mutex (one waiter per key per
 *   process), it takes a session-level `pg_advisory_lock(TOKEN_LOCK_SPACE, hashtext(key))` on a
 *   dedicated connection (`Database.withConnection`) and holds it until `fn` ends. The holder's own
 *   `get`/`set` go through that connection, so a holder never needs a second pool connection (no
 *   pool exhaustion however many keys are locked). A holder whose process dies loses the lock
 *   with its session.
 * - on PGlite (one process), with the in-process mutex alone (shared by every store over the same
 *   `Database`); it does not hold the serialized
 *   query queue, so `fn` may use the database freely.
 * Not re-entrant: locking a key again inside its own `fn` waits forever, as with the memory store.
 *
 * @example
 * const { keyring } = await loadKeyring({ keyFile: './data/secret.key' });
 * const store = createSqlTokenStore({ db, keyring });
 * await store.set(`location:${locationId}`, oauth.toStoredTokens(await oauth.exchangeCode({ code, redirectUri }), Date.now()));
 * const ghl = createGhlClient({ oauth, auth: { oauthTokens: { store, key: `location:${locationId}` } }, locationId });
 */
export function createSqlTokenStore(options: SqlTokenStoreOptions): SqlTokenStore {
  return new SqlTokenStore(options);
}

export class SqlTokenStore implements TokenStore {
  private readonly db: Database;
  private readonly keyring: Keyring;
  private readonly mutex: KeyedMutex;
  private readonly held = new AsyncLocalStorage<Held>();

  constructor(options: SqlTokenStoreOptions) {
    this.db = options.db;
    this.keyring = options.keyring;
    this.mutex = mutexOf(options.db);
  }

  async get(key: string): Promise<StoredTokens | null> {
    return this.keyring.withKeys(async () => {
      const { rows } = await this.queryable().query<{ sealed: Uint8Array; key_id: string }>('select sealed, key_id from oauth_tokens where key = $1', [key]);
      const row = rows[0];
      if (!row) return null;
      return JSON.parse(this.keyring.open(row.sealed, row.key_id, tokenContext(key), `the OAuth tokens of "${key}"`)) as StoredTokens;
    });
  }

  async set(key: string, tokens: StoredTokens): Promise<void> {
    await this.keyring.withKeys(async () => {
      const { sealed, keyId } = this.keyring.seal(JSON.stringify(tokens), tokenContext(key));
      await this.queryable().query(
        `insert into oauth_tokens (key, sealed, key_id, expires_at) values ($1, $2, $3, $4)
         on conflict (key) do update set sealed = excluded.sealed, key_id = excluded.key_id, expires_at = excluded.expires_at, updated_at = now()`,
        [key, sealed, keyId, Math.trunc(tokens.expiresAt)],
      );
    });
  }

  /** Forgets a connection's tokens (uninstall, disconnect). True when there were some. */
  async delete(key: string): Promise<boolean> {
    const { rowCount } = await this.queryable().query('delete from oauth_tokens where key = $1', [key]);
    return rowCount > 0;
  }

  async lock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (this.db.kind === 'pglite') return this.mutex.run(key, fn);
    return this.mutex.run(key, () =>
      this.db.withConnection(async (conn) => {
        await conn.query('select pg_advisory_lock($1, hashtext($2))', [TOKEN_LOCK_SPACE, key]);
        const held: Held = { conn, open: true };
        let result: T;
        try {
          result = await this.held.run(held, fn);
        } catch (error) {
          held.open = false;
          // A failed unlock breaks the connection; withConnection then closes it, which unlocks too.
          await conn.query('select pg_advisory_unlock($1, hashtext($2))', [TOKEN_LOCK_SPACE, key]).catch(() => undefined);
          throw error;
        }
        held.open = false;
        await conn.query('select pg_advisory_unlock($1, hashtext($2))', [TOKEN_LOCK_SPACE, key]);
        return result;
      }),
    );
  }

  /** Whether this process holds or waits for the lock of `key`. */
  isLocked(key: string): boolean {
    return this.mutex.isLocked(key);
  }

  /** Inside a lock held here: its connection; elsewhere (or once it ended) the pool. */
  private queryable(): Queryable {
    const held = this.held.getStore();
    return held?.open ? held.conn : this.db;
  }
}
