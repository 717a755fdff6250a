/**
 * Connections: the credentials of one app account (a GHL location by OAuth or PIT, a GHL agency,
 * a Recruitee company, a Connecteam account, a webhook secret), sealed at rest with AES-256-GCM
 * under a key from `GHL_BRIDGE_SECRET_KEY` or a key file.
 *
 * @example
 * const { keyring } = await loadKeyring({ keyFile: './data/secret.key' });
 * const connections = createConnectionRepository({ db, keyring });
 * const tokens = createSqlTokenStore({ db, keyring }); // src/engine/auth
 */
export { createConnectionRepository, type ConnectionRepositoryOptions } from './repository.js';
export { assertNoSecretsInConfig } from './config-guard.js';
export { connectionContext, tokenContext } from './contexts.js';
export { ConnectionExistsError, ConnectionNotFoundError, InvalidConnectionError, SealedValueError, SecretKeyError } from './errors.js';
export { loadKeyring, parseKeyList, SECRET_KEY_ENV, writeKeyFile, type LoadedKeyring, type LoadKeyringOptions } from './key-source.js';
export { Keyring, type Sealed } from './keyring.js';
export { resealAll } from './rotation.js';
export { open, seal, SecretKey } from './secret-key.js';
export { Secrets } from './secrets.js';
export {
  CONNECTION_APPS,
  type Connection,
  type ConnectionApp,
  type ConnectionPatch,
  type ConnectionRepository,
  type ConnectionSummary,
  type NewConnection,
  type RotateOptions,
  type RotationResult,
} from './types.js';
