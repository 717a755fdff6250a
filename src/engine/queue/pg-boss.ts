import PgBoss from 'pg-boss';
import type { Database, Queryable } from '../db/types.js';
import type { Job, JobQueue, QueueOptions, SendOptions } from './types.js';

type BossDb = PgBoss.Db;

/** pg-boss's `db` hook over one of our connections (PGlite has no socket). */
function bossDb(q: Database | Queryable): BossDb {
  return {
    executeSql: async (text: string, values: unknown[] = []) => {
      if (values.length === 0 && 'exec' in q) return q.exec(text);
      return q.query(text, values);
    },
  };
}

/**
 * pg-boss 10 (the newest on Node 20) as the `JobQueue`: in-process on PGlite through its `db`
 * hook, or with its own pool on a PostgreSQL server.
 *
 * @example
 * const queue = pgBossQueue(db, { url: process.env.DATABASE_URL });
 * await queue.start();
 * await queue.createQueue('runs');
 */
export function pgBossQueue(db: Database, options: { url?: string } = {}): JobQueue {
  const boss =
    db.kind === 'postgres' && options.url
      ? new PgBoss({ connectionString: options.url, max: 4, schedule: false })
      : new PgBoss({ db: bossDb(db), schedule: false, supervise: true });
  boss.on('error', (error: Error) => process.stderr.write(`ghl-bridge: queue error: ${error.message}\n`));
  return {
    async start() {
      await boss.start();
    },
    async stop(o = {}) {
      await boss.stop({ graceful: o.graceful ?? true, wait: true, timeout: 5_000 });
    },
    async createQueue(name: string, q: QueueOptions = {}) {
      // Workers starting together race to create the same queue (pg-boss 10 adds a partition per
      // queue): a deadlock or duplicate means another process is creating it; look again.
      for (let attempt = 1; ; attempt++) {
        if (await boss.getQueue(name)) return;
        try {
          await boss.createQueue(name, {
            name,
            policy: q.policy ?? 'standard',
            retryLimit: q.retryLimit ?? 0,
            retryDelay: q.retryDelaySeconds ?? 0,
            retryBackoff: q.retryBackoff ?? false,
            expireInSeconds: q.expireInSeconds ?? 300,
          });
          return;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (attempt >= 5 || (code !== '40P01' && code !== '23505' && code !== '42P07')) throw error;
          await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
        }
      }
    },
    async send<T extends object>(name: string, data: T, o: SendOptions = {}) {
      return boss.send(name, data, {
        ...(o.startAfter ? { startAfter: new Date(o.startAfter) } : {}),
        ...(o.singletonKey ? { singletonKey: o.singletonKey } : {}),
        ...(o.tx ? { db: bossDb(o.tx) } : {}),
      });
    },
    async work<T extends object>(name: string, o: { batchSize?: number; pollingIntervalSeconds?: number }, handler: (jobs: Job<T>[]) => Promise<void>) {
      return boss.work<T>(name, { batchSize: o.batchSize ?? 1, pollingIntervalSeconds: o.pollingIntervalSeconds ?? 0.5 }, async (jobs) => {
        await handler(jobs.map((j) => ({ id: j.id, data: j.data })));
      });
    },
    async size(name: string) {
      return boss.getQueueSize(name);
    },
  };
}
