import { createServer, request as httpRequest, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GateProxy {
  url: string;
  /** requests from now on wait until `release()` */
  hold(): void;
  /** passes every waiting request on (those whose caller gave up are dropped) and stops holding */
  release(): void;
  /** resolves once at least `n` requests wait at the gate */
  waitHeld(n?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback proxy to an app's server with a gate the test opens and closes: a listing held at
 * the gate stays mid-sync for as long as the test wants, whatever the machine's speed (no timing
 * margins). Open at first unless `held`.
 *
 * @example
 * const gate = await gateProxy(erp.url, { held: true });
 * await gate.waitHeld(); // a page is asked for and waits
 * gate.release();
 */
export async function gateProxy(target: string, o: { held?: boolean } = {}): Promise<GateProxy> {
  const to = new URL(target);
  let holding = o.held ?? false;
  const waiting: Array<() => void> = [];
  const watchers = new Set<() => void>();
  const upstream = new Set<ClientRequest>();
  const server = createServer((req, res) => {
    const pass = () => {
      // the caller gave up meanwhile (a cancelled sync): its answer would go nowhere
      if (req.destroyed || res.destroyed || res.closed) return;
      // no keep-alive upstream: closing the proxy leaves no socket holding the app's server open
      const up = httpRequest({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, connection: 'close' }, agent: false }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.add(up);
      up.on('close', () => upstream.delete(up));
      up.on('error', () => res.destroy());
      res.on('close', () => up.destroy());
      req.pipe(up);
    };
    if (!holding) return pass();
    waiting.push(pass);
    for (const w of watchers) w();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const pass of waiting.splice(0)) pass();
    },
    waitHeld: (n = 1) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (waiting.length < n) return;
          watchers.delete(check);
          resolve();
        };
        watchers.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((r) => {
        for (const up of upstream) up.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
