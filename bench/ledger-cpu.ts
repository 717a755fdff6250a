/**
 * CPU time per event as the ledger grows: two `ghl-bridge start` processes side by side, each on
 * its own throwaway PostgreSQL database, one with 1,000 and one with 100,000 ledger rows preloaded
 * in bulk (one `insert … select from generate_series`, then `analyze`, as autovacuum would). New
 * records are delivered as signed webhooks and drained (sandbox limits off), in rounds that
 * alternate between the two, so a change in the shared machine's load hits both alike. The figure
 * is the utime + stime the engine process used (/proc/<pid>/stat) from the first delivery of a
 * round to its drain, summed over the rounds, per event. PostgreSQL's backends and the sandbox are
 * other processes and are not counted.
 */
import { addConnections, createProject, measurePhase, startBridge, userEvent, type Bridge, type Project } from './bridge.js';
import { startSandbox, type Sandbox } from './ghl-sandbox.js';
import { throwawayDatabase, type ThrowawayDatabase } from './pg.js';
import { cpuSeconds } from './processes.js';
import { ratio, round, section, verdict } from './report.js';

const EVENTS = Number(process.env.BENCH_CPU_EVENTS ?? 1500);
const ROUNDS = Number(process.env.BENCH_CPU_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_CPU_WARMUP ?? 300);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 8);
const SIZES = (process.env.BENCH_LEDGER_ROWS ?? '1000,100000').split(',').map(Number);

interface Side {
  ledgerRows: number;
  project: Project;
  db: ThrowawayDatabase;
  bridge?: Bridge;
  preloadSeconds: number;
  cpu: number;
  events: number;
  seconds: number;
}

/** The rows a long-running install has: one per synced record of this connection and source. */
async function preload(db: ThrowawayDatabase, locationId: string, n: number): Promise<number> {
  const t = Date.now();
  await db.query(
    `insert into ledger (connection_id, source, kind, source_id, ghl_id, location_id, fields_hash, fields)
     select 'ghl-main', 'app', 'contact', 'pre-' || i, substr(md5(i::text), 1, 20), $1, md5('h' || i),
            jsonb_build_object('email', 'pre-' || i || '@bench.example', 'firstName', 'Pre', 'lastName', 'Row' || i)
       from generate_series(1, $2::int) as i`,
    [locationId, n],
  );
  await db.query('analyze ledger');
  return (Date.now() - t) / 1000;
}

/** Opens one side and adds it to `sides` at once, so that it is closed whatever fails later. */
async function open(sandbox: Sandbox, ledgerRows: number, sides: Side[]): Promise<void> {
  const project = await createProject(sandbox.info.url, [{ id: 'bench-users', event: 'user.created', connection: 'ghl-main' }]);
  const db = await throwawayDatabase();
  const side: Side = { ledgerRows, project, db, preloadSeconds: 0, cpu: 0, events: 0, seconds: 0 };
  sides.push(side);
  side.bridge = await startBridge(project, { databaseUrl: db.url });
  await addConnections(side.bridge, [{ id: 'ghl-main', locationId: sandbox.info.locationId, pit: sandbox.info.pit }]);
  side.preloadSeconds = await preload(db, sandbox.info.locationId, ledgerRows);
}

const batch = (key: string, n: number) => Array.from({ length: n }, (_, i) => userEvent('user.created', key, i));

export async function benchLedgerCpu(): Promise<void> {
  const sandbox = await startSandbox({ rateLimit: 'off' });
  const sides: Side[] = [];
  try {
    for (const n of SIZES) await open(sandbox, n, sides);
    for (const s of sides) await measurePhase(s.bridge!, sandbox, batch(`cpu${s.ledgerRows}-warm`, WARMUP), { idPrefix: `cpu${s.ledgerRows}-warm`, writes: WARMUP, concurrency: SENDERS });
    const perRound = Math.ceil(EVENTS / ROUNDS);
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of r % 2 === 0 ? sides : [...sides].reverse()) {
        const key = `cpu${s.ledgerRows}-r${r}`;
        const before = cpuSeconds(s.bridge!.start.pid);
        const phase = await measurePhase(s.bridge!, sandbox, batch(key, perRound), { idPrefix: key, writes: perRound, concurrency: SENDERS });
        s.cpu += cpuSeconds(s.bridge!.start.pid) - before;
        s.events += perRound;
        s.seconds += phase.seconds;
      }
    }
    const rows = [];
    for (const s of sides) {
      const { rows: count } = await s.db.query<{ n: string }>('select count(*) as n from ledger');
      rows.push({ 'ledger rows preloaded': s.ledgerRows, 'ledger rows at the end': Number(count[0]!.n), 'preload s': round(s.preloadSeconds, 2), events: s.events, 'events/s': round(s.events / s.seconds), 'engine CPU s': round(s.cpu, 2), 'CPU ms/event': round((s.cpu * 1000) / s.events, 2) });
    }
    section(`CPU per event vs ledger size (PostgreSQL, \`start\` alone, ${ROUNDS} alternating rounds of ${perRound} new records after ${WARMUP} warm-up; utime+stime of the engine process)`, rows);
    const [small, large] = [sides[0]!, sides[sides.length - 1]!];
    const per = (s: Side) => (s.cpu * 1000) / s.events;
    const k = ratio(per(large), per(small));
    verdict(k <= 1.2, `CPU time per event, ${large.ledgerRows} vs ${small.ledgerRows} ledger rows: ${round(per(large), 2)} vs ${round(per(small), 2)} ms = ${round(k, 2)} x (target <= 1.2 x)`);
  } finally {
    for (const s of sides) {
      await s.bridge?.stop();
      await s.db.drop().catch(() => undefined);
      s.project.remove();
    }
    await sandbox.stop();
  }
}
