import { z } from 'zod';
import type { CatalogEntry } from '../../../connectors/catalog.js';
import { buildCatalog } from '../../../connectors/index.js';
import { offsetPage } from '../../queries/page.js';
import { defineRoute } from '../contract.js';

const json = z.record(z.string(), z.unknown());
const sample = z.object({ type: z.string(), payload: json });

/** One trigger or action of the catalog. */
export const catalogEntryBody = z.object({
  id: z.string().describe('<app>.<name>'),
  title: z.string(),
  kind: z.enum(['trigger', 'action']),
  type: z.enum(['webhook', 'poll', 'schedule', 'action']),
  app: z.string(),
  endpoint: z.string().describe('what it listens on or calls'),
  scope: z.string().nullable(),
  events: z.array(z.string()).optional().describe('triggers: the engine event types it emits'),
  idempotent: z.boolean().optional(),
  input: json.nullable().describe('actions: the input JSON Schema'),
  output: json.describe('triggers: the event payload JSON Schema; actions: the result JSON Schema'),
  payload: json.optional(),
  sample: sample.nullable().optional().describe('triggers: a realistic event'),
  samples: z.array(sample).optional(),
  example: z.unknown().optional().describe('actions: an input its schema accepts'),
});

/** Every word of `q` in the entry's id, title, app, endpoint, scope or event types (any case). */
export function matchesQuery(e: CatalogEntry, q: string | undefined): boolean {
  if (!q) return true;
  const hay = [e.id, e.title, e.app, e.endpoint, e.scope ?? '', e.kind, e.type, ...(e.events ?? [])].join(' ').toLowerCase();
  return q.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

export default defineRoute({
  method: 'GET',
  path: '/api/v1/operations',
  summary: 'The operations catalog: every trigger and action, with input and output JSON Schemas, triggers\' samples and actions\' examples; searchable with q',
  tag: 'operations',
  auth: true,
  query: z.strictObject({
    q: z.string().trim().max(200).optional().describe('words that must all appear in the id, title, app, endpoint, scope or event types'),
    app: z.string().min(1).max(100).optional(),
    kind: z.enum(['trigger', 'action']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(500),
    cursor: z.string().min(1).max(200).optional(),
  }),
  responses: { 200: { description: 'A page of the catalog, by app, kind and id', body: z.object({ items: z.array(catalogEntryBody), next: z.string().optional() }) } },
  handler({ query, server, c }) {
    const all = buildCatalog(server.bridge.registry.connectors).filter((e) => (!query.app || e.app === query.app) && (!query.kind || e.kind === query.kind) && matchesQuery(e, query.q));
    return c.json(offsetPage(all, query.limit, query.cursor));
  },
});
