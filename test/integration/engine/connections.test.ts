import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlTokenStore } from '../../../src/engine/auth/index.js';
import {
  ConnectionExistsError,
  ConnectionNotFoundError,
  createConnectionRepository,
  InvalidConnectionError,
  Keyring,
  loadKeyring,
  parseKeyList,
  SealedValueError,
  SecretKey,
  type ConnectionRepository,
} from '../../../src/engine/connections/index.js';
import { migrate } from '../../../src/engine/db/index.js';
import { DATABASES, type TestDatabase } from '../../support/databases.js';

const PIT = 'pit-3f1c9a77-secret-value';
const CLIENT_SECRET = 'cs-9d8e7f-another-secret';
const ACCESS = 'access-token-abc123-xyz';
const REFRESH = 'refresh-token-def456-uvw';

function tokens(n = 0) {
  return { accessToken: `${ACCESS}-${n}`, refreshToken: `${REFRESH}-${n}`, expiresAt: 1_900_000_000_000 + n, scope: 'contacts.readonly', userType: 'Location' as const, locationId: 'L1' };
}

/** Every byte of every row of a table, as text, to look for plaintext. */
async function rawText(t: TestDatabase, table: string): Promise<string> {
  const { rows } = await t.db.query<Record<string, unknown>>(`select * from ${table}`);
  return rows
    .map((r) => Object.values(r).map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') + Buffer.from(v).toString('hex') : JSON.stringify(v))).join('|'))
    .join('\n');
}

describe.each(DATABASES)('connections on %s', (_name, open) => {
  let t: TestDatabase;
  let keyring: Keyring;
  let repo: ConnectionRepository;
  const dirs: string[] = [];
  const scratch = () => {
    const d = mkdtempSync(join(tmpdir(), 'ghl-bridge-conn-'));
    dirs.push(d);
    return d;
  };

  beforeEach(async () => {
    t = await open();
    await migrate(t.db);
    keyring = new Keyring(SecretKey.generate());
    repo = createConnectionRepository({ db: t.db, keyring });
  });
  afterEach(async () => {
    await t.drop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('creates, gets with secrets, lists without them, updates and deletes', async () => {
    const created = await repo.create({ id: 'dental', app: 'ghl-location', name: 'Dental', config: { locationId: 'L1', auth: 'pit' }, secrets: { token: PIT } });
    expect(created).toMatchObject({ id: 'dental', app: 'ghl-location', name: 'Dental', config: { locationId: 'L1', auth: 'pit' }, hasSecrets: true, keyId: keyring.current.id });
    expect(created).not.toHaveProperty('secrets');
    const plain = await repo.create({ app: 'connecteam', name: 'Shifts' });
    expect(plain.id).toMatch(/^con_[A-Za-z0-9_-]{16}$/);
    expect(plain).toMatchObject({ hasSecrets: false, keyId: null, config: {} });

    const got = await repo.get('dental');
    expect(got!.secrets.require('token')).toBe(PIT);
    expect(JSON.stringify(got)).not.toContain(PIT);
    expect(await repo.get('missing')).toBeNull();

    const updated = await repo.update('dental', { name: 'Dental 2', secrets: { token: 'pit-new', clientSecret: CLIENT_SECRET } });
    expect(updated).toMatchObject({ name: 'Dental 2', config: { locationId: 'L1', auth: 'pit' }, hasSecrets: true });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect((await repo.get('dental'))!.secrets.reveal()).toEqual({ token: 'pit-new', clientSecret: CLIENT_SECRET });
    await repo.update(plain.id, { config: { note: 'x' } });
    expect((await repo.get(plain.id))!.secrets.size).toBe(0);

    const list = await repo.list();
    expect(list.map((c) => c.id)).toEqual(['dental', plain.id]);
    expect(await repo.list({ app: 'connecteam' })).toHaveLength(1);
    const shown = JSON.stringify(list);
    for (const secret of [PIT, 'pit-new', CLIENT_SECRET, 'token', 'clientSecret']) expect(shown).not.toContain(secret);
    for (const c of list) expect(Object.keys(c).sort()).toEqual(['app', 'config', 'createdAt', 'hasSecrets', 'id', 'keyId', 'name', 'updatedAt']);

    await repo.update('dental', { secrets: null });
    expect(await repo.list({ app: 'ghl-location' })).toMatchObject([{ hasSecrets: false, keyId: null }]);
    expect(await repo.delete('dental')).toBe(true);
    expect(await repo.delete('dental')).toBe(false);
    expect(await repo.get('dental')).toBeNull();
  });

  it('keeps secrets unreadable in the raw table', async () => {
    await repo.create({ id: 'c1', app: 'ghl-agency', name: 'Agency', config: { companyId: 'C1', clientId: 'app-1' }, secrets: { clientSecret: CLIENT_SECRET } });
    await repo.create({ id: 'c2', app: 'webhook', name: 'Hook', config: { source: 'recruitee' }, secrets: { signingSecret: PIT } });
    const raw = await rawText(t, 'connections');
    expect(raw).toContain('app-1');
    for (const fragment of [CLIENT_SECRET, PIT, 'cs-9d8e7f', Buffer.from(PIT).toString('hex'), 'signingSecret', 'clientSecret']) expect(raw).not.toContain(fragment);
    const { rows } = await t.db.query<{ key_id: string }>('select key_id from connections');
    expect(rows.map((r) => r.key_id)).toEqual([keyring.current.id, keyring.current.id]);
  });

  it('says which key is missing when opened with the wrong key, without any secret', async () => {
    await repo.create({ id: 'c1', app: 'recruitee', name: 'ATS', config: { companyId: 'acme' }, secrets: { token: PIT } });
    const other = new Keyring(SecretKey.generate());
    const wrong = createConnectionRepository({ db: t.db, keyring: other });
    const error = await wrong.get('c1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SealedValueError);
    expect((error as SealedValueError).message).toBe(
      `the secrets of connection "c1" was sealed with key ${keyring.current.id}, which is not loaded (loaded: ${other.current.id}): start with the key it was sealed with (GHL_BRIDGE_SECRET_KEY or the key file)`,
    );
    expect(String(error)).not.toContain(PIT);
    // listing needs no key at all
    expect(await wrong.list()).toHaveLength(1);
  });

  it('refuses a sealed value moved to another row', async () => {
    await repo.create({ id: 'a', app: 'recruitee', name: 'A', secrets: { token: 'token-a' } });
    await repo.create({ id: 'b', app: 'recruitee', name: 'B', secrets: { token: 'token-b' } });
    await t.db.query(`update connections set sealed_secret = (select sealed_secret from connections where id = 'a') where id = 'b'`);
    await expect(repo.get('b')).rejects.toThrow(/the secrets of connection "b" could not be decrypted/);
  });

  it('refuses bad input with errors that name no secret', async () => {
    await expect(repo.create({ app: 'ghl-location', name: 'X', config: { locationId: 'L', privateIntegrationToken: PIT } })).rejects.toThrow(InvalidConnectionError);
    const misplaced = await repo.create({ app: 'ghl-location', name: 'X', config: { apiKey: PIT } }).catch((e: unknown) => e);
    expect(String(misplaced)).toBe('InvalidConnectionError: config.apiKey looks like a secret: pass it in secrets, which are encrypted');
    await expect(repo.create({ app: 'nope' as 'webhook', name: 'X' })).rejects.toThrow(/unknown app "nope"/);
    await expect(repo.create({ app: 'webhook', name: ' ' })).rejects.toThrow('a connection needs a name');
    await repo.create({ id: 'dup', app: 'webhook', name: 'X', secrets: { signingSecret: PIT } });
    const dup = await repo.create({ id: 'dup', app: 'webhook', name: 'X', secrets: { signingSecret: PIT } }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConnectionExistsError);
    expect(String(dup)).not.toContain(PIT);
    const missing = await repo.update('ghost', { secrets: { token: PIT } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ConnectionNotFoundError);
    expect(String(missing)).not.toContain(PIT);
    await expect(repo.update('dup', { config: { nested: { password: PIT } } })).rejects.toThrow('config.nested.password looks like a secret');
    expect(await repo.list()).toHaveLength(1);
  });

  it('uses the key file it creates with mode 0600, and opens after a restart', async () => {
    const keyFile = join(scratch(), 'data', 'secret.key');
    const loaded = await loadKeyring({ env: {}, keyFile });
    expect(loaded.source).toBe('created');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await createConnectionRepository({ db: t.db, keyring: loaded.keyring }).create({ id: 'c1', app: 'connecteam', name: 'Shifts', secrets: { apiKey: PIT } });
    const restarted = await loadKeyring({ env: {}, keyFile });
    expect(restarted.source).toBe('file');
    expect((await createConnectionRepository({ db: t.db, keyring: restarted.keyring }).get('c1'))!.secrets.get('apiKey')).toBe(PIT);
  });

  it('rotates every sealed value, connections and OAuth tokens, to a new key and keeps the key file in step', async () => {
    const keyFile = join(scratch(), 'secret.key');
    const { keyring: ring } = await loadKeyring({ env: {}, keyFile });
    const oldKey = ring.current;
    const connections = createConnectionRepository({ db: t.db, keyring: ring });
    const store = createSqlTokenStore({ db: t.db, keyring: ring });
    await connections.create({ id: 'c1', app: 'ghl-location', name: 'Dental', config: { locationId: 'L1', auth: 'oauth' }, secrets: { clientSecret: CLIENT_SECRET } });
    await connections.create({ id: 'c2', app: 'connecteam', name: 'Shifts', secrets: { apiKey: PIT } });
    await connections.create({ id: 'c3', app: 'webhook', name: 'No secret' });
    await store.set('location:L1', tokens(1));
    await store.set('agency:C1', tokens(2));

    const result = await connections.rotate({ keyFile });
    expect(result).toMatchObject({ connections: 2, tokens: 2 });
    expect(result.key.id).not.toBe(oldKey.id);
    expect(ring.ids).toEqual([result.key.id]);
    const keyIds = await t.db.query<{ key_id: string | null }>('select key_id from connections where key_id is not null union all select key_id from oauth_tokens');
    expect(keyIds.rows.map((r) => r.key_id)).toEqual(Array(4).fill(result.key.id));

    // a restart reads the new key from the file, which holds nothing else
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(parseKeyList(readFileSync(keyFile, 'utf8'), 'file').map((k) => k.id)).toEqual([result.key.id]);
    const { keyring: restarted } = await loadKeyring({ env: {}, keyFile });
    const after = createConnectionRepository({ db: t.db, keyring: restarted });
    expect((await after.get('c1'))!.secrets.get('clientSecret')).toBe(CLIENT_SECRET);
    expect((await after.get('c2'))!.secrets.get('apiKey')).toBe(PIT);
    expect(await createSqlTokenStore({ db: t.db, keyring: restarted }).get('agency:C1')).toEqual(tokens(2));
    // the old key opens nothing any more
    const { keyring: oldOnly } = await loadKeyring({ env: { GHL_BRIDGE_SECRET_KEY: oldKey.export() } });
    await expect(createConnectionRepository({ db: t.db, keyring: oldOnly }).get('c1')).rejects.toThrow(`sealed with key ${result.key.id}, which is not loaded (loaded: ${oldKey.id})`);
    await expect(createSqlTokenStore({ db: t.db, keyring: oldOnly }).get('location:L1')).rejects.toThrow(SealedValueError);
    // and the process that rotated seals with the new key from now on
    await store.set('location:L2', tokens(3));
    expect((await t.db.query<{ key_id: string }>(`select key_id from oauth_tokens where key = 'location:L2'`)).rows[0]!.key_id).toBe(result.key.id);
  });

  it('rotates all or nothing: a value no loaded key opens changes nothing', async () => {
    const store = createSqlTokenStore({ db: t.db, keyring });
    await repo.create({ id: 'c1', app: 'connecteam', name: 'Shifts', secrets: { apiKey: PIT } });
    await store.set('location:L1', tokens(1));
    const stranger = new Keyring(SecretKey.generate());
    await createSqlTokenStore({ db: t.db, keyring: stranger }).set('location:L9', tokens(9));
    const oldId = keyring.current.id;
    await expect(repo.rotate()).rejects.toThrow(`the OAuth tokens of "location:L9" was sealed with key ${stranger.current.id}`);
    expect(keyring.current.id).toBe(oldId);
    const { rows } = await t.db.query<{ key_id: string }>(`select key_id from connections union all select key_id from oauth_tokens where key <> 'location:L9'`);
    expect(rows.map((r) => r.key_id)).toEqual([oldId, oldId]);
    expect(await store.get('location:L1')).toEqual(tokens(1));
  });

  it('lets no read or write of the process use the old key while a rotation runs', async () => {
    const store = createSqlTokenStore({ db: t.db, keyring });
    for (let i = 0; i < 5; i++) await store.set(`location:L${i}`, tokens(i));
    const writes = Array.from({ length: 20 }, (_, i) => store.set(`location:L${i % 7}`, tokens(100 + i)));
    const rotation = repo.rotate();
    const more = Array.from({ length: 10 }, (_, i) => repo.create({ app: 'recruitee', name: `R${i}`, secrets: { token: `t${i}` } }));
    const reads = Array.from({ length: 10 }, (_, i) => store.get(`location:L${i % 5}`));
    const [{ key }] = await Promise.all([rotation, ...writes, ...more, ...reads]);
    const { rows } = await t.db.query<{ key_id: string }>('select key_id from oauth_tokens union all select key_id from connections');
    expect(rows).toHaveLength(17);
    expect(new Set(rows.map((r) => r.key_id))).toEqual(new Set([key.id]));
  });
});
