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

/** Parses a JSON body (empty: undefined); bad JSON is a 400 naming `body`. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (e) {
    throw new ApiError(400, 'bad-json', `body: not valid JSON (${(e as Error).message.split('\n')[0]})`, 'body');
  }
}
