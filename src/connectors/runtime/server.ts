import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { receiveWebhook, type IngressDeps } from './ingress.js';

export interface HooksServerOptions {
  port?: number;
  /** keep loopback unless a proxy in front terminates TLS */
  host?: string;
  /** largest body accepted (413 above); default 1 MiB */
  bodyLimit?: number;
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new TooLarge());
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * A small HTTP listener for webhook ingress: `POST /hooks/{connectionId}` (the server of issue 6
 * mounts the same `receiveWebhook`). The body is read raw (signatures cover the exact bytes),
 * capped, and the answer is sent once the events are stored.
 *
 * @example
 * const hooks = await listenForHooks({ engine, registry, connections }, { port: 0 });
 * console.log(`${hooks.url}/hooks/recruitee-main`);
 */
export async function listenForHooks(deps: IngressDeps, options: HooksServerOptions = {}): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const limit = options.bodyLimit ?? 1024 * 1024;
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = /^\/hooks\/([A-Za-z0-9._:-]{1,100})\/?$/.exec(url.pathname);
    if (!match) return send(404, { ok: false, error: 'not-found', message: 'webhooks go to POST /hooks/{connectionId}' });
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return send(405, { ok: false, error: 'method-not-allowed', message: 'use POST' });
    }
    readBody(req, limit)
      .then((rawBody) => receiveWebhook(deps, match[1]!, { rawBody, headers: req.headers }))
      .then((answer) => send(answer.status, answer.body))
      .catch((e: unknown) => {
        if (e instanceof TooLarge) return send(413, { ok: false, error: 'too-large', message: `the body exceeds ${limit} bytes` });
        // not stored: a 5xx makes the sender retry; the reason stays in our logs, not in the answer
        console.error('webhook ingress failed:', (e as Error).message);
        send(500, { ok: false, error: 'internal', message: 'the event could not be stored; retry later' });
      });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    server,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((e) => (e ? reject(e) : resolve()));
    }),
  };
}
