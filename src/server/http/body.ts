import type { Context } from 'hono';
import { ApiError } from './errors.js';

/**
 * Reads a request body as raw bytes, at most `limit` of them: a declared length above the limit is
 * refused before reading, and a stream that grows past it is cancelled there (the rest is never
 * buffered; the connection is closed after the answer). Signatures cover the exact bytes, so
 * nothing is decoded here.
 *
 * @example
 * const raw = await readLimitedBody(c, 1024 * 1024); // throws ApiError 413 above
 */
export async function readLimitedBody(c: Context, limit: number): Promise<Buffer> {
  const tooLarge = () => new ApiError(413, 'too-large', `the body exceeds ${limit} bytes`, 'body', { connection: 'close' });
  const declared = c.req.header('content-length');
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limit) throw tooLarge();
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
