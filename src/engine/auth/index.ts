/** The engine's OAuth token store: sealed in PostgreSQL, locked across processes. */
export { createSqlTokenStore, SqlTokenStore, TOKEN_LOCK_SPACE, type SqlTokenStoreOptions } from './sql-token-store.js';
export { KeyedMutex } from '../../ghl/auth/keyed-mutex.js';
