/**
 * Throughput, end to end, on the shipped configuration: signed webhooks over HTTP into `ghl-bridge
 * start` (embedded, or PostgreSQL with 1 and 2 processes), default workers, governor on, GHL =
 * the sandbox process with limits off. Beside it, the plain SDK script on the same sandbox.
 * Also: unchanged re-deliveries (same payloads, new delivery ids) and GHL calls per record, as
 * the sandbox counted them.
 */
import { addConnections, createProject, measurePhase, startBridge, statusText, userEvent, type Bridge, type Phase } from './bridge.js';
import { runSdkScript } from './baselines.js';
import { startSandbox, type Sandbox } from './ghl-sandbox.js';
import { throwawayDatabase } from './pg.js';
import { vmHwmMb } from './processes.js';
import { ratio, round, section, verdict, type Row } from './report.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 8);

interface Setup {
  name: string;
  database: 'embedded' | 'postgres';
  workers: number;
  unchanged: boolean;
}

interface Measured {
  setup: Setup;
  fresh: Phase;
  again?: Phase;
  memory: string;
}

const SETUPS: Setup[] = [
  { name: 'embedded (PGlite), 1 process', database: 'embedded', workers: 0, unchanged: true },
  { name: 'PostgreSQL, 1 process', database: 'postgres', workers: 0, unchanged: false },
  { name: 'PostgreSQL, 2 processes', database: 'postgres', workers: 1, unchanged: true },
];

const events = (key: string, n = EVENTS) => Array.from({ length: n }, (_, i) => userEvent('user.created', key, i));

async function measure(sandbox: Sandbox, setup: Setup, key: string): Promise<Measured> {
  const project = await createProject(sandbox.info.url, [{ id: 'bench-users', event: 'user.created', connection: 'ghl-main' }]);
  const db = setup.database === 'postgres' ? await throwawayDatabase() : null;
  let bridge: Bridge | undefined;
  try {
    bridge = await startBridge(project, { databaseUrl: db?.url, workers: setup.workers });
    await addConnections(bridge, [{ id: 'ghl-main', locationId: sandbox.info.locationId, pit: sandbox.info.pit }]);
    // warm-up (JIT, pools, the recipe cache): other records, not timed
    await measurePhase(bridge, sandbox, events(`${key}-warm`, WARMUP), { idPrefix: `${key}-warm`, writes: WARMUP, concurrency: SENDERS });
    const fresh = await measurePhase(bridge, sandbox, events(key), { idPrefix: `${key}-new`, writes: EVENTS, concurrency: SENDERS });
    const again = setup.unchanged ? await measurePhase(bridge, sandbox, events(key), { idPrefix: `${key}-again`, writes: 0, concurrency: SENDERS }) : undefined;
    const memory = bridge.processes().map((p) => `${p.name.replace('ghl-bridge ', '')} ${vmHwmMb(p.pid)}`).join(', ');
    return { setup, fresh, again, memory };
  } finally {
    await bridge?.stop();
    await db?.drop().catch(() => undefined);
    project.remove();
  }
}

export async function benchThroughput(): Promise<void> {
  const sandbox = await startSandbox({ rateLimit: 'off' });
  try {
    const sdk = await runSdkScript(sandbox, { records: EVENTS, warmup: WARMUP, key: 'sdk' });
    const results: Measured[] = [];
    for (const [i, setup] of SETUPS.entries()) results.push(await measure(sandbox, setup, `tp${i}`));

    const rows: Row[] = [
      { setup: 'plain SDK script (baseline), search + create/update, 4 at once', records: sdk.records, seconds: round(sdk.seconds, 2), 'events/s': round(sdk.eventsPerSecond), 'x SDK': 1, 'GHL calls/record': round(sdk.calls / sdk.records, 2), 'engine CPU ms/event': `${round((sdk.cpuSeconds * 1000) / sdk.records, 2)} (script)`, 'sandbox CPU ms/event': '', runs: `${sdk.created} created, ${sdk.updated} updated`, 'VmHWM MB': '' },
    ];
    for (const r of results) {
      for (const [label, p] of [['new records', r.fresh], ['unchanged re-deliveries', r.again]] as const) {
        if (!p) continue;
        rows.push({ setup: `${r.setup.name}: ${label}`, records: p.events, seconds: round(p.seconds, 2), 'events/s': round(p.eventsPerSecond), 'x SDK': round(p.eventsPerSecond / sdk.eventsPerSecond, 2), 'GHL calls/record': round(p.calls.total / p.events, 3), 'engine CPU ms/event': round((p.engineCpuSeconds * 1000) / p.events, 2), 'sandbox CPU ms/event': round((p.sandboxCpuSeconds * 1000) / p.events, 2), runs: statusText(p.byStatus), 'VmHWM MB': label === 'new records' ? r.memory : '' });
      }
    }
    section(`Throughput end to end (${EVENTS} events after ${WARMUP} warm-up, ${SENDERS} webhook senders, sandbox limits off; GHL calls counted by the sandbox)`, rows);

    const [embedded, pg1, pg2] = results as [Measured, Measured, Measured];
    const x = (p: Phase) => p.eventsPerSecond / sdk.eventsPerSecond;
    verdict(x(pg2.fresh) >= 1.0, `events/s, PostgreSQL, 2 processes, limits off: ${round(pg2.fresh.eventsPerSecond)} vs SDK script ${round(sdk.eventsPerSecond)} = ${round(x(pg2.fresh), 2)} x (target >= 1.0 x)`);
    const scaling = ratio(pg2.fresh.eventsPerSecond, pg1.fresh.eventsPerSecond);
    verdict(scaling >= 1.5, `events/s, PostgreSQL, scaling 1 -> 2 processes: ${round(pg1.fresh.eventsPerSecond)} -> ${round(pg2.fresh.eventsPerSecond)} = ${round(scaling, 2)} x (target >= 1.5 x)`);
    verdict(x(embedded.fresh) >= 0.3, `events/s, embedded: ${round(embedded.fresh.eventsPerSecond)} vs SDK script ${round(sdk.eventsPerSecond)} = ${round(x(embedded.fresh), 2)} x (target >= 0.3 x)`);
    for (const r of [embedded, pg2]) {
      const again = r.again!;
      const k = ratio(again.eventsPerSecond, r.fresh.eventsPerSecond);
      verdict(k >= 2 && again.calls.total === 0, `unchanged re-deliveries, ${r.setup.name}: ${round(again.eventsPerSecond)} vs new records ${round(r.fresh.eventsPerSecond)} events/s = ${round(k, 2)} x with ${again.calls.total} GHL calls (target >= 2 x, 0 calls)`);
    }
    for (const r of results) {
      const perNew = r.fresh.calls.total / r.fresh.events;
      const perSame = r.again ? r.again.calls.total / r.again.events : null;
      const ok = perNew === 1 && r.fresh.calls.writes === r.fresh.events && (perSame === null || perSame === 0);
      verdict(ok, `GHL calls per new / unchanged record, ${r.setup.name} (sandbox-counted): ${round(perNew, 3)} / ${perSame === null ? 'n/a' : round(perSame, 3)} (target 1.0 / 0.0; SDK script: ${round(sdk.calls / sdk.records, 2)} / n/a)`);
    }
  } finally {
    await sandbox.stop();
  }
}
