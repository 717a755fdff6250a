import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GhlNetworkError } from '../../../src/ghl/core/errors.js';
import { buildUrl, fetchTransport } from '../../../src/ghl/core/transport.js';

let server: Server;
let base: string;
const seen: Array<{ url: string; headers: Record<string, unknown>; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      if (req.url?.startsWith('/slow')) return void setTimeout(() => res.end('{}'), 2000);
      if (req.url?.startsWith('/text')) return void res.end('plain words');
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('fetch transport (real loopback server)', () => {
  it('encodes JSON and form bodies and the query, and parses JSON answers', async () => {
    const send = fetchTransport({ baseUrl: base });
    const json = await send({ method: 'POST', path: '/contacts/', idempotent: false, body: { a: 1 }, query: { locationId: 'L 1', skip: undefined } });
    expect(json).toMatchObject({ status: 201, body: { ok: true } });
    expect(seen.at(-1)).toMatchObject({ url: '/contacts/?locationId=L+1', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    await send({ method: 'POST', path: '/oauth/token', idempotent: false, form: { grant_type: 'refresh_token', refresh_token: 'x y', user_type: undefined } });
    expect(seen.at(-1)).toMatchObject({ body: 'grant_type=refresh_token&refresh_token=x+y', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect((await send({ method: 'GET', path: '/text', idempotent: true })).body).toBe('plain words');
  });

  it('keeps a base path and times out as a network error that may have succeeded', async () => {
    expect(buildUrl('http://h/api/', { method: 'GET', path: '/contacts/x', idempotent: true })).toBe('http://h/api/contacts/x');
    const send = fetchTransport({ baseUrl: base, timeoutMs: 100 });
    const error = await send({ method: 'POST', path: '/slow', idempotent: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlNetworkError);
    expect(error).toMatchObject({ mayHaveSucceeded: true, status: null, path: '/slow' });
    expect((error as Error).message).toBe('POST /slow timed out');
  });

  it('a refused connection cannot have succeeded; an abort says so', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await fetchTransport({ baseUrl: `http://127.0.0.1:${port}` })({ method: 'POST', path: '/contacts/', idempotent: false }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'NETWORK', mayHaveSucceeded: false });
    const controller = new AbortController();
    const pending = fetchTransport({ baseUrl: base })({ method: 'GET', path: '/slow', idempotent: true, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrow('GET /slow aborted');
  });
});
