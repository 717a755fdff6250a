import { createHash } from 'node:crypto';
import type { Queryable } from '../db/types.js';
import type { EngineLog } from '../log.js';

/** A webhook delivery refused before anything was enqueued: kept for people, without secrets. */
export interface WebhookRejection {
  id: number;
  connectionId: string;
  status: number;
  /** `bad-signature`, `stale`, `malformed`, … */
  reason: string;
  detail: string | null;
  /** the delivery's headers with signatures and credentials redacted */
  headers: Record<string, string>;
  bodySha256: string;
  bodyBytes: number;
  at: Date;
}

const SECRET_HEADER = /signature|authorization|token|secret|api-key|cookie/i;

/** Headers as they may be kept: signature, credential and cookie values replaced. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = SECRET_HEADER.test(k) ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Headers that tell a person why a delivery failed; any other header is only counted. */
const KEPT_HEADER = /^(content-type|content-length|content-encoding|transfer-encoding|user-agent|x-forwarded-for|x-real-ip|x-request-id|webhook-id|webhook-timestamp)$|signature|timestamp|event|delivery/i;
const MAX_KEPT_HEADERS = 16;
const MAX_HEADER_VALUE = 256;
const MAX_DETAIL = 500;

/**
 * The headers of a refused delivery as they are kept: an allow-list of names that help explain a
 * refusal, at most 16, each value cut to 256 characters, secrets redacted; the rest counted in
 * one `(not kept)` entry. A stranger's headers can never fill the database.
 *
 * @example
 * keptHeaders({ 'user-agent': 'curl', 'x-junk': 'x'.repeat(14_000) }); // { 'user-agent': 'curl', '(not kept)': '1 header, 14006 bytes' }
 */
export function keptHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  let kept = 0;
  let dropped = 0;
  let droppedBytes = 0;
  for (const [name, value] of Object.entries(redactHeaders(headers))) {
    if (kept < MAX_KEPT_HEADERS && name.length <= 64 && KEPT_HEADER.test(name)) {
      out[name] = value.length > MAX_HEADER_VALUE ? `${value.slice(0, MAX_HEADER_VALUE)}… (${value.length} characters)` : value;
      kept++;
    } else {
      dropped++;
      droppedBytes += name.length + value.length;
    }
  }
  if (dropped > 0) out['(not kept)'] = `${dropped} header${dropped === 1 ? '' : 's'}, ${droppedBytes} bytes`;
  return out;
}

export interface RejectionInput {
  connectionId: string;
  status: number;
  reason: string;
  detail?: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

/**
 * Records a refused delivery, bounded: status, reason, the kept headers (`keptHeaders`) and the
 * body's hash and size (never the body, which may carry personal data of an unverified sender).
 *
 * @example
 * await recordRejection(db, { connectionId, status: 401, reason: 'bad-signature', headers, rawBody });
 */
export async function recordRejection(db: Queryable, r: RejectionInput): Promise<void> {
  const detail = r.detail === undefined ? null : r.detail.length > MAX_DETAIL ? `${r.detail.slice(0, MAX_DETAIL)}…` : r.detail;
  await db.query(
    'insert into webhook_rejections (connection_id, status, reason, detail, headers, body_sha256, body_bytes) values ($1, $2, $3, $4, $5, $6, $7)',
    [r.connectionId, r.status, r.reason, detail, JSON.stringify(keptHeaders(r.headers)), createHash('sha256').update(r.rawBody).digest('hex'), r.rawBody.length],
  );
}

export interface RejectionLogOptions {
  /** refusals recorded per connection per minute, each (default 30); the rest are counted */
  perMinute?: number;
  /** refusals and replays older than this are deleted (default 14 days) */
  retentionDays?: number;
  /** told of each refusal not recorded (the `/metrics` counter) */
  onUnrecorded?: (connectionId: string) => void;
  /** where a failed background write of the summary count is told */
  log?: EngineLog;
  now?: () => number;
}

/** The row standing for the refusals of one connection that were counted, not recorded. */
interface Summary {
  rowId: Promise<number>;
  count: number;
  flushed: number;
}

/**
 * Refused deliveries as a bounded log: each connection's refusals are recorded up to `perMinute`
 * (a token bucket; a burst of that many, then one every 60/perMinute s); past that they are counted
 * in one summary row per episode (reason `unrecorded`, its `detail` saying how many, kept up to
 * date once a second) and by `onUnrecorded`. Rows past `retentionDays` are deleted hourly. So a
 * flood of forged requests costs a few rows a minute, never megabytes.
 *
 * @example
 * const log = createRejectionLog(db, { perMinute: 30, onUnrecorded: (c) => counter.inc({ connection: c }) });
 * await log.record({ connectionId, status: 401, reason: 'bad-signature', headers, rawBody });
 */
export function createRejectionLog(db: Queryable, options: RejectionLogOptions = {}) {
  const perMinute = options.perMinute ?? 30;
  const retentionMs = (options.retentionDays ?? 14) * 86_400_000;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number; summary?: Summary }>();
  let flushTimer: NodeJS.Timeout | undefined;
  let lastPrune = 0;

  const take = (connectionId: string): { ok: true } | { ok: false; bucket: { summary?: Summary } } => {
    const t = now();
    const b = buckets.get(connectionId) ?? { tokens: perMinute, at: t };
    b.tokens = Math.min(perMinute, b.tokens + ((t - b.at) / 60_000) * perMinute);
    b.at = t;
    buckets.set(connectionId, b);
    // a full bucket again: the episode of counted refusals is over
    if (b.tokens >= perMinute && b.summary && b.summary.count === b.summary.flushed) b.summary = undefined;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, bucket: b };
  };

  const flush = async () => {
    flushTimer = undefined;
    for (const b of buckets.values()) {
      const s = b.summary;
      if (!s || s.count === s.flushed) continue;
      const count = s.count;
      await db.query(`update webhook_rejections set detail = $2, at = now() where id = $1`, [await s.rowId, summaryText(count)]);
      s.flushed = count;
    }
  };
  const scheduleFlush = () => {
    flushTimer ??= setTimeout(() => void flush().catch((error: unknown) => options.log?.('warn', `writing the count of unrecorded webhook refusals failed: ${(error as Error).message}`)), 1000);
    flushTimer.unref?.();
  };

  const prune = async () => {
    const t = now();
    if (t - lastPrune < 3_600_000) return;
    lastPrune = t;
    const before = new Date(t - retentionMs);
    await db.query('delete from webhook_rejections where at < $1', [before]);
    await db.query('delete from webhook_replays where at < $1', [before]);
  };

  return {
    async record(r: RejectionInput): Promise<void> {
      await prune();
      const slot = take(r.connectionId);
      if (slot.ok) return recordRejection(db, r);
      options.onUnrecorded?.(r.connectionId);
      const b = slot.bucket;
      if (b.summary) {
        b.summary.count++;
        scheduleFlush();
        return;
      }
      const rowId = db
        .query<{ id: string }>(
          `insert into webhook_rejections (connection_id, status, reason, detail, headers, body_sha256, body_bytes) values ($1, $2, 'unrecorded', $3, '{}', '', 0) returning id`,
          [r.connectionId, r.status, summaryText(1)],
        )
        .then((res) => Number(res.rows[0]!.id));
      b.summary = { rowId, count: 1, flushed: 1 };
      await rowId;
    },
    /** Writes the pending summary counts now (on close). */
    flush: async () => {
      if (flushTimer) clearTimeout(flushTimer);
      await flush();
    },
  };
}

export type RejectionLog = ReturnType<typeof createRejectionLog>;

function summaryText(count: number): string {
  return `${count} more refused deliver${count === 1 ? 'y' : 'ies'} not recorded one by one (over the per-minute limit)`;
}

export async function listRejections(db: Queryable, filter: { connectionId?: string; limit?: number } = {}): Promise<WebhookRejection[]> {
  const { rows } = await db.query<{ id: string; connection_id: string; status: number; reason: string; detail: string | null; headers: Record<string, string>; body_sha256: string; body_bytes: number; at: Date | string }>(
    `select * from webhook_rejections where ($1::text is null or connection_id = $1) order by id desc limit $2`,
    [filter.connectionId ?? null, filter.limit ?? 100],
  );
  return rows.map((r) => ({ id: Number(r.id), connectionId: r.connection_id, status: r.status, reason: r.reason, detail: r.detail, headers: r.headers, bodySha256: r.body_sha256, bodyBytes: r.body_bytes, at: new Date(r.at) }));
}

/** A delivery whose events were all stored before (a sender's retry, or a replay). */
export interface WebhookReplay {
  id: number;
  connectionId: string;
  externalIds: string[];
  headers: Record<string, string>;
  at: Date;
}

/**
 * Records a delivery that brought nothing new: acknowledged, not enqueued, kept for people.
 *
 * @example
 * await recordReplay(db, { connectionId, externalIds: ['msg_1'], headers });
 */
export async function recordReplay(db: Queryable, r: { connectionId: string; externalIds: string[]; headers: Record<string, string | string[] | undefined> }): Promise<void> {
  await db.query('insert into webhook_replays (connection_id, external_ids, headers) values ($1, $2, $3)', [r.connectionId, JSON.stringify(r.externalIds.slice(0, 100)), JSON.stringify(keptHeaders(r.headers))]);
}

export async function listReplays(db: Queryable, filter: { connectionId?: string; limit?: number } = {}): Promise<WebhookReplay[]> {
  const { rows } = await db.query<{ id: string; connection_id: string; external_ids: string[]; headers: Record<string, string>; at: Date | string }>(
    `select * from webhook_replays where ($1::text is null or connection_id = $1) order by id desc limit $2`,
    [filter.connectionId ?? null, filter.limit ?? 100],
  );
  return rows.map((r) => ({ id: Number(r.id), connectionId: r.connection_id, externalIds: r.external_ids, headers: r.headers, at: new Date(r.at) }));
}
