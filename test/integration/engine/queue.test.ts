import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openPostgres } from '../../../src/engine/db/index.js';
import { pgBossQueue, type JobQueue } from '../../../src/engine/queue/index.js';
import { DATABASES, serverDatabase, type TestDatabase } from '../../support/databases.js';

describe.each(DATABASES)('pg-boss queue on %s', (_name, open) => {
  let t: TestDatabase;
  let queue: JobQueue;
  afterEach(async () => {
    await queue.stop();
    await t.drop();
  });

  it('enqueues in the caller transaction: a rolled-back event leaves no job, a committed one is worked', async () => {
    t = await open();
    await migrate(t.db);
    queue = pgBossQueue(t.db, { url: t.url });
    await queue.start();
    await queue.createQueue('runs');
    await t.db
      .transaction(async (tx) => {
        await tx.query(`insert into events (source, external_id, type, payload) values ('s', 'gone', 't', '{}')`);
        await queue.send('runs', { event: 'gone' }, { tx });
        throw new Error('rollback');
      })
      .catch(() => undefined);
    await t.db.transaction(async (tx) => {
      await tx.query(`insert into events (source, external_id, type, payload) values ('s', 'kept', 't', '{}')`);
      await queue.send('runs', { event: 'kept' }, { tx });
    });
    expect(await queue.size('runs')).toBe(1);
    const seen: string[] = [];
    await new Promise<void>((resolve) => {
      void queue.work<{ event: string }>('runs', { batchSize: 5, pollingIntervalSeconds: 0.5 }, async (jobs) => {
        seen.push(...jobs.map((j) => j.data.event));
        resolve();
      });
    });
    expect(seen).toEqual(['kept']);
  });

  it('keeps one queued job per singleton key and delays by startAfter', async () => {
    t = await open();
    await migrate(t.db);
    queue = pgBossQueue(t.db, { url: t.url });
    await queue.start();
    await queue.createQueue('later', { policy: 'short' });
    const later = Date.now() + 60_000;
    expect(await queue.send('later', { n: 1 }, { singletonKey: 'k', startAfter: later })).toEqual(expect.any(String));
    expect(await queue.send('later', { n: 2 }, { singletonKey: 'k', startAfter: later })).toBeNull();
    expect(await queue.size('later')).toBe(1);
  });
});

describe('pg-boss queue on the server, two processes starting together', () => {
  it('creates a queue once when many workers create it at the same time', async () => {
    const t = await serverDatabase();
    const queues = [0, 1, 2, 3].map(() => pgBossQueue(openPostgres(t.url!), { url: t.url }));
    try {
      await Promise.all(queues.map((q) => q.start()));
      await Promise.all(queues.map((q) => q.createQueue('together')));
      expect(await queues[0]!.size('together')).toBe(0);
    } finally {
      await Promise.all(queues.map((q) => q.stop()));
      await t.drop();
    }
  });
});
