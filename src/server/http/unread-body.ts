import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How much of a body left unread by its answer is read and discarded, and for how long after the answer. */
export interface UnreadBodyBounds {
  maxBytes: number;
  maxMs: number;
}

export const UNREAD_BODY_BOUNDS: UnreadBodyBounds = { maxBytes: 64 * 1024 * 1024, maxMs: 5000 };

/**
 * Lets a client that is still uploading read an answer sent before its body was read (a 413, a
 * 401, a 404). Node closes the socket as soon as an answer with `Connection: close` is written
 * (`socket.destroySoon()`); bytes still arriving then meet a closed socket, the kernel answers
 * them with a reset, and the client, busy writing, gets ECONNRESET/EPIPE instead of the answer.
 * So for such a socket the close waits until the rest of the body has been read and discarded
 * (never buffered); a keep-alive socket stays usable once it has. Past `maxBytes` or `maxMs`
 * after the answer the socket is destroyed, so an endless or trickling upload cannot hold it.
 *
 * @example
 * drainUnreadBodies(httpServer); // before the app's own 'request' listener runs
 */
export function drainUnreadBodies(server: Server, bounds: UnreadBodyBounds = UNREAD_BODY_BOUNDS): void {
  const current = new WeakMap<Socket, IncomingMessage>();
  const patched = new WeakSet<Socket>();
  /** `close`: the deferred close, run once the body has ended */
  const draining = new WeakMap<IncomingMessage, { close?: () => void; done: boolean }>();

  const drain = (req: IncomingMessage, socket: Socket) => {
    let state = draining.get(req);
    if (!state) {
      const s: { close?: () => void; done: boolean } = { done: false };
      state = s;
      draining.set(req, s);
      let bytes = 0;
      const stop = () => {
        s.done = true;
        clearTimeout(timer);
        req.off('data', onData);
        req.off('end', onEnd);
        req.off('close', stop);
      };
      const cut = () => {
        stop();
        socket.destroy();
      };
      const onData = (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > bounds.maxBytes) cut();
      };
      const onEnd = () => {
        stop();
        s.close?.();
      };
      const timer = setTimeout(cut, bounds.maxMs);
      timer.unref();
      req.on('data', onData);
      req.once('end', onEnd);
      req.once('close', stop);
      // a reader that gave up on the body paused it; the answer is out, so it flows again
      req.resume();
    }
    return state;
  };

  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    current.set(socket, req);
    if (!patched.has(socket)) {
      patched.add(socket);
      // node's close after an answer with `Connection: close` (resOnFinish); the one place to defer it
      const destroySoon = socket.destroySoon.bind(socket);
      socket.destroySoon = () => {
        const pending = current.get(socket);
        if (!pending || pending.complete) return destroySoon();
        const state = drain(pending, socket);
        if (state.done) destroySoon();
        else state.close = destroySoon;
      };
    }
    // a keep-alive answer leaves the socket open: the rest of the body is still bounded
    res.once('finish', () => {
      if (!req.complete) drain(req, socket);
    });
  });
}
