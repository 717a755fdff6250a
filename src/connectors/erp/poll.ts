/**
 * One page of an ERP poll for one feed (customers or tasks): JSON lists (OData-style keyset
 * filter, or an `updatedAfter`-style parameter), CSV with a cursor column, or a CSV snapshot
 * diffed against the previous one. External ids are deterministic — `erp:<entity>:<key>:<updatedAt>`,
 * or `…:<gen>:<row hash>` for snapshots — so a re-poll after a crash (cursor not yet stored) dedupes.
 */
import type { PollPage, SourceEvent } from '../types.js';
import { erpRequest, readCsvSource } from './client.js';
import { parseCsv } from './csv.js';
import { advance, cellText, compareKeys, compareRecords, compareStamps, isAfter, readCursor, rowHash, type WatermarkCursor } from './cursor.js';
import type { ErpConn, Feed } from './schemas.js';

type Row = Record<string, unknown>;
type Change = 'changed' | 'created' | 'updated' | 'removed';

const DONE = new Set(['true', '1', 'yes', 'y', 'x', 'done', 'completed', 'closed']);

/** Whether a task's completed cell says done (JSON booleans, or CSV text such as `true`, `1`, `yes`). */
export function isDone(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const text = cellText(value);
  return text !== null && DONE.has(text.toLowerCase());
}

/**
 * The engine event of one record. Tasks carry `dueDate`: the due column, else the record's
 * updated-at, else (snapshots have none) `seenAt`, so a task without a due date still becomes a
 * GHL task (whose due date is required) instead of a dead letter.
 */
export function recordEvent(feed: Feed, row: Row, key: string, change: Change, version: string, seenAt?: string): SourceEvent {
  const entity = feed.entity;
  const completed = entity === 'task' ? isDone(row[feed.completedColumn]) : false;
  const type = change === 'removed' ? `${entity}.removed` : entity === 'task' && completed ? 'task.completed' : `${entity}.changed`;
  const updatedAt = feed.cursor ? cellText(row[feed.cursor]) : null;
  const payload: Record<string, unknown> = { entity, key, change, updatedAt, [entity]: row };
  if (entity === 'task') Object.assign(payload, { customerKey: cellText(row[feed.customerColumn]), completed, dueDate: cellText(row[feed.dueColumn]) ?? updatedAt ?? seenAt ?? null });
  return { externalId: change === 'removed' ? `erp:${entity}:${key}:removed:${version}` : `erp:${entity}:${key}:${version}`, type, payload };
}

function keyOf(feed: Feed, row: Row, where: string): string {
  const key = cellText(row[feed.key]);
  if (key === null) throw new Error(`ERP ${feed.entity}s: ${where} has no value in the key column "${feed.key}"`);
  return key;
}

function stampOf(feed: Feed, row: Row, where: string): string {
  const stamp = cellText(row[feed.cursor!]);
  if (stamp === null) throw new Error(`ERP ${feed.entity}s: ${where} has no value in the cursor column "${feed.cursor}"`);
  return stamp;
}

/** The records of a JSON list answer: an array, or `value` (OData), `items`, `data` or `results`. */
export function listOf(body: unknown): Row[] {
  const list = Array.isArray(body) ? body : ['value', 'items', 'data', 'results'].map((k) => (body as Record<string, unknown> | null)?.[k]).find(Array.isArray);
  if (!Array.isArray(list)) throw new Error('ERP list answer: expected an array, or an object with a value/items/data/results array');
  return list.filter((r): r is Row => r !== null && typeof r === 'object' && !Array.isArray(r));
}

/** An OData literal: dates and numbers bare, text quoted with `''` escapes. */
function odataLiteral(value: string): string {
  if (/^-?\d+(\.\d+)?$/.test(value) || /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value)) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The list URL of a JSON feed for a cursor: OData asks exactly for records after (watermark, key);
 * `api` feeds get the pass's watermark in their parameter (inclusive) and offset paging through the pass.
 *
 * @example
 * listUrl(feed, { mode: 'watermark', watermark: '2024-01-01T00:00:00Z', key: 'C7', skip: 0 }, 100);
 * // /customers?$filter=lastModifiedDateTime gt 2024-01-01T00:00:00Z or (lastModifiedDateTime eq 2024-01-01T00:00:00Z and id gt 'C7')&$orderby=…&$top=100
 */
export function listUrl(feed: Feed, cursor: WatermarkCursor, top: number): string {
  const c = feed.cursor!;
  const sep = feed.path.includes('?') ? '&' : '?';
  if (feed.from === 'odata') {
    const q = new URLSearchParams();
    if (cursor.watermark !== null) {
      const wm = odataLiteral(cursor.watermark);
      q.set('$filter', cursor.key === null ? `${c} ge ${wm}` : `${c} gt ${wm} or (${c} eq ${wm} and ${feed.key} gt ${odataLiteral(cursor.key)})`);
    }
    q.set('$orderby', `${c} asc,${feed.key} asc`);
    q.set('$top', String(top));
    if (cursor.skip > 0) q.set('$skip', String(cursor.skip));
    return `${feed.path}${sep}${q.toString()}`;
  }
  const q = new URLSearchParams();
  if (cursor.watermark !== null) q.set(feed.updatedAfterParam, cursor.watermark);
  q.set('limit', String(top));
  if (cursor.skip > 0) q.set('offset', String(cursor.skip));
  return `${feed.path}${sep}${q.toString()}`;
}

async function readJsonPage(conn: ErpConn, feed: Feed, cursor: WatermarkCursor, signal?: AbortSignal) {
  const body = await erpRequest<unknown>(conn, 'GET', listUrl(feed, cursor, conn.pageSize), { signal });
  const rows = listOf(body);
  const records = rows.map((row, i) => ({ row, key: keyOf(feed, row, `record ${i}`), stamp: stampOf(feed, row, `record ${i}`) })).sort(compareRecords);
  const nextLink = typeof (body as Record<string, unknown> | null)?.['@odata.nextLink'] === 'string';
  return { rows, records, nextLink, full: rows.length >= conn.pageSize };
}

const sameCursor = (a: WatermarkCursor, b: WatermarkCursor) => a.watermark === b.watermark && a.key === b.key && a.skip === b.skip;

/** OData: keyset paging on (updated-at, key), sorted by the ERP. */
async function pollOData(conn: ErpConn, feed: Feed, cursor: WatermarkCursor, signal?: AbortSignal): Promise<PollPage> {
  const { rows, records, nextLink, full } = await readJsonPage(conn, feed, cursor, signal);
  const fresh = records.filter((r) => isAfter(cursor, r));
  const next = advance(cursor, fresh, rows.length, full);
  return {
    events: fresh.map((r) => recordEvent(feed, r.row, r.key, 'changed', r.stamp)),
    cursor: next,
    // a page that moved nothing (a short page with a nextLink but no fresh rows) would be asked
    // for again, the same, until the runtime's page limit: stop instead
    more: (full || nextLink) && rows.length > 0 && !sameCursor(next, cursor),
  };
}

/**
 * `api` feeds (`updatedAfter`/limit/offset): the ERP may answer in any order (often by id), so the
 * watermark stays fixed for the whole pass and the pass pages by offset; records changed during
 * a pass only join the set (never skipped, at worst read twice). At the end of the pass the
 * watermark moves to the greatest updated-at seen. The next pass asks again from that stamp
 * (inclusive): records sharing it — also ones written after this pass read past them — are read
 * again rather than lost; their ids are the same, so they dedupe.
 */
async function pollApi(conn: ErpConn, feed: Feed, cursor: WatermarkCursor, signal?: AbortSignal): Promise<PollPage> {
  const { rows, records, nextLink, full } = await readJsonPage(conn, feed, cursor, signal);
  const wm = cursor.watermark;
  // the ERP's own filter may be coarser: keep only what is not older than the watermark
  const fresh = wm === null ? records : records.filter((r) => compareStamps(r.stamp, wm) >= 0);
  let high = cursor.high ?? null;
  for (const r of records) if (high === null || compareStamps(r.stamp, high) > 0) high = r.stamp;
  const events = fresh.map((r) => recordEvent(feed, r.row, r.key, 'changed', r.stamp));
  if (rows.length > 0 && (full || nextLink)) return { events, cursor: { mode: 'watermark', watermark: wm, key: null, skip: cursor.skip + rows.length, high }, more: true };
  return { events, cursor: { mode: 'watermark', watermark: high ?? wm, key: null, skip: 0 }, more: false };
}

async function pollCsvCursor(conn: ErpConn, feed: Feed, cursor: WatermarkCursor, signal?: AbortSignal): Promise<PollPage> {
  const { rows } = parseCsv(await readCsvSource(conn, feed, signal), { delimiter: feed.delimiter });
  const fresh = rows
    .map((row, i) => ({ row, key: keyOf(feed, row, `row ${i + 2}`), stamp: stampOf(feed, row, `row ${i + 2}`) }))
    .filter((r) => isAfter(cursor, r))
    .sort(compareRecords);
  const page = fresh.slice(0, conn.pageSize);
  return { events: page.map((r) => recordEvent(feed, r.row, r.key, 'changed', r.stamp)), cursor: advance(cursor, page, page.length, false), more: fresh.length > page.length };
}

/**
 * A snapshot CSV diffed against the previous one. Ids are `erp:<entity>:<key>:<gen>:<hash>` (and
 * `…:removed:<gen>:<hash>`), `gen` counting the polls that found a change: a re-poll from the same
 * cursor (after a crash) gives the same ids, but a later return to an old state (A → B → A, or
 * removed → re-added → removed) is a new event, not a duplicate of the first.
 */
async function pollCsvSnapshot(conn: ErpConn, feed: Feed, stored: unknown, signal?: AbortSignal, now: number = Date.now()): Promise<PollPage> {
  const cursor = readCursor(stored, 'snapshot');
  const previous = cursor.hashes;
  const gen = cursor.gen + 1;
  const seenAt = new Date(now).toISOString();
  const { rows } = parseCsv(await readCsvSource(conn, feed, signal), { delimiter: feed.delimiter });
  const before = Object.keys(previous).length;
  if (rows.length === 0 && before > 0 && !feed.allowEmptySnapshot) {
    throw new Error(`ERP ${feed.entity}s: the CSV snapshot has no rows; refusing to remove ${before} record(s) (set ${feed.entity}s.allowEmptySnapshot to allow it)`);
  }
  const hashes: Record<string, string> = {};
  const events: SourceEvent[] = [];
  rows.forEach((row, i) => {
    const key = keyOf(feed, row, `row ${i + 2}`);
    if (key in hashes) throw new Error(`ERP ${feed.entity}s: the key "${key}" appears twice in the CSV (column "${feed.key}")`);
    const hash = rowHash(row);
    hashes[key] = hash;
    if (previous[key] !== hash) events.push(recordEvent(feed, row, key, previous[key] === undefined ? 'created' : 'updated', `${gen}:${hash}`, seenAt));
  });
  for (const [key, hash] of Object.entries(previous)) {
    if (!(key in hashes)) events.push(recordEvent(feed, { [feed.key]: key }, key, 'removed', `${gen}:${hash}`, seenAt));
  }
  events.sort((a, b) => compareKeys(String(a.payload.key), String(b.payload.key)));
  // the generation moves only with a change: an idle poll leaves the cursor as it was
  return { events, cursor: { mode: 'snapshot', hashes, gen: events.length > 0 ? gen : cursor.gen }, more: false };
}

/**
 * One page of a feed.
 *
 * @example
 * const page = await pollFeed(conn, conn.customers, storedCursor); // { events, cursor, more }
 */
export function pollFeed(conn: ErpConn, feed: Feed, cursor: unknown, signal?: AbortSignal, now?: number): Promise<PollPage> {
  if (feed.cursor === null) {
    if (feed.from === 'odata' || feed.from === 'api') throw new Error(`ERP ${feed.entity}s: a JSON feed needs a cursor column`);
    return pollCsvSnapshot(conn, feed, cursor, signal, now);
  }
  const c = readCursor(cursor, 'watermark');
  if (feed.from === 'odata') return pollOData(conn, feed, c, signal);
  return feed.from === 'api' ? pollApi(conn, feed, c, signal) : pollCsvCursor(conn, feed, c, signal);
}
