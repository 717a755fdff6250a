import autocannon from 'autocannon';
import { CLI, startChild } from './processes.js';

/**
 * Component benchmark (not a figure of the bridge). Sandbox throughput on loopback with rate limits off: the sandbox runs in its own process (as
 * users run it) and autocannon loads it from this one. A bare node:http server (also its own
 * process) answering a fixed JSON body is measured in the same run, so the sandbox's cost shows as a ratio that does not
 * depend on how busy the shared machine is. Target: >= 5,000 simple requests per second.
 */
export interface SandboxBenchResult {
  rows: Array<{ name: string; rps: number; p99: number; errors: number; non2xx: number }>;
  ratio: number;
  pass: boolean;
}

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 32;

/** A bare node:http server in its own process, printing `{"url": …}` like the sandbox's --json. */
const BASELINE = `
const body = JSON.stringify({ contact: { id: 'x', email: 'a@b.co' } });
const server = require('node:http').createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
process.on('SIGTERM', () => process.exit(0));`;

async function load(name: string, url: string, headers: Record<string, string> = {}, method = 'GET', body?: string) {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers, method, body });
  return { name, rps: Math.round(r.requests.average), p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

export async function benchSandbox(): Promise<SandboxBenchResult> {
  const baselineProcess = await startChild('bare node:http', ['-e', BASELINE]);
  const sandboxProcess = await startChild('sandbox', [CLI, 'sandbox', '--port', '0', '--json', '--rate-limit', 'off']);
  const baseline = { info: JSON.parse(baselineProcess.line) as { url: string } };
  const sandbox = { info: JSON.parse(sandboxProcess.line) as { url: string; pit: string; locationId: string } };
  try {
    const auth = { authorization: `Bearer ${sandbox.info.pit}`, version: '2021-07-28' };
    const list = (await (await fetch(`${sandbox.info.url}/contacts/?locationId=${sandbox.info.locationId}&limit=1`, { headers: auth })).json()) as { contacts: Array<{ id: string }> };
    const contactId = list.contacts[0]!.id;
    const rows = [
      await load('bare node:http (baseline)', baseline.info.url),
      await load('sandbox GET /contacts/{id}', `${sandbox.info.url}/contacts/${contactId}`, auth),
      await load('sandbox POST /contacts/search (pageLimit 10)', `${sandbox.info.url}/contacts/search`, { ...auth, 'content-type': 'application/json' }, 'POST', JSON.stringify({ locationId: sandbox.info.locationId, pageLimit: 10 })),
    ];
    const ratio = rows[1]!.rps / rows[0]!.rps;
    return { rows, ratio, pass: rows[1]!.rps >= 5000 && rows[1]!.errors === 0 && rows[1]!.non2xx === 0 };
  } finally {
    await sandboxProcess.stop();
    await baselineProcess.stop();
  }
}
