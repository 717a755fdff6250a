import { benchGovernor } from './governor.js';
import { benchEngine } from './engine.js';
import { benchIngress } from './ingress.js';
import { benchSandbox } from './sandbox.js';

/** `npm run bench`: prints a table per benchmark and a PASS/FAIL line per target. */
function table(rows: Array<Record<string, string | number>>): string {
  const cols = Object.keys(rows[0] ?? {});
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join('  ');
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => String(r[c]))))].join('\n');
}

const sandbox = await benchSandbox();
console.log('\nGHL sandbox on loopback, rate limits off');
console.log(table(sandbox.rows.map((r) => ({ load: r.name, 'requests/s': r.rps, 'p99 ms': r.p99, errors: r.errors, non2xx: r.non2xx }))));
console.log(`sandbox GET / baseline ratio: ${sandbox.ratio.toFixed(2)}`);
console.log(`${sandbox.pass ? 'PASS' : 'FAIL'}: sandbox answers >= 5000 simple requests/s (got ${sandbox.rows[1]!.rps})`);
if (!sandbox.pass) process.exitCode = 1;

const governed = await benchGovernor();
console.log('\nRate governor against the sandbox burst limit (100 per 2 s, sliding window), 3 windows after a warm-up');
console.log(table(governed.rows.map((r) => ({ scenario: r.name, requests: r.requests, utilization: r.utilization.toFixed(3), 'min share': r.minShare.toFixed(3), '429s': r.client429s, failures: r.failures }))));
for (const line of governed.lines) console.log(line);
if (!governed.pass) process.exitCode = 1;

const engineRows = await benchEngine();
console.log(`\nEngine end to end (ingest → run → GHL sandbox, limits off), ${engineRows[0]?.events ?? 0} new records then the same again unchanged`);
console.log(table(engineRows.map((r) => ({ database: r.database, 'events/s': r.eventsPerSecond, 'GHL calls/record': r.callsPerRecord, 'writes on re-delivery': r.unchangedWrites, 'peak RSS MB': r.peakRssMb }))));
for (const r of engineRows) {
  const pass = r.callsPerRecord <= 1.05 && r.unchangedWrites === 0;
  console.log(`${pass ? 'PASS' : 'FAIL'}: engine on ${r.database}: <= 1.05 GHL calls per new record (got ${r.callsPerRecord}) and 0 writes for unchanged re-deliveries (got ${r.unchangedWrites})`);
  if (!pass) process.exitCode = 1;
}

const ingress = await benchIngress();
console.log(`\nWebhook ingress on loopback (embedded PGlite), ${ingress.rows[1]!.requests} signed deliveries per load`);
console.log(table(ingress.rows.map((r) => ({ load: r.name, requests: r.requests, 'p50 ms': r.p50, 'p99 ms': r.p99, non2xx: r.non2xx }))));
console.log(`ingress / baseline p99 ratio: ${(ingress.rows[1]!.p99 / ingress.rows[0]!.p99).toFixed(1)}`);
console.log(`${ingress.pass ? 'PASS' : 'FAIL'}: webhook ingress p99 < 50 ms on loopback (got ${ingress.rows[1]!.p99} ms)`);
if (!ingress.pass) process.exitCode = 1;
