import { z } from 'zod';
import { contactAudit } from '../../queries/contacts.js';
import { decodeCursor, encodeCursor, pageQuery } from '../../queries/page.js';
import { defineRoute } from '../contract.js';
import { idText } from './shared.js';

export const auditEntryBody = z.object({
  id: z.number(),
  at: z.string(),
  field: z.string(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  recipeId: z.string().nullable(),
  recipeVersion: z.number().nullable(),
  eventId: z.number().nullable(),
  runId: z.number().nullable().describe('the run that wrote it (the console links /runs/<runId>)'),
  event: z.object({ type: z.string(), source: z.string(), externalId: z.string() }).nullable().describe('the event that caused it'),
});

export default defineRoute({
  method: 'GET',
  path: '/api/v1/contacts/{ghlId}/audit',
  summary: "A GHL contact's audit trail: which event changed which field, from what to what, by which recipe version",
  tag: 'contacts',
  auth: true,
  params: z.strictObject({ ghlId: idText }),
  query: z.strictObject({ ...pageQuery }),
  responses: { 200: { description: 'A page of the audit trail, oldest first', body: z.object({ items: z.array(auditEntryBody), next: z.string().optional() }) } },
  async handler({ params, query, server, c }) {
    const offset = decodeCursor(query.cursor) ?? 0;
    const rows = await contactAudit(server.bridge.db, params.ghlId, offset, query.limit + 1);
    return c.json(rows.length > query.limit ? { items: rows.slice(0, query.limit), next: encodeCursor(offset + query.limit) } : { items: rows });
  },
});
