/**
 * `npm run bench`: every figure of the bridge measured from outside on the shipped configuration
 * (see bench/README.md), each beside its baseline from the same run, then one PASS/FAIL line per
 * target. BENCH_ONLY=throughput,rate,cpu,ack,memory,sandbox,governor,console runs a subset.
 */
import { cpus, loadavg } from 'node:os';
import { benchAckLatency } from './ack-latency.js';
import { benchConsole } from './console.js';
import { benchGovernor } from './governor.js';
import { benchLedgerCpu } from './ledger-cpu.js';
import { benchMemory } from './memory.js';
import { benchRateLimits } from './rate-limits.js';
import { benchRunsList } from './runs-list.js';
import { allVerdicts, broken, round, table, verdict } from './report.js';
import { benchSandbox } from './sandbox.js';
import { benchThroughput } from './throughput.js';

async function sandboxComponent(): Promise<void> {
  const r = await benchSandbox();
  console.log('\nComponent: the GHL sandbox process on loopback, rate limits off (autocannon, 32 connections)');
  console.log(table(r.rows.map((x) => ({ load: x.name, 'requests/s': x.rps, 'p99 ms': x.p99, errors: x.errors, non2xx: x.non2xx }))));
  verdict(r.pass, `component: sandbox answers >= 5000 GET /contacts/{id} per second (got ${r.rows[1]!.rps}; ${round(r.ratio, 2)} x the bare node:http server)`);
}

async function governorComponent(): Promise<void> {
  const g = await benchGovernor();
  console.log('\nComponent: the GHL client governor (in this process) against the sandbox burst limit (100 per 2 s, sliding window), 3 windows after a warm-up');
  console.log(table(g.rows.map((r) => ({ scenario: r.name, requests: r.requests, utilization: r.utilization.toFixed(3), 'min share': r.minShare.toFixed(3), '429s (client / sandbox)': `${r.client429s} / ${r.server429s}`, failures: r.failures }))));
  for (const line of g.lines) verdict(line.startsWith('PASS'), `component: ${line.replace(/^(PASS|FAIL): /, '')}`);
}

async function consoleFirstLoad(): Promise<void> {
  const r = await benchConsole();
  console.log('\nThe console\'s first load: Chromium opens the demo\'s one-time sign-in link and shows the overview (the files it loaded, each fetched again with Accept-Encoding: gzip)');
  console.log(table([...r.firstLoadJs, ...r.css].map((f) => ({ file: f.path, 'gzip kB': round(f.wire / 1000, 1), 'browser got kB (br)': round((f.browserWire ?? 0) / 1000, 1), 'uncompressed kB': round(f.raw / 1000, 1) }))));
  console.log(`later, on a view's first visit: ${r.lazy.length} more chunks, the largest ${r.lazyMaxWireKb} kB gzipped (the recipe editor's CodeMirror)`);
  verdict(r.pass, `console: first-load JavaScript under 250 kB gzipped (got ${r.jsWireKb} kB gzipped, ${r.jsRawKb} kB uncompressed)`);
}

const BENCHES: Array<[string, string, () => Promise<void>]> = [
  ['throughput', 'throughput, re-deliveries, GHL calls per record', benchThroughput],
  ['rate', 'the real rate limit, 1 and 10 locations', benchRateLimits],
  ['cpu', 'CPU per event vs ledger size', benchLedgerCpu],
  ['ack', 'webhook ack latency', benchAckLatency],
  ['memory', 'resident memory', benchMemory],
  ['sandbox', 'component: sandbox throughput', sandboxComponent],
  ['governor', 'component: client governor', governorComponent],
  ['console', 'the console\'s first load', consoleFirstLoad],
  ['runs', 'the runs list at 100,000 runs', benchRunsList],
];

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const started = Date.now();
console.log(`ghl-bridge bench: node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start (a shared machine: read the ratios)`);
for (const [id, name, run] of BENCHES) {
  if (only && !only.includes(id)) continue;
  const t = Date.now();
  try {
    await run();
  } catch (e) {
    broken(name, e);
  }
  console.log(`(${name}: ${round((Date.now() - t) / 1000, 1)} s)`);
}
const verdicts = allVerdicts();
console.log(`\nSummary (${verdicts.filter((v) => v.pass).length} PASS, ${verdicts.filter((v) => !v.pass).length} FAIL; ${round((Date.now() - started) / 60_000, 1)} min; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end)`);
for (const v of verdicts) console.log(v.line);
if (verdicts.some((v) => !v.pass)) process.exitCode = 1;
