import { z } from 'zod';
import { ApiError } from '../http/errors.js';

/** `?limit=` (1–500, default 100) and `?cursor=` of every list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Items per page (at most 500)'),
  cursor: z.string().min(1).max(200).optional().describe('The `next` of the previous page'),
};

/** A cursor is an opaque wrapper of one non-negative integer (a last id, or an offset). */
export function encodeCursor(n: number): string {
  return Buffer.from(`c:${n}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const m = /^c:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new ApiError(400, 'invalid-input', 'query.cursor: not a cursor of this list (use the `next` value of the previous page)', 'cursor');
  return Number(m[1]);
}

/**
 * A keyset cursor on `(time, id)`, for a list ordered by a time then id: the time of the page's last
 * item in microseconds since the epoch (as exact as Postgres keeps it: milliseconds would skip the
 * items of the same millisecond) and its id. The next page compares with these values themselves,
 * so it does not move when that item changes (a run that is replayed) or goes.
 *
 * @example
 * encodeTimeCursor('1764892800123456', 42); // base64url of 't:1764892800123456:42'
 */
export function encodeTimeCursor(atMicros: string, id: number): string {
  return Buffer.from(`t:${atMicros}:${id}`, 'utf8').toString('base64url');
}

/** The `(time in µs since the epoch, id)` of a cursor of `encodeTimeCursor`; another cursor is a 400. */
export function decodeTimeCursor(cursor: string | undefined): { atMicros: string; id: number } | null {
  if (cursor === undefined) return null;
  const m = /^t:(\d{1,17}):(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new ApiError(400, 'invalid-input', 'query.cursor: not a cursor of this list (use the `next` value of the previous page)', 'cursor');
  return { atMicros: m[1]!, id: Number(m[2]) };
}

export interface Page<T> {
  items: T[];
  next?: string;
}

/**
 * A page from `limit + 1` rows fetched: the extra row only says that more follow.
 *
 * @example
 * const rows = await q('… where id < $1 order by id desc limit $2', [after ?? MAX, limit + 1]);
 * return pageOf(rows, limit, (last) => last.id);
 */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => number): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, next: encodeCursor(cursorOf(items[items.length - 1]!)) };
}

/** An offset page of an in-memory list. */
export function offsetPage<T>(all: T[], limit: number, cursor: string | undefined): Page<T> {
  const offset = decodeCursor(cursor) ?? 0;
  const items = all.slice(offset, offset + limit);
  return offset + limit < all.length ? { items, next: encodeCursor(offset + limit) } : { items };
}

/** Larger than any bigserial id: the keyset start of a newest-first list. */
export const NO_CURSOR = '9223372036854775807';
