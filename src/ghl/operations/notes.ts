/** Notes of a contact: /contacts/{contactId}/notes[/{id}]. */
import type { NotesDTO, UpdateNoteDTO } from '../../spec/index.js';
import type { NoteResponse, NotesResponse, SucceededResponse } from './models.js';
import { invoke, pathLocation, segment, type LocatedRequestOptions, type OperationContext } from './request.js';

export interface NotesOperations {
  /** GET /contacts/{contactId}/notes (`get-all-notes`). */
  list(contactId: string, options?: LocatedRequestOptions): Promise<NotesResponse>;
  /** GET /contacts/{contactId}/notes/{id} (`get-note`). */
  get(contactId: string, noteId: string, options?: LocatedRequestOptions): Promise<NoteResponse>;
  /** POST /contacts/{contactId}/notes (`create-note`, 201). Not idempotent: never blindly retried. */
  create(contactId: string, input: NotesDTO, options?: LocatedRequestOptions): Promise<NoteResponse>;
  /** PUT /contacts/{contactId}/notes/{id} (`update-note`). */
  update(contactId: string, noteId: string, input: UpdateNoteDTO, options?: LocatedRequestOptions): Promise<NoteResponse>;
  /** DELETE /contacts/{contactId}/notes/{id} (`delete-note`). */
  delete(contactId: string, noteId: string, options?: LocatedRequestOptions): Promise<SucceededResponse>;
}

/**
 * The `notes` operations.
 *
 * @example
 * const notes = notesOperations({ call, locationId });
 * const { note } = await notes.create(contactId, { body: 'Prefers mornings', pinned: true });
 * await notes.update(contactId, note.id, { body: 'Prefers afternoons' });
 */
export function notesOperations(ctx: OperationContext): NotesOperations {
  const notesPath = (contactId: string) => `/contacts/${segment('contactId', contactId)}/notes`;
  const notePath = (contactId: string, noteId: string) => `${notesPath(contactId)}/${segment('noteId', noteId)}`;
  return {
    async list(contactId, options) {
      return invoke(ctx, { operationId: 'get-all-notes', method: 'GET', path: notesPath(contactId), idempotent: true, resourceId: pathLocation(ctx, options) }, options);
    },
    async get(contactId, noteId, options) {
      return invoke(ctx, { operationId: 'get-note', method: 'GET', path: notePath(contactId, noteId), idempotent: true, resourceId: pathLocation(ctx, options) }, options);
    },
    async create(contactId, input, options) {
      return invoke(
        ctx,
        { operationId: 'create-note', method: 'POST', path: notesPath(contactId), idempotent: false, body: input, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
    async update(contactId, noteId, input, options) {
      return invoke(
        ctx,
        { operationId: 'update-note', method: 'PUT', path: notePath(contactId, noteId), idempotent: true, body: input, resourceId: pathLocation(ctx, options) },
        options,
      );
    },
    async delete(contactId, noteId, options) {
      return invoke(ctx, { operationId: 'delete-note', method: 'DELETE', path: notePath(contactId, noteId), idempotent: true, resourceId: pathLocation(ctx, options) }, options);
    },
  };
}
