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
