import { z } from 'zod';
import { buildCatalog } from '../../../connectors/catalog.js';
import { sourceOfConnection } from '../../../connectors/runtime/connections.js';
import { recipeVersionText } from '../../../engine/index.js';
import { DRAFT_ACTIONS, defaultRecipeId, defaultSource, draftRecipe, DraftError } from '../../../engine/recipes/draft/index.js';
import { parseRecipeYielding } from '../../../engine/recipes/index.js';
import { suggest } from '../../../engine/recipes/schema-errors.js';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { placedIssueSchema, placeIssues } from './recipe-positions.js';

const text = (max: number) => z.string().max(max);
const name = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, { error: '1-128 letters, digits, ".", "_", ":" or "-"' });

const field = z.strictObject({
  ghlField: z.string().min(1).max(200).describe('a GHL contact field (email, firstName…), tags, or customFields.<key>'),
  sourcePath: text(500).optional().describe('a path into the event payload (data.email)'),
  value: z.unknown().optional().describe('a constant instead of a path'),
  transform: z.string().min(1).max(40).optional().describe('a transform id of GET /api/v1/recipes/transforms'),
  options: z.strictObject({ defaultCountry: text(2).optional(), add: text(20).optional(), format: z.enum(['iso', 'date']).optional(), separator: text(10).optional() }).optional(),
  valueMap: z.strictObject({ map: z.record(z.string(), z.unknown()), fallback: z.unknown().optional() }).optional(),
  default: z.unknown().optional(),
});

const action = z.strictObject({
  kind: z.enum(DRAFT_ACTIONS),
  tags: z.array(z.string().min(1).max(100)).max(50).optional(),
  managed: z.array(z.string().min(1).max(100)).max(50).optional(),
  title: text(500).optional(),
  body: text(5000).optional(),
  dueIn: text(20).optional(),
  dueAt: text(5).optional(),
  assignedTo: text(200).optional(),
  policy: z.enum(['delete', 'tag']).optional(),
  tag: text(100).optional(),
});

const body = z.strictObject({
  name: z.string().trim().min(1, 'give the recipe a name').max(200),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, { error: 'an id is 1-100 letters, digits, ".", "_", ":" or "-"' }).optional().describe('default from the source and event'),
  source: z.strictObject({
    app: z.string().min(1).max(100),
    connection: name.describe("the app connection the events come from (its config.source is the recipe's trigger source)"),
    trigger: z.string().min(1).max(200).describe('catalog trigger id'),
    event: z.string().regex(/^\S{1,200}$/, { error: 'an event type has no spaces' }).optional().describe("one of the trigger's events (your app's own type for a * trigger; default its sample's)"),
  }),
  ghlConnection: name.describe('the GHL location connection the actions write to'),
  recordId: text(500).optional().describe("the record id's path (default guessed from the trigger)"),
  fields: z.array(field).max(100),
  actions: z.array(action).min(1, 'pick at least one action').max(20),
});

const answer = z.object({
  id: z.string(),
  text: z.string().describe('the recipe YAML, the same recipes new writes'),
  source: z.string().describe("the recipe's trigger source (the connection's event source)"),
  event: z.string(),
  valid: z.boolean(),
  errors: z.array(placedIssueSchema).describe('problems of the text (none when valid)'),
  notes: z.array(z.string()).describe('what was assumed, e.g. a source connection not found'),
  exists: z.number().int().nullable().describe('the newest version of a saved recipe with this id (saving the draft would replace it), else null'),
});

/**
 * `POST /api/v1/recipes/draft`: the no-YAML form's answers → the recipe YAML (one generator with
 * `recipes new`), validated. Nothing is saved: save it with `POST /api/v1/recipes/{id}/versions`.
 *
 * @example
 * // POST /api/v1/recipes/draft { name: 'Sign-ups', source: { app: 'webhook', connection: 'my-app', trigger: 'webhook.standard-webhooks' }, ghlConnection: 'ghl-main',
 * //   fields: [{ ghlField: 'email', sourcePath: 'data.email', transform: 'email' }], actions: [{ kind: 'upsertContact' }, { kind: 'tags', tags: ['signup'] }] }
 * // → { id: 'my-app-user-created', text: '# …\nid: my-app-user-created\n…', valid: true, errors: [] }
 */
export default defineRoute({
  method: 'POST',
  path: '/api/v1/recipes/draft',
  summary: 'Write the recipe YAML of the no-YAML form (source, trigger, GHL fields with transforms, actions); nothing is saved',
  tag: 'recipes',
  auth: true,
  body,
  responses: { 200: { description: 'the recipe text, validated', body: answer } },
  async handler({ body, server, c }) {
    const catalog = buildCatalog(server.bridge.registry.connectors).filter((e) => e.kind === 'trigger' && (e.events?.length ?? 0) > 0);
    const apps = [...new Set(catalog.map((t) => t.app))];
    if (!apps.includes(body.source.app)) throw new ApiError(400, 'invalid-input', `source.app: unknown app "${body.source.app}"${suggest(body.source.app, apps) ? ` (did you mean ${suggest(body.source.app, apps)}?)` : ''}; one of ${apps.join(', ')}`, 'source.app');
    const own = catalog.filter((t) => t.app === body.source.app);
    const trigger = own.find((t) => t.id === body.source.trigger);
    if (!trigger) throw new ApiError(400, 'invalid-input', `source.trigger: no trigger "${body.source.trigger}" of app ${body.source.app}; one of ${own.map((t) => t.id).join(', ')}`, 'source.trigger');
    const events = trigger.events ?? [];
    const any = events.includes('*');
    const event = body.source.event ?? (any ? trigger.sample?.type : events[0]);
    if (event === undefined) throw new ApiError(400, 'invalid-input', "source.event: required (your app's event type, e.g. user.created)", 'source.event');
    if (!any && !events.includes(event)) throw new ApiError(400, 'invalid-input', `source.event: trigger ${trigger.id} has no event "${event}"; one of ${events.join(', ')}`, 'source.event');
    // the trigger source is the connection's event source; a connection not added yet is assumed to use its id (your app) or the app's
    const notes: string[] = [];
    const stored = (await server.bridge.connections.list()).find((x) => x.id === body.source.connection);
    let source: string;
    if (stored) {
      if (stored.app !== body.source.app) throw new ApiError(400, 'invalid-input', `source.connection: connection "${stored.id}" is a ${stored.app} connection, not ${body.source.app}`, 'source.connection');
      source = sourceOfConnection(stored);
    } else {
      source = body.source.app === 'webhook' ? body.source.connection : defaultSource(body.source.app);
      notes.push(`no connection "${body.source.connection}" yet: the trigger source is assumed to be ${source}${body.source.app === 'webhook' ? ' (set its config.source to match)' : ''}`);
    }
    const id = body.id ?? defaultRecipeId(source, event);
    let recipeText: string;
    try {
      recipeText = draftRecipe({ trigger, event, source, connection: body.ghlConnection, actions: body.actions, id, name: body.name, fields: body.fields, by: 'the console\'s recipe form', ...(body.recordId ? { recordId: body.recordId } : {}) });
    } catch (e) {
      if (e instanceof DraftError) throw new ApiError(400, 'invalid-input', `${e.field}: ${e.message}`, e.field);
      throw e;
    }
    const parsed = await parseRecipeYielding(recipeText);
    // a form makes new recipes: the id of one already saved is told, so it is never replaced unawares
    const existing = await recipeVersionText(server.bridge.db, id);
    if (existing) notes.push(`a recipe "${id}" exists (v${existing.version}): choose another Recipe id, or edit that recipe instead`);
    return c.json({ id, text: recipeText, source, event, valid: parsed.ok, errors: parsed.ok ? [] : placeIssues(recipeText, parsed.errors), notes, exists: existing?.version ?? null } satisfies z.infer<typeof answer>);
  },
});
