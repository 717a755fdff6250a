import { z } from 'zod';
import { findEntry } from '../../../connectors/catalog-fields.js';
import { buildCatalog } from '../../../connectors/index.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { catalogEntryBody } from './operations-list.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/operations/{id}',
  summary: 'One trigger or action of the catalog: schemas, and its sample events (triggers) or example input (actions)',
  tag: 'operations',
  auth: true,
  params: z.strictObject({ id: z.string().min(1).max(200).regex(/^[A-Za-z0-9_.-]+$/, { error: 'an operation id, e.g. recruitee.candidate.created' }) }),
  responses: { 200: { description: 'The catalog entry (with sample and samples, or example)', body: catalogEntryBody }, 404: { description: 'no such operation (the message suggests the closest id)' } },
  handler({ params, server, c }) {
    const found = findEntry(buildCatalog(server.bridge.registry.connectors), params.id);
    if (!found.ok) throw new ApiError(404, 'not-found', found.message);
    return c.json(found.entry);
  },
});
