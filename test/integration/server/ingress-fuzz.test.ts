import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerHarness, type ServerHarness } from './harness.js';
import { CONNECTIONS, PATHS, signedDelivery, signFor, type ConnectorName } from './signed-deliveries.js';

/**
 * A seeded, bounded fuzz of the webhook ingress over real HTTP, on each connector: random bytes,
 * random JSON shapes, mutations of a valid delivery (all signed, so they reach the parser and the
 * database behind the signature), and raw requests with random headers (unsigned, sent byte for
 * byte over a socket). Whatever comes in: no 5xx, no dropped connection, and the server still
 * answers. A failure prints the seed and the input's index to replay it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed11);
const PER_CONNECTOR = Number(process.env.FUZZ_PER_CONNECTOR ?? 2500);
const CONNECTORS: ConnectorName[] = ['webhook', 'recruitee', 'connecteam', 'ghl'];
let h: ServerHarness;

beforeAll(async () => {
  h = await startServerHarness({ bodyLimit: 64 * 1024 });
  for (const c of CONNECTIONS(h)) expect((await h.call('POST', '/api/v1/connections', { body: c })).status).toBe(201);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

const NASTY = ['\u0000', '\ud800', '\udfff', '\ud83d\ude00', '\u202e', '\ufeff', '\n', '"', '\\', '%00', '{{data.id}}', '__proto__', 'constructor', '', ' ', 'null', '-1', '1e309', 'ä'.repeat(50)];

function randomString(r: Rng): string {
  const n = r.int(4);
  let s = '';
  for (let i = 0; i < n; i++) s += r.next() < 0.5 ? r.pick(NASTY) : String.fromCharCode(r.int(0x10000));
  return s;
}

function randomJson(r: Rng, depth = 0): unknown {
  const k = r.int(depth > 6 ? 5 : 8);
  switch (k) {
    case 0: return null;
    case 1: return r.next() < 0.5;
    case 2: return r.pick([0, -1, 1.5, 2 ** 53 + 1, -0, 1e308, r.int(1e9)]);
    case 3: case 4: return randomString(r);
    case 5: return Array.from({ length: r.int(4) }, () => randomJson(r, depth + 1));
    case 6: return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.next() < 0.3 ? r.pick(['id', 'type', 'data', 'payload', 'candidate', 'userId', 'event_type', 'webhookId', 'email', 'name']) : randomString(r), randomJson(r, depth + 1)]));
    default: {
      // deep: sometimes past the nesting limit
      const levels = r.pick([10, 63, 64, 65, 200, 3000]);
      return JSON.parse(`${'['.repeat(levels)}1${']'.repeat(levels)}`) as unknown;
    }
  }
}

/** A valid delivery with a few of its fields replaced, removed or retyped. */
function mutated(r: Rng, connector: ConnectorName): string {
  const base = JSON.parse(signedDelivery(h, connector, { name: randomString(r) }).raw) as Record<string, unknown>;
  const containers: Array<Record<string, unknown> | unknown[]> = [];
  const stack: unknown[] = [base];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'object' && v !== null) {
      containers.push(v as Record<string, unknown>);
      stack.push(...Object.values(v));
    }
  }
  for (let i = 0, n = 1 + r.int(3); i < n; i++) {
    const target = r.pick(containers) as Record<string, unknown>;
    const keys = Object.keys(target);
    if (keys.length === 0) continue;
    const key = r.pick(keys);
    if (r.next() < 0.25) delete target[key];
    else target[key] = randomJson(r);
  }
  return JSON.stringify(base);
}

function randomBytes(r: Rng): Buffer {
  return Buffer.from(Array.from({ length: r.int(2048) }, () => r.int(256)));
}

/** One raw HTTP/1.1 request with random headers; the status line's code, or the socket's error. */
function rawRequest(port: number, path: string, r: Rng): Promise<number | string> {
  const body = r.next() < 0.5 ? randomBytes(r) : Buffer.from(JSON.stringify(randomJson(r)));
  const headers: string[] = [`Host: 127.0.0.1:${port}`, `Content-Length: ${body.length}`, 'Connection: close'];
  for (let i = 0, n = r.int(12); i < n; i++) {
    const name = r.next() < 0.3 ? r.pick(['x-recruitee-signature', 'x-connecteam-signature', 'webhook-signature', 'webhook-timestamp', 'webhook-id', 'x-ghl-signature', 'content-type', 'transfer-encoding', 'content-encoding']) : `x-${Buffer.from(randomBytes(r).subarray(0, 1 + r.int(12))).toString('latin1').replace(/[\r\n:]/g, '')}`;
    headers.push(`${name}: ${Buffer.from(randomBytes(r).subarray(0, r.int(300))).toString('latin1').replace(/[\r\n]/g, '')}`);
  }
  const head = Buffer.from(`POST ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e) => resolve(`socket error: ${e.message}`));
    socket.on('close', () => {
      const line = Buffer.concat(chunks).toString('latin1').split('\r\n', 1)[0] ?? '';
      const m = /^HTTP\/1\.1 (\d{3})/.exec(line);
      resolve(m ? Number(m[1]) : `no status line: ${JSON.stringify(line.slice(0, 80))}`);
    });
    socket.end(Buffer.concat([head, body]));
  });
}

describe('webhook ingress fuzz', () => {
  it(`${PER_CONNECTOR} inputs on each of ${CONNECTORS.length} connectors (seed ${SEED}): no 5xx, no crash`, async () => {
    const port = Number(new URL(h.url).port);
    const failures: string[] = [];
    const statuses = new Map<number | string, number>();
    let sent = 0;
    for (const [c, connector] of CONNECTORS.entries()) {
      const r = prng(SEED + c);
      const inputs = Array.from({ length: PER_CONNECTOR }, (_, i) => i);
      // eight at a time, as concurrent senders would
      for (let at = 0; at < inputs.length; at += 8) {
        await Promise.all(
          inputs.slice(at, at + 8).map(async (i) => {
            const kind = r.int(10);
            let status: number | string;
            if (kind < 2) status = await rawRequest(port, PATHS[connector], r);
            else {
              const raw = kind < 4 ? randomBytes(r) : kind < 6 ? Buffer.from(JSON.stringify(randomJson(r)) ?? 'null') : Buffer.from(mutated(r, connector));
              const headers = { 'content-type': 'application/json', ...signFor(h, connector, raw) };
              status = await h.call('POST', PATHS[connector], { raw, token: null, headers }).then((a) => a.status, (e: Error) => `fetch error: ${e.message}`);
            }
            sent++;
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (typeof status !== 'number' || status >= 500) failures.push(`${connector} #${i} (kind ${kind}, seed ${SEED + c}): ${status}`);
          }),
        );
      }
    }
    expect(sent).toBe(PER_CONNECTOR * CONNECTORS.length);
    const errors = h.logs.filter((l) => l.includes("request failed")).slice(0, 5);
    expect(failures.slice(0, 20), `statuses: ${JSON.stringify([...statuses])}; logged: ${errors.join('')}`).toEqual([]);
    // signed inputs got through: some were stored (mutations that stayed valid), most refused 400
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
    expect((await h.call('GET', '/healthz', { token: null })).status).toBe(200);
  }, 600_000);
});
