import type { Engine } from '../../engine/index.js';
import type { WebhookContext } from '../types.js';

/** The ledger view lent to parsers and polls (links, echo filtering), backed by the engine. */
export function ledgerContext(engine: Pick<Engine, 'links' | 'observeGhlContact'>): WebhookContext {
  return { links: (id) => engine.links(id), observeContact: (contact) => engine.observeGhlContact(contact) };
}
