import type { Queryable } from '../db/types.js';

/**
 * Durable poll cursors, one per connection and trigger. A poll stores its cursor only after the
 * page's events are ingested, so a crash repeats a page (deduplicated by event id) and never skips one.
 *
 * @example
 * const cursor = await readCursor(db, 'recruitee-main', 'recruitee.candidates.changed');
 * await writeCursor(db, 'recruitee-main', 'recruitee.candidates.changed', next);
 */
export async function readCursor(db: Queryable, connectionId: string, triggerId: string): Promise<unknown> {
  const { rows } = await db.query<{ cursor: unknown }>('select cursor from poll_cursors where connection_id = $1 and trigger_id = $2', [connectionId, triggerId]);
  return rows[0]?.cursor ?? null;
}

export async function writeCursor(db: Queryable, connectionId: string, triggerId: string, cursor: unknown): Promise<void> {
  await db.query(
    `insert into poll_cursors (connection_id, trigger_id, cursor, polled_at) values ($1, $2, $3, now())
     on conflict (connection_id, trigger_id) do update set cursor = excluded.cursor, polled_at = now()`,
    [connectionId, triggerId, JSON.stringify(cursor ?? null)],
  );
}

/** Forgets a cursor: the next poll starts from the beginning (its events dedupe against what was ingested). */
export async function resetCursor(db: Queryable, connectionId: string, triggerId: string): Promise<void> {
  await db.query('delete from poll_cursors where connection_id = $1 and trigger_id = $2', [connectionId, triggerId]);
}
