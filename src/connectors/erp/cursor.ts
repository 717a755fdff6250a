/**
 * Cursors of ERP polls, kept durably by the runtime after the events of a page are ingested.
 *
 * - `watermark`: the updated-at value and key of the last record emitted. Records sort by
 *   (updated-at, key); the next poll asks for `updated-at >= watermark` and keeps only records
 *   after (watermark, key), so records sharing a timestamp across a page break are neither lost
 *   nor repeated. `skip` only grows when a whole page shares one timestamp (else the poll would
 *   stall on it).
 *   `api` feeds (`updatedAfter`/limit/offset) cannot ask for "after (watermark, key)" and may not
 *   sort by updated-at at all, so there the watermark stays fixed for a whole pass, `skip` is the
 *   offset inside the pass and `high` the greatest updated-at seen so far; at the end of the pass
 *   the watermark moves to `high`.
 * - `snapshot`: a hash per key of the last full CSV, to diff the next one against, and `gen`, the
 *   number of the last poll that found a change (event ids carry it, see poll.ts).
 */
import { createHash } from 'node:crypto';

export interface WatermarkCursor {
  mode: 'watermark';
  watermark: string | null;
  key: string | null;
  skip: number;
  /** `api` feeds: the greatest updated-at seen in the current pass (null: none yet) */
  high?: string | null;
}

export interface SnapshotCursor {
  mode: 'snapshot';
  hashes: Record<string, string>;
  /** the generation of the last poll that changed something (0: none yet) */
  gen: number;
}

export const emptyWatermark = (): WatermarkCursor => ({ mode: 'watermark', watermark: null, key: null, skip: 0 });

/** A stored cursor of the expected mode, or a fresh one (a cursor of the other mode means the feed was reconfigured). */
export function readCursor(cursor: unknown, mode: 'watermark'): WatermarkCursor;
export function readCursor(cursor: unknown, mode: 'snapshot'): SnapshotCursor;
export function readCursor(cursor: unknown, mode: 'watermark' | 'snapshot'): WatermarkCursor | SnapshotCursor {
  const c = cursor as { mode?: string; hashes?: Record<string, string>; gen?: unknown; watermark?: unknown; key?: unknown; skip?: unknown; high?: unknown } | null;
  if (mode === 'snapshot') {
    if (c?.mode !== 'snapshot' || !c.hashes || typeof c.hashes !== 'object') return { mode, hashes: {}, gen: 0 };
    return { mode, hashes: { ...c.hashes }, gen: typeof c.gen === 'number' && Number.isInteger(c.gen) && c.gen >= 0 ? c.gen : 0 };
  }
  if (c?.mode !== 'watermark') return emptyWatermark();
  const out: WatermarkCursor = { mode, watermark: typeof c.watermark === 'string' ? c.watermark : null, key: typeof c.key === 'string' ? c.key : null, skip: typeof c.skip === 'number' ? c.skip : 0 };
  if (typeof c.high === 'string') out.high = c.high;
  return out;
}

/** A cell as text: the key and cursor of JSON records may be numbers. */
export function cellText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const stampMs = (s: string): number | null => {
  if (/^\d{9,13}$/.test(s)) return s.length > 11 ? Number(s) : Number(s) * 1000; // Unix ms or s
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
};

/**
 * Orders two updated-at values: as instants when both read as dates (ISO or Unix), else as text.
 *
 * @example
 * compareStamps('2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z'); // 0
 */
export function compareStamps(a: string, b: string): number {
  const x = stampMs(a);
  const y = stampMs(b);
  if (x !== null && y !== null) return x === y ? 0 : x < y ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Keys compare as numbers when both are integers, else as text. */
export function compareKeys(a: string, b: string): number {
  if (/^-?\d{1,15}$/.test(a) && /^-?\d{1,15}$/.test(b)) return Math.sign(Number(a) - Number(b));
  return a === b ? 0 : a < b ? -1 : 1;
}

export function compareRecords(a: { stamp: string; key: string }, b: { stamp: string; key: string }): number {
  return compareStamps(a.stamp, b.stamp) || compareKeys(a.key, b.key);
}

/** Whether a record comes after the cursor's (watermark, key). */
export function isAfter(cursor: WatermarkCursor, record: { stamp: string; key: string }): boolean {
  if (cursor.watermark === null) return true;
  return compareRecords(record, { stamp: cursor.watermark, key: cursor.key ?? '' }) > 0;
}

/**
 * The cursor after a page: the last new record's (stamp, key); when a full page brought nothing new
 * (it all shares the watermark's timestamp), skip past it next time.
 */
export function advance(cursor: WatermarkCursor, emitted: Array<{ stamp: string; key: string }>, pageLength: number, pageFull: boolean): WatermarkCursor {
  const last = emitted.at(-1);
  // still inside one timestamp group: the rows skipped so far still sort first
  if (last) return { mode: 'watermark', watermark: last.stamp, key: last.key, skip: cursor.watermark !== null && compareStamps(last.stamp, cursor.watermark) === 0 ? cursor.skip : 0 };
  if (pageFull) return { ...cursor, skip: cursor.skip + pageLength };
  return cursor;
}

/** A short stable hash of a row (keys sorted), for snapshot diffs and deterministic ids. */
export function rowHash(row: Record<string, unknown>): string {
  const stable = JSON.stringify(Object.keys(row).sort().map((k) => [k, row[k]]));
  return createHash('sha256').update(stable).digest('hex').slice(0, 16);
}
