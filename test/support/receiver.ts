/**
 * A real HTTP receiver (node:http) on 127.0.0.1 that records every request (headers and the raw
 * body) and answers what the test sets: 200, a status like 503, or nothing at all (`stop()` closes
 * the port; `start()` listens on the same port again).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** the status it was answered */
  answered: number;
}

export interface TestReceiver {
  port: number;
  url(path?: string): string;
  requests: ReceivedRequest[];
  /** what the next requests are answered (default 200) */
  answer(status: number): void;
  /** closes the port: connections are refused until start() */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * @example
 * const rx = await startReceiver();
 * rx.answer(503); // down
 * expect(rx.requests).toHaveLength(1);
 */
export async function startReceiver(): Promise<TestReceiver> {
  const requests: ReceivedRequest[] = [];
  let status = 200;
  let server: Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered: status });
          // no keep-alive: a socket the server closes while the client reuses it would fail a request at random
          res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(status < 300 ? 'ok' : 'service unavailable');
        });
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = null;
      if (!s) return resolve();
      s.close(() => resolve());
      s.closeAllConnections();
    });
  await listen();
  return {
    get port() {
      return port;
    },
    url: (path = '/') => `http://127.0.0.1:${port}${path}`,
    requests,
    answer(s) {
      status = s;
    },
    stop,
    start: listen,
    close: stop,
  };
}
