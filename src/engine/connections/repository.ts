import { randomBytes } from 'node:crypto';
import type { Database } from '../db/types.js';
import { assertNoSecretsInConfig } from './config-guard.js';
import { connectionContext } from './contexts.js';
import { ConnectionExistsError, ConnectionNotFoundError, InvalidConnectionError } from './errors.js';
import { writeKeyFile } from './key-source.js';
import type { Keyring } from './keyring.js';
import { resealAll } from './rotation.js';
import { SecretKey } from './secret-key.js';
import { Secrets } from './secrets.js';
import { CONNECTION_APPS, type Connection, type ConnectionApp, type ConnectionPatch, type ConnectionRepository, type ConnectionSummary, type NewConnection, type RotateOptions, type RotationResult } from './types.js';

interface Row {
  id: string;
  app: ConnectionApp;
  name: string;
  config: Record<string, unknown>;
  has_secrets: boolean;
  key_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** The summary columns: never `sealed_secret`. */
const SUMMARY = 'id, app, name, config, sealed_secret is not null as has_secrets, key_id, created_at, updated_at';

const summaryOf = (r: Row): ConnectionSummary => ({
  id: r.id,
  app: r.app,
  name: r.name,
  config: r.config,
  hasSecrets: r.has_secrets,
  keyId: r.key_id,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export interface ConnectionRepositoryOptions {
  db: Database;
  /** Shared with the token store, so that a rotation switches both. */
  keyring: Keyring;
}

/**
 * Connections in the `connections` table, their secrets sealed with AES-256-GCM under the
 * keyring's current key (the key id stored beside them). `list`, `create` and `update` answer
 * summaries that hold no secret (the sealed column is not even read); only `get` opens them, into
 * a `Secrets` that prints as `[redacted]`. `rotate` re-seals every connection secret and OAuth token
 * with a new key in one transaction and then unloads the old keys: run it with the other workers
 * stopped (or restart them with the new key), since a worker still on the old key cannot open
 * what is re-sealed and what it writes meanwhile stays sealed with the old key.
 *
 * @example
 * const { keyring } = await loadKeyring({ keyFile: './data/secret.key' });
 * const connections = createConnectionRepository({ db, keyring });
 * const { id } = await connections.create({ app: 'ghl-location', name: 'Dental', config: { locationId, auth: 'pit' }, secrets: { token: pit } });
 * const pitToken = (await connections.get(id))!.secrets.require('token');
 * await connections.rotate({ keyFile: './data/secret.key' });
 */
export function createConnectionRepository(options: ConnectionRepositoryOptions): ConnectionRepository {
  const { db, keyring } = options;

  function sealedOf(id: string, secrets: Readonly<Record<string, string>> | null | undefined): { sealed: Buffer | null; keyId: string | null } {
    if (!secrets || Object.keys(secrets).length === 0) return { sealed: null, keyId: null };
    const checked = new Secrets(secrets).reveal();
    const { sealed, keyId } = keyring.seal(JSON.stringify(checked), connectionContext(id));
    return { sealed, keyId };
  }

  return {
    async create(input: NewConnection) {
      const id = input.id ?? `con_${randomBytes(12).toString('base64url')}`;
      checkIdentity(id, input.app, input.name);
      const config = input.config ?? {};
      assertNoSecretsInConfig(config);
      return keyring.withKeys(async () => {
        const { sealed, keyId } = sealedOf(id, input.secrets);
        const { rows } = await db.query<Row>(
          `insert into connections (id, app, name, config, sealed_secret, key_id) values ($1, $2, $3, $4::jsonb, $5, $6)
           on conflict (id) do nothing returning ${SUMMARY}`,
          [id, input.app, input.name, JSON.stringify(config), sealed, keyId],
        );
        if (!rows[0]) throw new ConnectionExistsError(id);
        return summaryOf(rows[0]);
      });
    },

    async get(id: string) {
      return keyring.withKeys(async () => {
        const { rows } = await db.query<Row & { sealed_secret: Uint8Array | null }>(`select ${SUMMARY}, sealed_secret from connections where id = $1`, [id]);
        const row = rows[0];
        if (!row) return null;
        let secrets = new Secrets();
        if (row.sealed_secret && row.key_id) {
          const text = keyring.open(row.sealed_secret, row.key_id, connectionContext(id), `the secrets of connection "${id}"`);
          secrets = new Secrets(JSON.parse(text) as Record<string, string>);
        }
        const connection: Connection = { ...summaryOf(row), secrets };
        return connection;
      });
    },

    async list(filter = {}) {
      const { rows } = filter.app
        ? await db.query<Row>(`select ${SUMMARY} from connections where app = $1 order by created_at, id`, [filter.app])
        : await db.query<Row>(`select ${SUMMARY} from connections order by created_at, id`);
      return rows.map(summaryOf);
    },

    async update(id: string, patch: ConnectionPatch) {
      if (patch.name !== undefined && patch.name.trim() === '') throw new InvalidConnectionError('a connection needs a name');
      if (patch.config !== undefined) assertNoSecretsInConfig(patch.config);
      return keyring.withKeys(async () => {
        const sets: string[] = ['updated_at = now()'];
        const params: unknown[] = [id];
        const set = (column: string, value: unknown, cast = '') => {
          params.push(value);
          sets.push(`${column} = $${params.length}${cast}`);
        };
        if (patch.name !== undefined) set('name', patch.name);
        if (patch.config !== undefined) set('config', JSON.stringify(patch.config), '::jsonb');
        if (patch.secrets !== undefined) {
          const { sealed, keyId } = sealedOf(id, patch.secrets);
          set('sealed_secret', sealed);
          set('key_id', keyId);
        }
        const { rows } = await db.query<Row>(`update connections set ${sets.join(', ')} where id = $1 returning ${SUMMARY}`, params);
        if (!rows[0]) throw new ConnectionNotFoundError(id);
        return summaryOf(rows[0]);
      });
    },

    async delete(id: string) {
      const { rowCount } = await db.query('delete from connections where id = $1', [id]);
      return rowCount > 0;
    },

    async rotate(rotateOptions: RotateOptions = {}): Promise<RotationResult> {
      const key = rotateOptions.newKey ?? SecretKey.generate();
      const { keyFile } = rotateOptions;
      return keyring.rotating(async () => {
        // Until the re-sealing commits, the file keeps the old keys too: a crash leaves all readable.
        if (keyFile) await writeKeyFile(keyFile, [key, ...keyring.all]);
        const counts = await db.transaction((tx) => resealAll(tx, keyring, key));
        keyring.use(key);
        keyring.retireAll();
        if (keyFile) await writeKeyFile(keyFile, [key]);
        return { key, ...counts };
      });
    },
  };
}

function checkIdentity(id: string, app: string, name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(id)) throw new InvalidConnectionError(`connection id "${id.slice(0, 40)}" must be 1–128 letters, digits or _ . : -`);
  if (!(CONNECTION_APPS as readonly string[]).includes(app)) throw new InvalidConnectionError(`unknown app "${app}" (known: ${CONNECTION_APPS.join(', ')})`);
  if (name.trim() === '') throw new InvalidConnectionError('a connection needs a name');
}
