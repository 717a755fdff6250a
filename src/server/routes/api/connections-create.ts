import { z } from 'zod';
import { unknownConnectionKey } from '../../../connectors/connection-keys.js';
import { checkGhlLocationSettings } from '../../../connectors/ghl/location-settings.js';
import { CONNECTION_APPS } from '../../../engine/index.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { connectionBody, describeConnections } from './connections-list.js';
import { translate } from './shared.js';

/** Apps whose stored connection a connector reads; checked before saving (errors name the field, never a secret). */
const CHECKED_APPS = new Set(['recruitee', 'connecteam', 'webhook', 'erp']);

export const createConnectionBody = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, { error: '1–128 letters, digits or _ . : - (starting with a letter or digit)' }).optional(),
  app: z.enum(CONNECTION_APPS),
  name: z.string().trim().min(1).max(200),
  config: z.record(z.string(), z.unknown()).optional(),
  secrets: z.record(z.string(), z.string().min(1)).optional(),
});

export default defineRoute({
  method: 'POST',
  path: '/api/v1/connections',
  summary: 'Create a connection (secrets sealed at rest, never shown again)',
  tag: 'connections',
  auth: true,
  body: createConnectionBody,
  responses: {
    201: { description: 'The connection summary (no secrets)', body: connectionBody },
    409: { description: 'a connection of this id exists (field id)' },
    422: { description: 'the settings do not work for the app: field names the first bad one (config.…, secrets.…), never its value' },
  },
  async handler({ body, server, c }) {
    const { bridge } = server;
    // a misspelt name (`pitt`) would be stored and never read: the connection would fail later, far from here
    const unknown = unknownConnectionKey(body.app, body.config ?? {}, body.secrets ?? {});
    if (unknown) throw new ApiError(400, 'unknown-field', unknown.message, unknown.field);
    if (body.app === 'ghl-location') {
      const problem = checkGhlLocationSettings(body.config ?? {}, body.secrets ?? {}, body.id);
      if (problem) throw new ApiError(422, 'invalid-connection', problem.message, problem.field);
    }
    const connector = bridge.registry.forApp(body.app);
    if (connector && CHECKED_APPS.has(body.app)) {
      // `source` is the repository's (the event source name), not the connector's
      const { source, ...config } = body.config ?? {};
      try {
        connector.connection({ id: body.id ?? 'new', app: body.app, source: typeof source === 'string' && source !== '' ? source : body.app, config, secrets: body.secrets ?? {} });
      } catch (e) {
        throw new ApiError(422, 'invalid-connection', (e as Error).message, /(config|secrets)\.[A-Za-z0-9_.]+/.exec((e as Error).message)?.[0]);
      }
    }
    try {
      const created = await bridge.connections.create({ ...(body.id ? { id: body.id } : {}), app: body.app, name: body.name, config: body.config, secrets: body.secrets });
      // a client cached for an earlier connection of this id must not be used
      bridge.ghl.forget(created.id);
      return c.json((await describeConnections(server, [created]))[0]!, 201);
    } catch (e) {
      return translate(e);
    }
  },
});
