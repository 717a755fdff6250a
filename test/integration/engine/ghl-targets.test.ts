import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionRepository, ghlTargets, Keyring, migrate, SecretKey } from '../../../src/engine/index.js';
import { pgliteDatabase, type TestDatabase } from '../../support/databases.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/**
 * GHL clients built from stored connections stay in step with them: a PIT replaced by another
 * process (a second ghlTargets over the same database stands for a worker) is picked up on the
 * next run, not after a restart.
 */
let t: TestDatabase;
let sb: TestSandbox;
beforeAll(async () => {
  t = await pgliteDatabase();
  await migrate(t.db);
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.close();
  await t.drop();
});

describe('ghlTargets', () => {
  it('rebuilds a client when its stored connection changed elsewhere', async () => {
    const keyring = new Keyring(SecretKey.generate());
    const connections = createConnectionRepository({ db: t.db, keyring });
    await connections.create({ id: 'ghl-main', app: 'ghl-location', name: 'Main', config: { locationId: sb.info.locationId, auth: 'pit' }, secrets: { pit: sb.info.pit } });
    const worker = ghlTargets({ db: t.db, connections, keyring, baseUrl: sb.url, retry: { maxAttempts: 1 } });
    const search = async () => (await worker('ghl-main')).client.contacts.search({ pageLimit: 1 });
    expect((await search()).contacts).toHaveLength(1);

    // the operator replaces the PIT (another process) and the old one is revoked
    const fresh = await sb.api<{ token: string }>('POST', '/_sandbox/pits', { token: null, body: { locationId: sb.info.locationId, scopes: ['contacts.readonly', 'contacts.write'] } });
    expect(fresh.status).toBe(200);
    const admin = createConnectionRepository({ db: t.db, keyring });
    await new Promise((r) => setTimeout(r, 5)); // a later updated_at than the build's
    await admin.update('ghl-main', { secrets: { pit: fresh.body.token } });
    expect((await sb.api('POST', '/_sandbox/tokens/revoke', { token: null, body: { token: sb.info.pit } })).status).toBe(200);

    expect((await search()).contacts).toHaveLength(1);
    const { requests } = (await (await fetch(`${sb.url}/_sandbox/requests?limit=5`)).json()) as { requests: Array<{ status: number }> };
    expect(requests.at(-1)!.status).toBe(200);
  });
});
