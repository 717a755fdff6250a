/**
 * GHL itself as a connector (app id `ghl`): its webhooks and a scheduled reconciliation as
 * triggers, and every contacts operation as a catalog action (plus `ghl.contactView`).
 *
 * Connection: config `{ baseUrl?, locationId, webhookPublicKey, legacyRsaPublicKey?,
 * reconcileLookbackMs? }`, secrets `{ token }` (a location Private Integration Token).
 */
import { defineConnector, type Connector, type SourceEvent } from '../types.js';
import { ghlActions } from './actions.js';
import { readConnection, type GhlConnection } from './connection.js';
import { appEventSchema, APP_EVENTS, contactEventSchema, CONTACT_EVENTS, contactPayload, noteEventSchema, NOTE_EVENTS, taskEventSchema, TASK_EVENTS, webhookContact } from './events.js';
import { reconcilePoll } from './reconcile.js';
import { ghlSamples } from './samples.js';
import { ghlWebhook } from './webhook.js';

export { contactRoutes, ghlActions, OPERATION_ACTIONS, routeAction, bundleSchema, contactViewAction } from './actions.js';
export { readContactView, type ContactView } from './contact-view.js';
export { readConnection, type GhlConnection } from './connection.js';
export { reconcilePoll, readCursor, isUnseen, reconcileExternalId, type ReconcileCursor } from './reconcile.js';
export { parseWebhook, verifyDelivery, ghlWebhook, WEBHOOK_TOLERANCE_MS } from './webhook.js';
export { CONTACT_EVENTS, TASK_EVENTS, NOTE_EVENTS, APP_EVENTS, WEBHOOK_EVENTS, webhookContact, contactPayload } from './events.js';

const HOOK = 'POST /hooks/{connectionId}';

/** Every contact of the location as `ContactUpdate` events (full sync back to the apps). */
async function* listAllContacts(conn: GhlConnection, options: { signal?: AbortSignal }): AsyncIterable<SourceEvent> {
  const all = conn.client().contacts.searchAll(
    { locationId: conn.locationId, sort: [{ field: 'dateUpdated', direction: 'asc' }] },
    { pageSize: 500, ...(options.signal ? { signal: options.signal } : {}) },
  );
  for await (const found of all) {
    const raw = found as unknown as Record<string, unknown>;
    const dateUpdated = String(raw.dateUpdated ?? raw.dateAdded ?? '');
    const contact = webhookContact({ ...raw, locationId: raw.locationId ?? conn.locationId });
    yield { externalId: `sync:${String(raw.id)}:${dateUpdated}`, type: 'ContactUpdate', payload: contactPayload('ContactUpdate', contact, { origin: 'sync' }) };
  }
}

/**
 * The `ghl` connector.
 *
 * @example
 * import { ghl } from './connectors/ghl/index.js';
 * const conn = ghl.connection({ id: 'ghl-main', app: 'ghl', source: 'ghl', config: { baseUrl: sandbox.url, locationId, webhookPublicKey }, secrets: { token: pit } });
 * const upsert = ghl.actions.find((a) => a.id === 'ghl.contacts.upsert')!;
 * await upsert.run({ conn }, { body: { email: 'ada@example.com', firstName: 'Ada' } });
 */
export const ghl: Connector<GhlConnection> = defineConnector<GhlConnection>({
  app: 'ghl',
  title: 'HighLevel (GHL)',
  connection: readConnection,
  triggers: [
    { id: 'ghl.contact.changed', title: 'A contact was created, updated, deleted, or its tags or DND changed', kind: 'webhook', events: [...CONTACT_EVENTS], endpoint: HOOK, scope: 'contacts.readonly', output: contactEventSchema },
    { id: 'ghl.task.changed', title: 'A task was created, completed or deleted', kind: 'webhook', events: [...TASK_EVENTS], endpoint: HOOK, scope: 'contacts.readonly', output: taskEventSchema },
    { id: 'ghl.note.changed', title: 'A note was created, updated or deleted', kind: 'webhook', events: [...NOTE_EVENTS], endpoint: HOOK, scope: 'contacts.readonly', output: noteEventSchema },
    { id: 'ghl.app.installed', title: 'The app was installed or uninstalled', kind: 'webhook', events: [...APP_EVENTS], endpoint: HOOK, output: appEventSchema },
    {
      id: 'ghl.contacts.reconcile',
      title: 'Contacts changed since the last reconciliation (catches lost webhooks)',
      kind: 'poll',
      events: ['ContactUpdate'],
      endpoint: 'POST /contacts/search',
      scope: 'contacts.readonly',
      output: contactEventSchema,
      poll: (input) => reconcilePoll(input),
    },
  ],
  actions: ghlActions,
  webhook: ghlWebhook,
  samples: ghlSamples,
  listAll: listAllContacts,
});
