/**
 * The console's runs list at 100,000 runs: `ghl-bridge start` (embedded PGlite, the shipped
 * configuration) answers the first page of `GET /api/v1/runs`, without a filter and with each of
 * the console's filters, measured from this process over HTTP. Beside it, `GET /healthz` of the same
 * server in the same run (the floor of one request on this machine at this moment). Target: each
 * case's median under 100 ms, and its p99 under 100 ms plus the baseline's p99 (the machine's own
 * stalls, which a request that does nothing meets too).
 *
 * Setup: `init`, one `start` to migrate the data dir, then (the server stopped: PGlite is one
 * process) `BENCH_RUNS` (100,000) events, runs, steps and ledger rows written in bulk with
 * `generate_series` and `analyze` (as autovacuum would), then `start` again on that data dir.
 * The runs are finished (succeeded, dead, skipped): no worker touches them.
 */
import { join } from 'node:path';
import { openPglite } from '../src/engine/db/index.js';
import { createProject, startBridge, type Bridge } from './bridge.js';
import { percentile, round, section, verdict, type Row } from './report.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_RUNS_REQUESTS ?? 100);
const TARGET_MS = 100;
const RECORDS = Math.max(1, Math.floor(RUNS / 2));

/** Every 20th run is dead, every 33rd skipped, the rest succeeded; every 5th of recipe bench-b; every 7th event from connection app-b. */
export const SETUP = (n: number, records: number) => [
  `insert into events (id, source, external_id, connection_id, type, payload, received_at)
     select i, 'app', 'bench-' || i, case when i % 7 = 0 then 'app-b' else 'my-app' end, 'user.created',
       jsonb_build_object('type', 'user.created', 'data', jsonb_build_object('id', 'rec-' || (i % ${records}), 'email', 'u' || (i % ${records}) || '@bench.example', 'name', 'Bench User')),
       now() - ((${n} - i) * interval '1 second')
     from generate_series(1, ${n}) i`,
  `select setval('events_id_seq', ${n})`,
  `insert into runs (id, event_id, recipe_id, recipe_version, record_key, status, attempts, plan, error, created_at, started_at, finished_at, run_at)
     select i, i, case when i % 5 = 0 then 'bench-b' else 'bench-users' end, 1, 'app:rec-' || (i % ${records}),
       case when i % 20 = 0 then 'dead' when i % 33 = 0 then 'skipped' else 'succeeded' end, 1,
       case when i % 20 = 0 or i % 33 = 0 then null else jsonb_build_object('recordId', 'rec-' || (i % ${records}), 'locationId', 'loc-bench', 'contactId', null, 'skipped', '[]'::jsonb,
         'calls', jsonb_build_array(jsonb_build_object('step', 1, 'action', 'upsertContact', 'operationId', 'upsert-contact', 'method', 'POST', 'path', '/contacts/upsert', 'idempotent', true, 'reason', 'bench',
           'body', jsonb_build_object('email', 'u' || (i % ${records}) || '@bench.example', 'firstName', 'Bench'), 'diff', '[]'::jsonb))) end,
       case when i % 20 = 0 then '{"reason":"HighLevel refused the field email","code":"VALIDATION","status":422,"retryable":false}'::jsonb
            when i % 33 = 0 then '{"skip":{"code":"unchanged","message":"contact fields unchanged since the last write"}}'::jsonb end,
       t, t, t + interval '180 milliseconds', t
     from (select i, now() - ((${n} - i) * interval '1 second') as t from generate_series(1, ${n}) i) s`,
  `select setval('runs_id_seq', ${n})`,
  `insert into run_steps (run_id, step, action, status, request, response, ghl_id, started_at, finished_at)
     select id, 1, 'upsertContact', 'done', '{"method":"POST","path":"/contacts/upsert"}'::jsonb, '{}'::jsonb, 'ghl-c-' || substr(record_key, 9), started_at, finished_at from runs where status = 'succeeded'`,
  `insert into ledger (connection_id, source, kind, source_id, ghl_id, location_id, fields_hash, fields)
     select 'ghl-main', 'app', 'contact', 'rec-' || i, 'ghl-c-' || i, 'loc-bench', 'h' || i, jsonb_build_object('email', 'u' || i || '@bench.example') from generate_series(0, ${records - 1}) i`,
  'analyze',
];

async function timed(url: string, token: string | null, n: number): Promise<{ latencies: number[]; items: number; bad: number }> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  let items = 0;
  let bad = 0;
  for (let i = 0; i < 5; i++) await (await fetch(url, { headers })).arrayBuffer(); // warm-up: JIT, keep-alive, plan cache
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers });
    const text = await res.text();
    latencies.push(performance.now() - t);
    if (res.status !== 200) bad++;
    else if (i === 0 && token) items = (JSON.parse(text) as { items: unknown[] }).items.length;
  }
  return { latencies, items, bad };
}

export async function benchRunsList(): Promise<void> {
  const project = await createProject('http://127.0.0.1:9', [{ id: 'bench-users', event: 'user.created', connection: 'ghl-main' }]);
  let bridge: Bridge | undefined;
  try {
    // the first start migrates the data dir (and loads the recipes): the rows go in after it
    await (await startBridge(project)).stop();
    const t0 = performance.now();
    const db = await openPglite(join(project.dataDir, 'db'));
    try {
      for (const sql of SETUP(RUNS, RECORDS)) await db.query(sql);
    } finally {
      await db.close();
    }
    const setupS = round((performance.now() - t0) / 1000, 1);
    bridge = await startBridge(project);
    const since = new Date(Date.now() - 30 * 60_000).toISOString();
    const until = new Date(Date.now() - 20 * 60_000).toISOString();
    const k = Math.floor(RECORDS / 2);
    const cases: Array<[string, string]> = [
      ['no filter', ''],
      ['status=dead', 'status=dead'],
      ['status=dead,skipped', 'status=dead,skipped'],
      ['recipe', 'recipe=bench-b'],
      ['connection', 'connection=app-b'],
      ['status + recipe + connection (rare)', 'status=dead&recipe=bench-b&connection=app-b'],
      ['record id', `record=rec-${k}`],
      ['GHL contact id', `contact=ghl-c-${k}`],
      ['email', `email=u${k}@bench.example`],
      ['time range (10 min, 20 min ago)', `since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}`],
      ['old time range (until 80% of the runs ago)', `until=${encodeURIComponent(new Date(Date.now() - Math.floor(RUNS * 0.8) * 1000).toISOString())}`],
      ['page 2 (cursor)', 'cursor=' + Buffer.from(`c:${RUNS - 100}`).toString('base64url')],
    ];
    const base = await timed(`${bridge.url}/healthz`, null, REQUESTS);
    const baseP50 = percentile(base.latencies, 50);
    const baseP99 = percentile(base.latencies, 99);
    const rows: Row[] = [{ request: 'GET /healthz (baseline)', items: '', 'p50 ms': round(baseP50, 2), 'p99 ms': round(baseP99, 2), 'p99 / baseline p99': 1, non200: base.bad }];
    const results: Array<{ name: string; p50: number; p99: number; bad: number }> = [];
    for (const [name, q] of cases) {
      const r = await timed(`${bridge.url}/api/v1/runs${q ? `?${q}` : ''}`, project.token, REQUESTS);
      const p50 = percentile(r.latencies, 50);
      const p99 = percentile(r.latencies, 99);
      results.push({ name, p50, p99, bad: r.bad });
      rows.push({ request: `GET /api/v1/runs ${name}`, items: r.items, 'p50 ms': round(p50, 2), 'p99 ms': round(p99, 2), 'p99 / baseline p99': round(p99 / baseP99, 1), non200: r.bad });
    }
    section(`The runs list's first page (limit 100) with ${RUNS.toLocaleString('en')} runs on embedded PGlite, ${REQUESTS} sequential requests each after 5 warm-ups (setup in bulk: ${setupS} s)`, rows);
    // the target is absolute (100 ms); on a shared machine a p99 also holds its stalls, which the
    // baseline's p99 shows: each case passes with its median under 100 ms and its p99 under 100 ms
    // plus the baseline's p99 (a request that does nothing stalls that long too)
    const worst = results.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const slowest = results.reduce((a, b) => (b.p50 > a.p50 ? b : a));
    verdict(
      results.every((r) => r.p50 < TARGET_MS && r.p99 < TARGET_MS + baseP99 && r.bad === 0),
      `runs list first page with ${RUNS.toLocaleString('en')} runs on PGlite under ${TARGET_MS} ms: slowest p50 ${round(slowest.p50, 1)} ms (${slowest.name}), worst p99 ${round(worst.p99, 1)} ms (${worst.name}; target p99 < ${TARGET_MS} + baseline p99), no filter p50 ${round(results[0]!.p50, 1)} / p99 ${round(results[0]!.p99, 1)} ms, beside GET /healthz p50 ${round(baseP50, 1)} / p99 ${round(baseP99, 1)} ms`,
    );
  } finally {
    await bridge?.stop();
    project.remove();
  }
}
