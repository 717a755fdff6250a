import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { findLedger } from '../../queries/ledger.js';
import { decodeCursor, encodeCursor, pageQuery } from '../../queries/page.js';
import { defineRoute } from '../contract.js';

/** One ledger entry: a source record and the GHL record it is linked to. */
export const ledgerRowBody = z.object({
  connectionId: z.string().describe('the GHL connection it was written with'),
  source: z.string(),
  kind: z.string().describe('contact, task or note'),
  sourceId: z.string(),
  ghlId: z.string(),
  locationId: z.string(),
  fields: z.record(z.string(), z.unknown()).nullable().describe('the fields last written'),
  updatedAt: z.string(),
});

export default defineRoute({
  method: 'GET',
  path: '/api/v1/ledger',
  summary: 'Ledger lookup: a source record (source + sourceId) or a GHL id',
  tag: 'ledger',
  auth: true,
  query: z.strictObject({ source: z.string().min(1).max(200).optional(), sourceId: z.string().min(1).max(500).optional(), ghlId: z.string().min(1).max(200).optional(), ...pageQuery }),
  responses: { 200: { description: 'A page of ledger entries', body: z.object({ items: z.array(ledgerRowBody), next: z.string().optional() }) } },
  async handler({ query, server, c }) {
    if (!query.ghlId && !(query.source && query.sourceId)) throw new ApiError(400, 'invalid-input', 'query: give ghlId, or source and sourceId', query.source ? 'sourceId' : 'ghlId');
    const offset = decodeCursor(query.cursor) ?? 0;
    const rows = await findLedger(server.bridge.db, { source: query.source, sourceId: query.sourceId, ghlId: query.ghlId, offset, limit: query.limit + 1 });
    return c.json(rows.length > query.limit ? { items: rows.slice(0, query.limit), next: encodeCursor(offset + query.limit) } : { items: rows });
  },
});
