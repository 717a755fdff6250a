import { z } from 'zod';
import { buildCatalog, feedingTrigger, sampleOf } from '../../../connectors/catalog.js';
import { payloadFields } from '../../../engine/recipes/draft/index.js';
import { CONTACT_FIELDS, getPath, OBJECT_TRANSFORMS, parsePath, recipeJsonSchema, SIMPLE_TRANSFORMS } from '../../../engine/recipes/index.js';
import { suggest } from '../../../engine/recipes/schema-errors.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';

const pathEntry = z.object({ path: z.string().describe('a payload path a recipe names (data.email, candidate.emails[0])'), kind: z.string(), format: z.string().optional(), description: z.string().optional(), example: z.unknown().optional().describe("the sample's value") });

const schemaBody = z.object({
  schema: z.record(z.string(), z.unknown()).describe('the recipe document as JSON Schema (draft 2020-12)'),
  contactFields: z.array(z.string()).describe('GHL contact fields a mapping may set (besides customFields and tags)'),
  transforms: z.array(z.string()).describe('transform names: bare ones, then the one-key object ones'),
  trigger: z.object({ id: z.string(), event: z.string().nullable(), from: z.enum(['sample', 'schema']), paths: z.array(pathEntry) }).nullable().describe('with ?trigger= (or ?source=&event=): the paths of its payload, for {{ }} and path completion'),
});

/**
 * `GET /api/v1/recipes/schema`: what an editor completes from — the recipe's JSON Schema (from
 * the same zod schema the validator uses), the GHL contact field names, the transforms, and, for a
 * trigger, the paths its events carry (from its catalog sample, else its payload schema).
 *
 * @example
 * // GET /api/v1/recipes/schema?trigger=webhook.standard-webhooks&event=user.created
 * // → { schema: { $schema, properties: { id, version, trigger, … } }, contactFields: ['firstName', …], trigger: { paths: [{ path: 'data.email', kind: 'string', example: 'ada@example.com' }, …] } }
 */
export default defineRoute({
  method: 'GET',
  path: '/api/v1/recipes/schema',
  summary: "The recipe's JSON Schema, GHL contact field names, transforms and (for a trigger) its payload paths, for editor completion",
  tag: 'recipes',
  auth: true,
  query: z.strictObject({
    trigger: z.string().min(1).max(200).optional().describe('a catalog trigger id (GET /api/v1/operations?kind=trigger)'),
    source: z.string().min(1).max(200).optional().describe("a recipe's trigger source, instead of trigger: the catalog trigger that feeds it"),
    event: z.string().min(1).max(200).optional().describe('which event type (default the trigger\'s first sample)'),
  }),
  responses: { 200: { description: 'schema, field names and paths', body: schemaBody } },
  handler({ query, server, c }) {
    const catalog = buildCatalog(server.bridge.registry.connectors);
    let trigger = null;
    if (query.trigger !== undefined) {
      const triggers = catalog.filter((e) => e.kind === 'trigger');
      trigger = triggers.find((e) => e.id === query.trigger) ?? null;
      if (!trigger) {
        const near = suggest(query.trigger, triggers.map((t) => t.id));
        throw new ApiError(404, 'not-found', `no trigger ${query.trigger}${near ? ` (did you mean ${near}?)` : ''} (\`GET /api/v1/operations?kind=trigger\` lists them)`, 'trigger');
      }
    } else if (query.source !== undefined) trigger = feedingTrigger(catalog, query.source, query.event ?? '*');
    let out: z.infer<typeof schemaBody>['trigger'] = null;
    if (trigger) {
      const event = query.event ?? trigger.sample?.type ?? trigger.events?.find((e) => e !== '*') ?? null;
      const { from, leaves } = payloadFields(trigger, event ?? undefined);
      const sample = (event !== null ? sampleOf(trigger, event) : null) ?? trigger.sample ?? null;
      out = {
        id: trigger.id,
        event,
        from,
        paths: leaves.map((l) => {
          const parsed = parsePath(l.path);
          const example = sample && parsed.ok ? getPath(sample.payload, parsed.segments) : undefined;
          return { path: l.path, kind: l.kind, ...(l.format ? { format: l.format } : {}), ...(l.description ? { description: l.description } : {}), ...(example !== undefined && (typeof example !== 'object' || example === null) ? { example } : {}) };
        }),
      };
    }
    return c.json({ schema: recipeJsonSchema(), contactFields: [...CONTACT_FIELDS], transforms: [...SIMPLE_TRANSFORMS, ...OBJECT_TRANSFORMS], trigger: out } satisfies z.infer<typeof schemaBody>);
  },
});
