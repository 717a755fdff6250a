import type { Engine } from '../../engine/index.js';
import type { WebhookContext } from '../types.js';

/**
 * The ledger view lent to parsers and polls, backed by the engine. `observeContact` only reads:
 * what the ledger must learn is kept until the events are stored (`commit`), so a crash between
 * the two never turns a stored change into an "echo" that is dropped.
 *
 * @example
 * const ctx = ledgerContext(engine);
 * const events = await spec.parse(conn, body, delivery, ctx);
 * for (const e of events) await engine.ingest(e);
 * await ctx.commit();
 */
export function ledgerContext(engine: Pick<Engine, 'links' | 'recordLinks' | 'isGhlEcho' | 'learnGhlContact' | 'isRecordEcho' | 'learnRecord'>): WebhookContext & { commit(): Promise<void> } {
  const learned: Array<() => Promise<void>> = [];
  return {
    links: (id) => engine.links(id),
    recordLinks: (kind, id) => engine.recordLinks(kind, id),
    async observeContact(contact) {
      if (await engine.isGhlEcho(contact)) return true;
      learned.push(() => engine.learnGhlContact(contact));
      return false;
    },
    async observeRecord(kind, ghlId, shown) {
      if (await engine.isRecordEcho(kind, ghlId, shown)) return true;
      learned.push(() => engine.learnRecord(kind, ghlId, shown));
      return false;
    },
    async commit() {
      for (const learn of learned.splice(0)) await learn();
    },
  };
}
