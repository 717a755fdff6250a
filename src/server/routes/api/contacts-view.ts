import { z } from 'zod';
import { readContactView } from '../../../engine/index.js';
import { ApiError } from '../../http/errors.js';
import { findLedger } from '../../queries/ledger.js';
import type { ServerContext } from '../contract.js';
import { defineRoute } from '../contract.js';
import { ledgerRowBody } from './ledger-find.js';
import { idText, translate } from './shared.js';

const record = z.record(z.string(), z.unknown());

/**
 * The GHL connection to read a contact through: the one asked for, else the one the ledger wrote
 * it with, else the only GHL location, else `ghl-main`.
 */
async function connectionOf(server: ServerContext, asked: string | undefined, ledger: Array<{ connectionId: string }>): Promise<string> {
  if (asked) return asked;
  const locations = await server.bridge.connections.list({ app: 'ghl-location' });
  const written = ledger.find((r) => locations.some((l) => l.id === r.connectionId));
  if (written) return written.connectionId;
  return locations.length === 1 ? locations[0]!.id : 'ghl-main';
}

export default defineRoute({
  method: 'GET',
  path: '/api/v1/contacts/{ghlId}/view',
  summary: "A contact's 360° view from GHL: contact, tasks, notes, appointments, and its linked source records in the ledger",
  tag: 'contacts',
  auth: true,
  params: z.strictObject({ ghlId: idText }),
  query: z.strictObject({ connection: z.string().min(1).max(200).optional().describe('the GHL location connection (default: the one the ledger wrote it with, else the only one, else ghl-main)') }),
  responses: {
    200: {
      description: 'The 360° view',
      body: z.object({
        connectionId: z.string(),
        locationId: z.string(),
        contact: z.object({ id: z.string() }).catchall(z.unknown()),
        tasks: z.array(record),
        notes: z.array(record),
        appointments: z.array(record),
        links: z.record(z.string(), z.string()).describe('{ [source]: sourceId } of the source records linked to it'),
        records: z.array(ledgerRowBody).describe('its ledger entries: each source record linked to it, with the fields last written'),
      }),
    },
    404: { description: 'no such contact or connection' },
  },
  async handler({ params, query, server, c }) {
    const { bridge } = server;
    const records = await findLedger(bridge.db, { ghlId: params.ghlId, offset: 0, limit: 100 });
    const connectionId = await connectionOf(server, query.connection, records);
    let target;
    try {
      target = await bridge.ghl(connectionId);
    } catch (e) {
      throw new ApiError(404, 'not-found', (e as Error).message, 'connection');
    }
    try {
      const view = await readContactView(target.client, params.ghlId, { locationId: target.locationId });
      return c.json({ connectionId, locationId: target.locationId, ...view, links: await bridge.engine.links(params.ghlId), records });
    } catch (e) {
      return translate(e, connectionId);
    }
  },
});
