/**
 * Catalog samples of the "your app" webhook triggers: bodies built as the app fake builds its
 * messages (users, tasks and notes shaped like the fake's), read by the connector's own
 * `parseDelivery` with a connection of each scheme (as `webhookConnection` reads one). The
 * Standard Webhooks trigger (the default scheme, the demo's `my-app`) shows every message the fake
 * sends; the others one sign-up each. Fixed times keep the samples (and docs/catalog.md) stable.
 */
import type { ConnectorSamples, TriggerSample } from '../types.js';
import { appMessage, type AppNote, type AppTask, type AppUser } from './fake.js';
import { webhookConnection } from './connection.js';
import type { SchemeName } from './schemas.js';
import { parseDelivery } from './webhook.js';

const T = 1772442900; // 2026-03-02T09:15:00Z
const ISO = new Date(T * 1000).toISOString();
const LATER = new Date((T + 3600) * 1000).toISOString();

const user: AppUser = { id: 'usr_ada', email: 'ada@example.com', name: 'Ada Lovelace', phone: '+14155550188', plan: 'free', company: 'Analytical Engines Ltd', createdAt: ISO, updatedAt: ISO };
const upgraded: AppUser = { ...user, plan: 'pro', updatedAt: LATER };
const task: AppTask = { id: 'tsk_2', userId: 'usr_ada', title: 'Book the onboarding call', body: 'Ada asked for a call on Thursday', dueDate: '2026-03-05T15:00:00.000Z', completed: false, createdAt: LATER };
const note: AppNote = { id: 'nte_3', userId: 'usr_ada', body: 'Upgraded after the trial: wants team seats next quarter.', createdAt: LATER };

const CUSTOM = { signatureHeader: 'x-signature', format: 'bare', encoding: 'hex', signs: 'body', key: 'utf8' };

function conn(scheme: SchemeName) {
  const config = scheme === 'custom' ? { scheme: CUSTOM } : { scheme };
  return webhookConnection({ id: 'app-main', app: 'webhook', source: 'my-app', config, secrets: { signingSecret: 'whsec_c2FtcGxlLXNpZ25pbmcta2V5LW5vdC1hLXNlY3JldA==' } });
}

function delivered(scheme: SchemeName, id: string, type: string, data: object, extra?: Record<string, unknown>): TriggerSample {
  const body = appMessage(scheme === 'stripe' ? 'stripe' : 'standard-webhooks', { id, type, timestamp: T, data: { ...data }, ...(extra ? { extra } : {}) });
  // the id a verified delivery carries: the signed webhook-id header (Standard Webhooks), none otherwise
  const [event] = parseDelivery(conn(scheme), body, scheme === 'standard-webhooks' ? id : null, Buffer.from(JSON.stringify(body)));
  return { type: event!.type, payload: event!.payload };
}

const signUp = (scheme: SchemeName) => () => [delivered(scheme, scheme === 'stripe' ? 'evt_1NfX2p' : 'msg_2ZbYkq1', 'user.created', user)];

/**
 * @example
 * webhookSamples.triggers['webhook.standard-webhooks']!().map((s) => s.type); // ['user.created', 'user.updated', 'task.created', 'note.created']
 */
export const webhookSamples: ConnectorSamples = {
  triggers: {
    'webhook.standard-webhooks': () => [
      delivered('standard-webhooks', 'msg_2ZbYkq1', 'user.created', user),
      delivered('standard-webhooks', 'msg_2ZbYkq2', 'user.updated', upgraded, { changes: ['plan'], previous: { plan: 'free' } }),
      delivered('standard-webhooks', 'msg_2ZbYkq3', 'task.created', task),
      delivered('standard-webhooks', 'msg_2ZbYkq4', 'note.created', note),
    ],
    'webhook.stripe': signUp('stripe'),
    'webhook.github': signUp('github'),
    'webhook.custom': signUp('custom'),
  },
  actions: {
    'webhook.send': { type: 'contact.updated', data: { contactId: 'ocQHyuzHvysMo5N5VsXc', email: 'ada@example.com', tags: ['app-user'] } },
  },
};
