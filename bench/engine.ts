import { createEngine, openPglite, openPostgres, type Recipe } from '../src/engine/index.js';
import { createGhlClient } from '../src/ghl/index.js';
import { serverDatabase } from '../test/support/databases.js';
import { CLI, startProcess } from './process.js';

/**
 * End to end: events ingested → runs → GHL calls against the sandbox (its own process, rate limits
 * off), on embedded PGlite and on the PostgreSQL server. Reports events/s, GHL calls per record
 * and peak RSS of this process (engine + worker; the sandbox is separate).
 */
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);

const recipe: Recipe = {
  id: 'bench-contacts',
  version: 1,
  trigger: { source: 'bench', events: ['record.changed'] },
  connection: 'ghl',
  recordId: 'record.id',
  mapping: { contact: { email: { path: 'record.email', transforms: ['email'] }, firstName: 'record.first', companyName: 'record.company' } },
  actions: [{ type: 'upsertContact' }],
};

export interface EngineBenchRow {
  database: string;
  events: number;
  eventsPerSecond: number;
  callsPerRecord: number;
  unchangedWrites: number;
  peakRssMb: number;
}

async function benchOne(database: 'pglite' | 'postgres'): Promise<EngineBenchRow> {
  const sandbox = await startProcess<{ url: string; pit: string; locationId: string }>([CLI, 'sandbox', '--port', '0', '--json', '--rate-limit', 'off']);
  const server = database === 'postgres' ? await serverDatabase() : null;
  const db = server ? openPostgres(server.url!, { max: 10 }) : await openPglite();
  let calls = 0;
  const client = createGhlClient({ baseUrl: sandbox.info.url, auth: { privateIntegrationToken: sandbox.info.pit }, locationId: sandbox.info.locationId, rateBudget: false });
  const engine = await createEngine({ db, ghl: async () => ({ client, locationId: sandbox.info.locationId }), onCall: () => calls++ });
  try {
    await engine.saveRecipe(recipe);
    await engine.startWorker({ concurrency: 6, batchSize: 20, pollingIntervalSeconds: 0.5 });
    const settle = async () => {
      for (;;) {
        const { rows } = await db.query<{ n: string }>(`select count(*) as n from runs where status in ('queued', 'running')`);
        if (Number(rows[0]!.n) === 0) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const record = (i: number) => ({ record: { id: `r${i}`, email: `r${i}@bench.example`, first: `R${i}`, company: `Co ${i % 50}` } });
    const started = performance.now();
    for (let i = 0; i < EVENTS; i++) await engine.ingest({ source: 'bench', externalId: `e${i}`, type: 'record.changed', payload: record(i) });
    await settle();
    const seconds = (performance.now() - started) / 1000;
    const newCalls = calls;
    calls = 0;
    for (let i = 0; i < EVENTS; i++) await engine.ingest({ source: 'bench', externalId: `again${i}`, type: 'record.changed', payload: record(i) });
    await settle();
    return {
      database,
      events: EVENTS,
      eventsPerSecond: Math.round(EVENTS / seconds),
      callsPerRecord: Math.round((newCalls / EVENTS) * 100) / 100,
      unchangedWrites: calls,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await engine.close();
    await server?.drop().catch(() => undefined);
    sandbox.stop();
  }
}

export async function benchEngine(): Promise<EngineBenchRow[]> {
  return [await benchOne('pglite'), await benchOne('postgres')];
}
