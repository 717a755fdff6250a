import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import { ADMIN_TOKEN, startServerHarness, type ServerHarness } from './harness.js';

/**
 * Bodies over `server.bodyLimit` from many clients at once, the way real senders upload: the whole
 * body written, then the answer read. Every one of them must read the 413 (no connection reset
 * while still uploading), and the server must go on answering and keep what it accepted.
 */
const SECRET = 'whsec_Ym9keS1saW1pdC10ZXN0LXNpZ25pbmctc2VjcmV0LTAx';
const LIMIT = 1024 * 1024;
const CLIENTS = 8;
const SIZE = 10 * 1024 * 1024;
let h: ServerHarness;

beforeAll(async () => {
  h = await startServerHarness({ bodyLimit: LIMIT });
  expect((await h.call('POST', '/api/v1/connections', { body: { id: 'app-main', app: 'webhook', name: 'My app', secrets: { signingSecret: SECRET } } })).status).toBe(201);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

interface Outcome {
  status?: number;
  connection?: string;
  body?: string;
  error?: string;
}

/**
 * One node:http client on its own connection (or `agent`'s): writes `size` bytes (declared or
 * chunked), honouring backpressure, ends the request, then reads the answer to its end (or,
 * `readFirst`, reads it as soon as it comes, still writing). Any socket error, or an answer it
 * could not finish uploading for, is the outcome.
 */
function upload(path: string, o: { size: number; chunked: boolean; headers?: Record<string, string>; readFirst?: boolean; agent?: Agent }): Promise<Outcome> {
  const url = new URL(path, h.url);
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      agent: o.agent ?? false,
      headers: { 'content-type': 'application/json', ...(o.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(o.size) }), ...o.headers },
    });
    let settled = false;
    const done = (r: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    let written = false;
    let answer: Outcome | undefined;
    // node's client stops uploading once it has read an answer to a request it does not keep alive
    // a reader-first client may stop uploading once it has the answer (node's does)
    const finish = () => {
      if (answer && (written || o.readFirst)) done(answer);
    };
    // read nothing until the whole body is out, like a sender that uploads first and then reads
    if (!o.readFirst) req.on('socket', (socket) => socket.pause());
    req.on('finish', () => {
      written = true;
      req.socket?.resume();
      finish();
    });
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message }));
    req.on('close', () => done({ error: written ? 'closed before the answer' : `closed before the body was sent${answer ? ` (answered ${answer.status})` : ''}` }));
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message }));
      res.on('end', () => {
        answer = { status: res.statusCode, connection: res.headers.connection, body: Buffer.concat(parts).toString('utf8') };
        finish();
      });
    });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const write = () => {
      while (sent < o.size && !req.destroyed) {
        const n = Math.min(chunk.length, o.size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once('drain', write);
      }
      if (!req.destroyed) req.end();
    };
    write();
  });
}

/** GET /healthz through `agent`: whether it went over the connection the agent kept. */
function healthzOn(agent: Agent): Promise<{ status?: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/healthz', h.url), { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function eventCount(): Promise<number> {
  const { rows } = await h.bridge.db.query<{ n: string }>('select count(*) as n from events');
  return Number(rows[0]!.n);
}

async function deliver(id: string) {
  const body = JSON.stringify({ type: 'user.created', data: { id, email: `${id}@limit.test` } });
  return h.call('POST', '/hooks/app-main', { raw: body, token: null, headers: standardWebhookHeaders(SECRET, { id, timestamp: Math.floor(Date.now() / 1000), body }) });
}

const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const TOO_LARGE = { error: { code: 'too-large', message: `the body exceeds ${LIMIT} bytes`, field: 'body' } };
const cases: Array<{ name: string; path: string; chunked: boolean; headers: Record<string, string>; status: number; body: unknown; keepAlive?: boolean }> = [
  { name: 'webhook, declared length', path: '/hooks/app-main', chunked: false, headers: {}, status: 413, body: TOO_LARGE },
  { name: 'webhook, chunked', path: '/hooks/app-main', chunked: true, headers: {}, status: 413, body: TOO_LARGE },
  { name: 'admin API, declared length', path: '/api/v1/recipes', chunked: false, headers: ADMIN, status: 413, body: TOO_LARGE },
  { name: 'admin API, chunked', path: '/api/v1/recipes', chunked: true, headers: ADMIN, status: 413, body: TOO_LARGE },
  // any answer sent before the body is read (the token is checked first), on a connection kept alive: usable again once drained
  { name: 'admin API without a token, kept alive', path: '/api/v1/recipes', chunked: false, headers: {}, status: 401, body: { error: { code: 'unauthorized', message: expect.any(String) } }, keepAlive: true },
];

describe(`${CLIENTS} concurrent clients each sending ${SIZE / 1024 / 1024} MB over a ${LIMIT / 1024 / 1024} MiB limit`, () => {
  for (const c of cases) {
    // node's client stops sending once it read an answer to a request kept alive (no 'drain' any more): not a server matter
    for (const mode of c.keepAlive ? (['write-then-read'] as const) : (['write-then-read', 'read-while-writing'] as const)) {
      it(`${c.name}, ${mode}: every client reads the ${c.status}; the server answers and keeps what it accepted`, async () => {
        const before = await eventCount();
        const agents = Array.from({ length: CLIENTS }, () => (c.keepAlive ? new Agent({ keepAlive: true, maxSockets: 1 }) : undefined));
        const [accepted, outcomes] = await Promise.all([
          deliver(`msg_during_${c.name}_${mode}`),
          Promise.all(agents.map((agent) => upload(c.path, { size: SIZE, chunked: c.chunked, headers: c.headers, readFirst: mode === 'read-while-writing', agent }))),
        ]);
        expect(accepted.status).toBe(200);
        expect(outcomes.map((o) => o.error ?? o.status)).toEqual(Array(CLIENTS).fill(c.status));
        for (const o of outcomes) {
          expect(o.connection).toBe(c.keepAlive ? 'keep-alive' : 'close');
          expect(JSON.parse(o.body!)).toEqual(c.body);
        }
        if (c.keepAlive) {
          const again = await Promise.all(agents.map((agent) => healthzOn(agent!)));
          expect(again).toEqual(Array(CLIENTS).fill({ status: 200, reused: true }));
          for (const agent of agents) agent!.destroy();
        }
        expect((await h.call('GET', '/healthz', { token: null })).json).toEqual({ ok: true });
        expect((await deliver(`msg_after_${c.name}_${mode}`)).status).toBe(200);
        expect(await eventCount()).toBe(before + 2);
      });
    }
  }
});

/**
 * A chunked upload that never ends, over a bare socket (node's client would stop sending once it
 * has the answer), reading the answer as it comes: `trickle` sends 1 KiB every 50 ms after the
 * first 1.5 MiB, otherwise as fast as the server takes it. Until the server closes the connection
 * (or 15 s); when the answer was complete and when the connection closed, in ms.
 */
function endless(base: string, path: string, trickle: boolean): Promise<{ status?: number; body?: string; answeredAt?: number; closedAt?: number; sent: number }> {
  const url = new URL(path, base);
  return new Promise((resolve) => {
    const started = performance.now();
    const out: { status?: number; body?: string; answeredAt?: number; closedAt?: number; sent: number } = { sent: 0 };
    const socket = connect(Number(url.port), url.hostname);
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => socket.destroy(), 15_000);
    let received = '';
    socket.on('data', (d: Buffer) => {
      received += d.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})[^]*?\r\ncontent-length: (\d+)\r\n[^]*?\r\n\r\n/i.exec(received);
      if (m && out.answeredAt === undefined && received.length >= m[0].length + Number(m[2])) {
        out.status = Number(m[1]);
        out.body = received.slice(m[0].length, m[0].length + Number(m[2]));
        out.answeredAt = performance.now() - started;
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      out.closedAt = performance.now() - started;
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve(out);
    });
    const payload = Buffer.alloc(64 * 1024, 'x');
    const chunk = (n: number) => Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), payload.subarray(0, n), Buffer.from('\r\n')]);
    const write = (n: number) => {
      out.sent += n;
      return socket.write(chunk(n));
    };
    const blast = () => {
      while (!socket.destroyed) if (!write(payload.length)) return void socket.once('drain', blast);
    };
    socket.write(`POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`);
    for (let i = 0; i < 24; i++) write(payload.length);
    if (trickle) timer = setInterval(() => !socket.destroyed && write(1024), 50);
    else blast();
  });
}

describe('the rest of a refused body is read within bounds', () => {
  const BOUNDS = { maxBytes: 16 * 1024 * 1024, maxMs: 2000 };
  let small: ServerHarness;
  beforeAll(async () => {
    small = await startServerHarness({ bodyLimit: LIMIT, unreadBody: BOUNDS });
  }, 60_000);
  afterAll(async () => {
    await small?.close();
  });

  it('a trickling upload that never ends: the 413 is read, then the connection closes after the time bound', async () => {
    const r = await endless(small.url, '/hooks/app-main', true);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body!)).toEqual(TOO_LARGE);
    expect(r.closedAt).toBeDefined();
    const held = r.closedAt! - r.answeredAt!;
    // held open for the bound (unbounded it would stay until the upload ends, never), not closed at once
    expect(held).toBeGreaterThanOrEqual(BOUNDS.maxMs * 0.5);
    expect(held).toBeLessThan(BOUNDS.maxMs + 3000);
    expect((await small.call('GET', '/healthz', { token: null })).json).toEqual({ ok: true });
  });

  it('an upload as fast as it goes that never ends: cut after the byte bound, well before the time bound', async () => {
    const r = await endless(small.url, '/hooks/app-main', false);
    expect(r.status).toBe(413);
    expect(r.closedAt).toBeDefined();
    expect(r.closedAt! - r.answeredAt!).toBeLessThan(BOUNDS.maxMs);
    // read on past the answer up to the bound (more than the sockets' buffers hold), and no further than it and those buffers
    expect(r.sent).toBeGreaterThan(LIMIT + BOUNDS.maxBytes);
    expect(r.sent).toBeLessThan(LIMIT + BOUNDS.maxBytes + 32 * 1024 * 1024);
    expect((await small.call('GET', '/healthz', { token: null })).json).toEqual({ ok: true });
  });
});
