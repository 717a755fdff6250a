import type { SpecRoute } from '../spec/index.js';
import type { SandboxCore } from './core.js';
import { badRequest, locationDenied } from './errors.js';
import type { Contact, Location, Note, TokenRecord, Task } from './model.js';

/** What an operation handler gets for one request. */
export interface OperationContext {
  core: SandboxCore;
  route: SpecRoute;
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  token: TokenRecord;
  traceId: string;
  /** scheme://host:port the request came to, for URLs the API answers with */
  origin: string;
}

export interface OperationResult {
  status: number;
  body: unknown;
}

export type OperationHandler = (ctx: OperationContext) => OperationResult | Promise<OperationResult>;

export const ok = (body: unknown): OperationResult => ({ status: 200, body });
export const created = (body: unknown): OperationResult => ({ status: 201, body });

/** The location named by the request, if the token may act on it (403 otherwise). */
export function accessibleLocation(ctx: OperationContext, locationId: string): Location {
  const location = ctx.core.store.state.locations[locationId];
  if (!location || ctx.token.locationId !== locationId) throw locationDenied();
  return location;
}

/** The location the token belongs to (contacts tokens are always location tokens). */
export function tokenLocation(ctx: OperationContext): Location {
  return accessibleLocation(ctx, ctx.token.locationId ?? '');
}

/**
 * A contact by id. Unknown ids answer 400 "Contact with id … not found" (community report,
 * UNVERIFIED; the spec declares no 404); a contact of another location answers 403.
 */
export function accessibleContact(ctx: OperationContext, contactId: string): Contact {
  const contact = ctx.core.store.contact(contactId);
  if (!contact) throw badRequest(`Contact with id ${contactId} not found`, { traceId: ctx.traceId });
  accessibleLocation(ctx, contact.locationId);
  return contact;
}

export function accessibleTask(ctx: OperationContext, contact: Contact, taskId: string): Task {
  const task = ctx.core.store.state.tasks[taskId];
  if (!task || task.contactId !== contact.id) throw badRequest(`Task with id ${taskId} not found`, { traceId: ctx.traceId });
  return task;
}

export function accessibleNote(ctx: OperationContext, contact: Contact, noteId: string): Note {
  const note = ctx.core.store.state.notes[noteId];
  if (!note || note.contactId !== contact.id) throw badRequest(`Note with id ${noteId} not found`, { traceId: ctx.traceId });
  return note;
}
