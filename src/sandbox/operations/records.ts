import type { OperationContext, OperationHandler } from '../context.js';
import { accessibleContact, accessibleNote, accessibleTask, created, ok } from '../context.js';
import { newId } from '../ids.js';
import type { Note, Task } from '../model.js';

/** Tasks and notes of a contact (TaskSchema, GetNoteSchema). */

function serializeTask(task: Task): Record<string, unknown> {
  const { locationId: _l, dateAdded: _d, ...rest } = task;
  return rest;
}

function serializeNote(note: Note): Record<string, unknown> {
  const { locationId: _l, ...rest } = note;
  return rest;
}

/**
 * Webhook payload of TaskCreate/TaskComplete/TaskDelete (ghl-api.md §7.1); the catalog's samples use it too.
 *
 * @example
 * taskEventPayload(task, 'TaskComplete'); // { type: 'TaskComplete', locationId, id, title, dueDate, … }
 */
export function taskEventPayload(task: Task, type: string): Record<string, unknown> {
  return { type, locationId: task.locationId, id: task.id, assignedTo: task.assignedTo, body: task.body, contactId: task.contactId, title: task.title, dateAdded: task.dateAdded, dueDate: task.dueDate };
}

/**
 * Webhook payload of NoteCreate/NoteUpdate/NoteDelete; the catalog's samples use it too.
 *
 * @example
 * noteEventPayload(note, 'NoteCreate'); // { type: 'NoteCreate', locationId, id, body, contactId, dateAdded }
 */
export function noteEventPayload(note: Note, type: string): Record<string, unknown> {
  return { type, locationId: note.locationId, id: note.id, body: note.body, contactId: note.contactId, dateAdded: note.dateAdded };
}

function emitTask(ctx: OperationContext, type: string, task: Task): void {
  ctx.core.emit({
    type,
    locationId: task.locationId,
    companyId: ctx.token.companyId,
    scope: 'contacts.readonly',
    appId: null,
    payload: taskEventPayload(task, type),
  });
}

function emitNote(ctx: OperationContext, type: string, note: Note): void {
  ctx.core.emit({
    type,
    locationId: note.locationId,
    companyId: ctx.token.companyId,
    scope: 'contacts.readonly',
    appId: null,
    payload: noteEventPayload(note, type),
  });
}

function assign<T extends object>(record: T, body: Record<string, unknown>, fields: readonly string[]): void {
  for (const f of fields) if (f in body) (record as Record<string, unknown>)[f] = body[f];
}

const TASK_FIELDS = ['title', 'body', 'dueDate', 'completed', 'assignedTo'] as const;
const NOTE_FIELDS = ['body', 'userId', 'title', 'color', 'pinned'] as const;

export const recordOperations: Record<string, OperationHandler> = {
  'get-all-tasks': (ctx) => ok({ tasks: ctx.core.store.tasksOf(accessibleContact(ctx, ctx.params.contactId!).id).map(serializeTask) }),
  'get-task': (ctx) => {
    const contact = accessibleContact(ctx, ctx.params.contactId!);
    return ok({ task: serializeTask(accessibleTask(ctx, contact, ctx.params.taskId!)) });
  },
  'create-task': (ctx) => {
    const contact = accessibleContact(ctx, ctx.params.contactId!);
    const task: Task = { id: newId(), contactId: contact.id, locationId: contact.locationId, title: '', dueDate: '', completed: false, dateAdded: ctx.core.stamp() };
    assign(task, ctx.body, TASK_FIELDS);
    ctx.core.store.putTask(task);
    emitTask(ctx, 'TaskCreate', task);
    if (task.completed) emitTask(ctx, 'TaskComplete', task);
    return created({ task: serializeTask(task) });
  },
  'update-task': (ctx) => {
    const contact = accessibleContact(ctx, ctx.params.contactId!);
    const task = { ...accessibleTask(ctx, contact, ctx.params.taskId!) };
    const wasCompleted = task.completed;
    assign(task, ctx.body, TASK_FIELDS);
    ctx.core.store.putTask(task);
    if (!wasCompleted && task.completed) emitTask(ctx, 'TaskComplete', task);
    return ok({ task: serializeTask(task) });
  },
  'update-task-completed': (ctx) => {
    const contact = accessibleContact(ctx, ctx.params.contactId!);
    const task = { ...accessibleTask(ctx, contact, ctx.params.taskId!) };
    const wasCompleted = task.completed;
    task.completed = ctx.body.completed === true;
    ctx.core.store.putTask(task);
    if (!wasCompleted && task.completed) emitTask(ctx, 'TaskComplete', task);
    return ok({ task: serializeTask(task) });
  },
  'delete-task': (ctx) => {
    const contact = accessibleContact(ctx, ctx.params.contactId!);
    const task = accessibleTask(ctx, contact, ctx.params.taskId!);
    ctx.core.store.deleteTask(task.id);
    emitTask(ctx, 'TaskDelete', task);
    return ok({ succeded: true });
  },
  'get-all-notes': (ctx) => ok({ notes: ctx.core.store.notesOf(accessibleContact(ctx, ctx.params.contactId!).id).map(serializeNote) }),
  'get-note': (ctx) => {
    const contact = accessibleContact(ctx, ctx.params.contactId!);
    return ok({ note: serializeNote(accessibleNote(ctx, contact, ctx.params.id!)) });
  },
  'create-note': (ctx) => {
    const contact = accessibleContact(ctx, ctx.params.contactId!);
    const note: Note = { id: newId(), contactId: contact.id, locationId: contact.locationId, body: '', dateAdded: ctx.core.stamp() };
    assign(note, ctx.body, NOTE_FIELDS);
    ctx.core.store.putNote(note);
    emitNote(ctx, 'NoteCreate', note);
    return created({ note: serializeNote(note) });
  },
  'update-note': (ctx) => {
    const contact = accessibleContact(ctx, ctx.params.contactId!);
    const note = { ...accessibleNote(ctx, contact, ctx.params.id!) };
    assign(note, ctx.body, NOTE_FIELDS);
    ctx.core.store.putNote(note);
    emitNote(ctx, 'NoteUpdate', note);
    return ok({ note: serializeNote(note) });
  },
  'delete-note': (ctx) => {
    const contact = accessibleContact(ctx, ctx.params.contactId!);
    const note = accessibleNote(ctx, contact, ctx.params.id!);
    ctx.core.store.deleteNote(note.id);
    emitNote(ctx, 'NoteDelete', note);
    return ok({ succeded: true });
  },
};
