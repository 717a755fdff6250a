import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { ServerEnv } from '../routes/contract.js';
import { ApiError } from './errors.js';

/**
 * Reads a request body as raw bytes, at most `limit` of them: a declared length above the limit is
 * refused before reading, and a body that grows past it stops being read there (nothing more is
 * buffered). Either way the answer carries `Connection: close`, and the server discards the rest
 * of the upload before closing (see `drainUnreadBodies`), so the sender reads the 413 rather than a
 * reset. Signatures cover the exact bytes, so nothing is decoded here.
 *
 * @example
 * const raw = await readLimitedBody(c, 1024 * 1024); // throws ApiError 413 above
 */
export async function readLimitedBody(c: Context<ServerEnv>, limit: number): Promise<Buffer> {
  const tooLarge = () => new ApiError(413, 'too-large', `the body exceeds ${limit} bytes`, 'body', { connection: 'close' });
  const declared = c.req.header('content-length');
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) throw tooLarge();
  // on the node server, the socket's own stream: cancelling the web stream over it would not stop it
  const incoming = c.env?.incoming;
  if (incoming) return readIncoming(incoming, limit, tooLarge);
  const stream = c.req.raw.body;
  if (!stream) return Buffer.alloc(0);
  const reader = stream.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, size);
}

/** Past the limit the request is paused, not destroyed: destroying it would reset the connection before the 413. */
function readIncoming(incoming: IncomingMessage, limit: number, tooLarge: () => ApiError): Promise<Buffer> {
  const gone = () => new ApiError(400, 'incomplete-body', 'body: the connection closed before the body ended', 'body');
  if (incoming.destroyed) return Promise.reject(gone());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onGone);
      incoming.off('close', onGone);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        incoming.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onGone = () => {
      stop();
      reject(gone());
    };
    incoming.on('data', onData);
    incoming.once('end', onEnd);
    incoming.once('error', onGone);
    incoming.once('close', onGone);
  });
}

/**
 * Where a JSON text stops parsing, from the parser's message: its position (and line/column) only.
 * V8's message quotes the input itself (`Unexpected token 'x', "{…}" is not valid JSON`), which
 * may hold a secret, so it is never passed on.
 */
export function jsonErrorWhere(text: string, error: unknown): string {
  const message = (error as Error).message ?? '';
  if (/unexpected end/i.test(message)) return 'it ends too early';
  const at = /at position (\d+)/.exec(message);
  if (!at) return 'it does not parse';
  const position = Number(at[1]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `at position ${position}, line ${line} column ${column}`;
}

/** Parses a JSON body (empty: undefined); bad JSON is a 400 naming `body` and where, never its text. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ApiError(400, 'bad-json', `body: not valid JSON (${jsonErrorWhere(text, e)})`, 'body');
  }
}
