/**
 * Connecteam (workforce app): users by webhook (per-field `user_updated` bursts coalesced) and by
 * polling, actions on users and their notes, and a full listing for full syncs.
 */
import { z } from 'zod';
import { defineConnector, type JsonSchema, type TriggerDef } from '../types.js';
import { connecteamActions } from './actions.js';
import { connecteamConnection, type ConnecteamConnection } from './connection.js';
import { listAllUsers, pollUsers } from './poll.js';
import { eventPayloadSchema } from './schemas.js';
import { connecteamSamples } from './samples.js';
import { connecteamWebhook } from './webhook.js';

const payloadSchema = z.toJSONSchema(eventPayloadSchema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;

const webhookTrigger = (name: string, event: string, title: string): TriggerDef<ConnecteamConnection> => ({
  id: `connecteam.${name}`,
  title,
  kind: 'webhook',
  events: [event],
  endpoint: 'POST /hooks/{connectionId}',
  scope: 'users',
  output: payloadSchema,
});

/**
 * The Connecteam connector.
 *
 * @example
 * const connections = staticConnections([{ id: 'connecteam-main', app: 'connecteam', source: 'connecteam',
 *   config: { baseUrl: fake.url }, secrets: { apiKey: 'key', webhookSecret: 'secret' } }]);
 * const runtime = createConnectorRuntime({ engine, connectors: [connecteam], connections });
 * await runtime.poll('connecteam-main', 'connecteam.users.changed');
 */
export const connecteam = defineConnector<ConnecteamConnection>({
  app: 'connecteam',
  title: 'Connecteam',
  connection: connecteamConnection,
  triggers: [
    webhookTrigger('user.created', 'user.created', 'User created (webhook user_created)'),
    webhookTrigger('user.updated', 'user.updated', 'User updated (webhook user_updated; per-field deliveries coalesced by userId + modifiedAt + state)'),
    webhookTrigger('user.archived', 'user.archived', 'User archived (webhook user_archived)'),
    webhookTrigger('user.restored', 'user.restored', 'User restored (webhook user_restored)'),
    webhookTrigger('user.deleted', 'user.deleted', 'User deleted (webhook user_deleted)'),
    {
      id: 'connecteam.users.changed',
      title: 'Users created, changed or archived (poll by modifiedAt)',
      kind: 'poll',
      events: ['user.created', 'user.updated', 'user.archived'],
      endpoint: 'GET /users/v1/users',
      scope: 'users.read',
      output: payloadSchema,
      poll: pollUsers,
    },
  ],
  actions: connecteamActions,
  webhook: connecteamWebhook,
  samples: connecteamSamples,
  listAll: listAllUsers,
});

export default connecteam;
export { connecteamConnection, ConnecteamConnectionError, type ConnecteamConnection, type ConnecteamConfig } from './connection.js';
export { createConnecteamClient, ConnecteamApiError, type ConnecteamClient } from './client.js';
export { parseConnecteamWebhook, resolveArchives, verifyConnecteam, userEventId, userStateHash, archiveEventId, USER_EVENT_TYPES } from './webhook.js';
export { pollUsers, listAllUsers, readCursor, type ConnecteamCursor } from './poll.js';
export { toUserView, type UserView, type EventPayload } from './schemas.js';
export { summarizeContactView } from './contact-view.js';
