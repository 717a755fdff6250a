/**
 * The catalog of GHL actions: one per operation of the contacts module, derived from the
 * generated route table (method, path, scope, request and response schemas), plus
 * `ghl.contactView`. Each runs through the typed client's `call`, so it gets the same auth, rate
 * governor, retry policy and typed errors as every other HighLevel call.
 */
import { z } from 'zod';
import type { HttpMethod } from '../../ghl/core/types.js';
import { routes, schemaDocument, type SpecRoute } from '../../spec/index.js';
import type { ActionDef, JsonSchema } from '../types.js';
import type { GhlConnection } from './connection.js';
import { contactViewSchema, readContactView, type ContactView } from './contact-view.js';

/** operationId → catalog name and title. Every contacts route must be here (a test checks it). */
export const OPERATION_ACTIONS: Readonly<Record<string, { name: string; title: string }>> = {
  'get-contact': { name: 'contacts.get', title: 'Get a contact' },
  'create-contact': { name: 'contacts.create', title: 'Create a contact' },
  'update-contact': { name: 'contacts.update', title: 'Update a contact' },
  'delete-contact': { name: 'contacts.delete', title: 'Delete a contact' },
  'upsert-contact': { name: 'contacts.upsert', title: 'Create or update a contact (duplicate rules)' },
  'get-duplicate-contact': { name: 'contacts.findDuplicate', title: 'Find the duplicate of an email or phone' },
  'get-contacts': { name: 'contacts.list', title: 'List contacts (deprecated endpoint)' },
  'search-contacts-advanced': { name: 'contacts.search', title: 'Search contacts' },
  'get-contacts-by-businessId': { name: 'contacts.listByBusiness', title: 'List the contacts of a business' },
  'add-remove-contact-from-business': { name: 'businesses.bulkUpdate', title: 'Add or remove contacts from a business' },
  'create-association': { name: 'tags.bulkUpdate', title: 'Add or remove tags on many contacts' },
  'add-tags': { name: 'tags.add', title: 'Add tags to a contact' },
  'remove-tags': { name: 'tags.remove', title: 'Remove tags from a contact' },
  'get-all-tasks': { name: 'tasks.list', title: 'List the tasks of a contact' },
  'get-task': { name: 'tasks.get', title: 'Get a task' },
  'create-task': { name: 'tasks.create', title: 'Create a task' },
  'update-task': { name: 'tasks.update', title: 'Update a task' },
  'update-task-completed': { name: 'tasks.complete', title: 'Mark a task completed (or not)' },
  'delete-task': { name: 'tasks.delete', title: 'Delete a task' },
  'get-all-notes': { name: 'notes.list', title: 'List the notes of a contact' },
  'get-note': { name: 'notes.get', title: 'Get a note' },
  'create-note': { name: 'notes.create', title: 'Create a note' },
  'update-note': { name: 'notes.update', title: 'Update a note' },
  'delete-note': { name: 'notes.delete', title: 'Delete a note' },
  'add-followers-contact': { name: 'followers.add', title: 'Add followers to a contact' },
  'remove-followers-contact': { name: 'followers.remove', title: 'Remove followers from a contact' },
  'add-contact-to-campaign': { name: 'campaigns.add', title: 'Add a contact to a campaign' },
  'remove-contact-from-campaign': { name: 'campaigns.remove', title: 'Remove a contact from a campaign' },
  'remove-contact-from-every-campaign': { name: 'campaigns.removeAll', title: 'Remove a contact from every campaign' },
  'add-contact-to-workflow': { name: 'workflows.add', title: 'Add a contact to a workflow' },
  'delete-contact-from-workflow': { name: 'workflows.remove', title: 'Remove a contact from a workflow' },
  'get-appointments-for-contact': { name: 'appointments.list', title: 'List the appointments of a contact' },
};

/** Creates are not repeatable after an ambiguous failure (HighLevel has no idempotency key). */
const NOT_IDEMPOTENT = new Set(['create-contact', 'create-task', 'create-note']);

/** The contacts module's routes (the OAuth routes of the table are not catalog actions). */
export const contactRoutes: readonly SpecRoute[] = routes.filter((r) => r.module === 'contacts');

type Defs = Record<string, { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>>;
const defs = schemaDocument.$defs as Defs;

/** A named schema with every schema it references, as one self-contained JSON Schema. */
export function bundleSchema(name: string): JsonSchema {
  const needed: Record<string, unknown> = {};
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') {
        const ref = child.replace(/^.*#\/\$defs\//, '');
        if (!(ref in needed) && ref in defs) {
          needed[ref] = defs[ref];
          visit(defs[ref]);
        }
      } else visit(child);
    }
  };
  visit({ $ref: `#/$defs/${name}` });
  return { $ref: `#/$defs/${name}`, $defs: needed };
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/** Path params, the query and the body of one route as a strict zod schema. */
function inputSchema(route: SpecRoute) {
  const shape: Record<string, z.ZodType> = {};
  for (const name of pathParams(route.path)) {
    shape[name] = route.operationId === 'create-association' && name === 'type' ? z.enum(['add', 'remove']) : z.string().min(1);
  }
  const query = route.params.filter((p) => p.in === 'query');
  if (query.length > 0) {
    const q: Record<string, z.ZodType> = {};
    // locationId defaults to the connection's; the others are as the spec says
    for (const p of query) {
      const value = z.union([z.string(), z.number(), z.boolean()]);
      q[p.name] = p.required && p.name !== 'locationId' ? value : value.optional();
    }
    const querySchema = z.strictObject(q);
    shape.query = query.some((p) => p.required && p.name !== 'locationId') ? querySchema : querySchema.optional();
  }
  if (route.requestBody) {
    const dto = route.requestBody.schema ?? 'object';
    const required = (defs[dto]?.required ?? []).filter((f) => f !== 'locationId');
    const body = z.record(z.string(), z.unknown()).describe(`${dto} (HighLevel request body; locationId defaults to the connection's)`);
    shape.body = required.length > 0 ? body : body.optional();
  }
  return z.strictObject(shape);
}

function outputSchema(route: SpecRoute): JsonSchema {
  const name = route.responses['200'] ?? route.responses['201'];
  return name && name in defs ? bundleSchema(name) : { type: 'object' };
}

type RouteInput = Record<string, unknown> & { query?: Record<string, string | number | boolean>; body?: Record<string, unknown> };

/**
 * The catalog action of one contacts route: `ghl.<name>`, endpoint `METHOD /path`, its scope,
 * input `{ …path params, query?, body? }`; `locationId` of the query or body defaults to the
 * connection's location.
 *
 * @example
 * const upsert = routeAction(contactRoutes.find((r) => r.operationId === 'upsert-contact')!);
 * await upsert.run({ conn }, { body: { email: 'ada@example.com' } }); // { new, contact }
 */
export function routeAction(route: SpecRoute): ActionDef<GhlConnection, RouteInput, unknown> {
  const entry = OPERATION_ACTIONS[route.operationId];
  if (!entry) throw new Error(`no catalog name for ${route.operationId}`);
  const bodyTakesLocation = route.requestBody?.schema ? 'locationId' in (defs[route.requestBody.schema]?.properties ?? {}) : false;
  const queryTakesLocation = route.params.some((p) => p.in === 'query' && p.name === 'locationId');
  const idempotent = !NOT_IDEMPOTENT.has(route.operationId);
  return {
    id: `ghl.${entry.name}`,
    title: entry.title,
    endpoint: `${route.method} ${route.path}`,
    ...(route.security?.scopes.length ? { scope: route.security.scopes.join(' ') } : {}),
    idempotent,
    input: inputSchema(route) as unknown as z.ZodType<RouteInput>,
    output: outputSchema(route),
    async run({ conn, signal }, input) {
      const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(String(input[name])));
      const query = queryTakesLocation ? { locationId: conn.locationId, ...input.query } : input.query;
      let body: unknown;
      if (route.requestBody) body = bodyTakesLocation ? { locationId: conn.locationId, ...input.body } : input.body ?? {};
      return conn.client().call({
        method: route.method as HttpMethod,
        path,
        operationId: route.operationId,
        idempotent,
        resourceId: conn.locationId,
        ...(query ? { query } : {}),
        ...(body !== undefined ? { body } : {}),
        ...(signal ? { signal } : {}),
      });
    },
  };
}

/** `ghl.contactView`: the contact with its tasks, notes and appointments (recipe 9). */
export const contactViewAction: ActionDef<GhlConnection, { contactId: string }, ContactView> = {
  id: 'ghl.contactView',
  title: 'Read a contact with its tasks, notes and appointments',
  endpoint: 'GET /contacts/{contactId} (+ /tasks, /notes, /appointments)',
  scope: 'contacts.readonly',
  idempotent: true,
  input: z.strictObject({ contactId: z.string().min(1) }),
  output: contactViewSchema,
  run: ({ conn, signal }, input) => readContactView(conn.client(), input.contactId, { locationId: conn.locationId, ...(signal ? { signal } : {}) }),
};

/** Every catalog action of the `ghl` connector, in route-table order, then `ghl.contactView`. */
export const ghlActions: ActionDef<GhlConnection, never, unknown>[] = [...contactRoutes.map(routeAction), contactViewAction] as ActionDef<GhlConnection, never, unknown>[];
