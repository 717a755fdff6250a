import { readCursor, writeCursor, type Engine } from '../../engine/index.js';
import type { ConnectionSource } from './connections.js';
import { ledgerContext } from './context.js';
import { ConnectionProblem } from './errors.js';
import type { ConnectorRegistry } from './registry.js';
import { resolveConnection } from './resolve.js';

export interface PollReport {
  connectionId: string;
  triggerId: string;
  pages: number;
  /** events stored now */
  ingested: number;
  /** events already stored (the same change seen by webhook, or a repeated page) */
  duplicates: number;
  cursor: unknown;
}

export interface PollDeps {
  engine: Engine;
  registry: ConnectorRegistry;
  connections: ConnectionSource;
}

/**
 * Polls one trigger of one connection until it has no more pages. Each page's events are stored
 * (deduplicated by their deterministic ids) before its cursor is, so a crash repeats a page and
 * never skips one. Two processes polling the same trigger take turns (an advisory lock on a
 * server; PGlite is one process).
 *
 * @example
 * const report = await pollTrigger({ engine, registry, connections }, 'recruitee-main', 'recruitee.candidates.changed');
 */
export async function pollTrigger(deps: PollDeps, connectionId: string, triggerId: string, options: { signal?: AbortSignal; maxPages?: number; now?: () => number } = {}): Promise<PollReport> {
  const found = deps.registry.trigger(triggerId);
  if (!found?.trigger.poll) throw new ConnectionProblem(`no polling trigger "${triggerId}"`, 404);
  const { stored, conn } = await resolveConnection(deps.registry, deps.connections, connectionId, found.connector.app);
  const poll = found.trigger.poll;
  const { db } = deps.engine;
  const run = async (): Promise<PollReport> => {
    const report: PollReport = { connectionId, triggerId, pages: 0, ingested: 0, duplicates: 0, cursor: await readCursor(db, connectionId, triggerId) };
    const maxPages = options.maxPages ?? 10_000;
    for (;;) {
      options.signal?.throwIfAborted();
      const context = ledgerContext(deps.engine);
      const page = await poll({ conn, cursor: report.cursor, now: (options.now ?? Date.now)(), signal: options.signal, context });
      let fresh = 0;
      for (const event of page.events) {
        const r = await deps.engine.ingest({ source: stored.source, externalId: event.externalId, type: event.type, payload: event.payload, connectionId });
        if (r.duplicate) report.duplicates++;
        else fresh++;
      }
      report.ingested += fresh;
      // the ledger learns only from news, never from a page seen before
      if (fresh > 0) await context.commit();
      await writeCursor(db, connectionId, triggerId, page.cursor);
      report.cursor = page.cursor;
      report.pages++;
      if (!page.more || report.pages >= maxPages) return report;
    }
  };
  if (db.kind !== 'postgres') return run();
  return db.withConnection(async (conn) => {
    await conn.query('select pg_advisory_lock(hashtext($1))', [`poll:${connectionId}:${triggerId}`]);
    try {
      return await run();
    } finally {
      await conn.query('select pg_advisory_unlock(hashtext($1))', [`poll:${connectionId}:${triggerId}`]);
    }
  });
}
