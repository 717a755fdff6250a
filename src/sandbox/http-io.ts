import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiError } from './errors.js';

/** Reads the raw body, refusing with 413 past `limit` bytes (the rest is drained, not stored). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      reject(apiError(413, `request entity too large (limit ${limit} bytes)`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(apiError(413, `request entity too large (limit ${limit} bytes)`)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

export type BodyKind = 'json' | 'form' | 'none';

export function bodyKind(contentType: string | undefined): BodyKind | 'other' {
  if (!contentType) return 'none';
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return 'other';
}

/** Deepest JSON nesting accepted: deeper values would overflow the stack when compared, cloned or serialised. */
export const MAX_JSON_DEPTH = 100;

/** Whether JSON text nests arrays/objects deeper than `max` (brackets inside strings do not count). */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Parses a body; malformed JSON answers 400 naming the problem, like body-parser does. */
export function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> | undefined {
  if (raw.length === 0) return undefined;
  const kind = bodyKind(contentType);
  if (kind === 'form') return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  if (kind === 'other') throw apiError(415, `Unsupported Content-Type ${contentType}; send application/json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw apiError(400, `Malformed JSON body: ${(error as Error).message}`);
  }
  if (typeof parsed === 'object' && parsed !== null && nestsDeeperThan(raw.toString('utf8'), MAX_JSON_DEPTH)) {
    throw apiError(400, `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw apiError(400, 'The JSON body must be an object');
  }
  return parsed as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
