/**
 * HTTP and file access for the ERP: the API key goes in its header (never into an error or a log),
 * errors say the status, method and path only.
 */
import { readFile } from 'node:fs/promises';
import type { ErpConn } from './schemas.js';

export class ErpHttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
  ) {
    super(`ERP ${method} ${path} answered ${status}`);
    this.name = 'ErpHttpError';
  }
}

function resolveUrl(conn: ErpConn, pathOrUrl: string): URL {
  if (/^https?:\/\//.test(pathOrUrl)) return new URL(pathOrUrl);
  if (!conn.baseUrl) throw new Error(`connection ${conn.id}: config.baseUrl: required to call ${pathOrUrl}`);
  return new URL(conn.baseUrl.replace(/\/$/, '') + pathOrUrl);
}

/**
 * One request; answers the parsed JSON (or text with `as: 'text'`).
 *
 * @example
 * const page = await erpRequest<{ value: unknown[] }>(conn, 'GET', '/customers?$top=100');
 */
export async function erpRequest<T>(conn: ErpConn, method: string, pathOrUrl: string, options: { body?: unknown; as?: 'json' | 'text'; signal?: AbortSignal } = {}): Promise<T> {
  const url = resolveUrl(conn, pathOrUrl);
  const headers: Record<string, string> = { accept: options.as === 'text' ? 'text/csv, text/plain, */*' : 'application/json' };
  if (conn.apiKey) headers[conn.apiKeyHeader] = conn.apiKey;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: options.signal ?? AbortSignal.timeout(30_000) });
  const text = await res.text();
  if (!res.ok) throw new ErpHttpError(res.status, method, url.pathname);
  if (options.as === 'text') return text as T;
  try {
    return (text ? JSON.parse(text) : null) as T;
  } catch (e) {
    throw new Error(`ERP ${method} ${url.pathname}: the answer is not JSON`, { cause: e });
  }
}

/** The text of a CSV feed: fetched from the ERP, or read from the dropped file. */
export async function readCsvSource(conn: ErpConn, feed: { from: string; path: string }, signal?: AbortSignal): Promise<string> {
  if (feed.from === 'csv-file') {
    try {
      return await readFile(feed.path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`connection ${conn.id}: the CSV file at ${feed.path} cannot be read (${code ?? 'error'})`, { cause: e });
    }
  }
  return erpRequest<string>(conn, 'GET', feed.path, { as: 'text', signal });
}
