/**
 * Catalog actions on Recruitee. Inputs are strict zod schemas (also the catalog's JSON Schema);
 * ids accept numbers or digit strings, since ledger links are text.
 */
import { z } from 'zod';
import type { ActionDef } from '../types.js';
import type { RecruiteeConn } from './connection.js';
import { isContactViewNote, renderContactView, type ContactView } from './contact-view.js';
import { indexReferences, normalizeCandidate, normalizeNote, normalizeTask, offerStages } from './normalize.js';
import { candidateSchema, jsonSchema, noteSchema, stageSchema, taskSchema } from './schemas.js';

const id = (what: string) =>
  z
    .union([z.number().int().positive(), z.string().regex(/^\d+$/, { error: `${what} is a numeric id` }).transform(Number)], { error: `required: ${what} (a numeric id)` })
    .describe(`${what} (number or digit string)`);

const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), { error: 'an ISO-8601 date-time, e.g. 2026-03-01T10:00:00Z' });

type Rec = Record<string, unknown>;

function action<In, Out>(def: ActionDef<RecruiteeConn, In, Out>): ActionDef<RecruiteeConn, In, Out> {
  return def;
}

async function readCandidate(conn: RecruiteeConn, candidateId: number, signal?: AbortSignal) {
  const { candidate, references } = await conn.client.candidates.get(candidateId, signal);
  return normalizeCandidate(candidate, { references: indexReferences(references), company: conn.config.companyName ?? null });
}

const getCandidate = action({
  id: 'recruitee.getCandidate',
  title: 'Get a candidate',
  endpoint: 'GET /c/{company_id}/candidates/{id}',
  idempotent: true,
  input: z.strictObject({ candidateId: id('candidateId') }),
  output: jsonSchema(candidateSchema),
  run: ({ conn, signal }, input) => readCandidate(conn, input.candidateId, signal),
});

const listCandidates = action({
  id: 'recruitee.listCandidates',
  title: 'List candidates (one page)',
  endpoint: 'GET /c/{company_id}/candidates',
  idempotent: true,
  input: z.strictObject({
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
    createdAfter: isoDate.optional().describe('Only candidates created after this time'),
  }),
  output: jsonSchema(z.object({ candidates: z.array(candidateSchema), generatedAt: z.string().nullable(), more: z.boolean() })),
  async run({ conn, signal }, input) {
    const page = await conn.client.candidates.list({ limit: input.limit, offset: input.offset, ...(input.createdAfter ? { createdAfter: input.createdAfter } : {}) }, signal);
    const refs = indexReferences(page.references);
    return {
      candidates: page.candidates.map((c) => normalizeCandidate(c, { references: refs, company: conn.config.companyName ?? null })),
      generatedAt: page.generatedAt,
      more: page.candidates.length >= input.limit,
    };
  },
});

const updateCandidate = action({
  id: 'recruitee.updateCandidate',
  title: 'Update a candidate',
  endpoint: 'PATCH /c/{company_id}/candidates/{id}',
  idempotent: true,
  input: z
    .strictObject({
      candidateId: id('candidateId'),
      name: z.string().trim().min(1).optional(),
      emails: z.array(z.email()).optional().describe('Replaces the list'),
      phones: z.array(z.string().min(3)).optional().describe('Replaces the list'),
    })
    .refine((i) => i.name !== undefined || i.emails !== undefined || i.phones !== undefined, { error: 'nothing to update: give name, emails or phones' }),
  output: jsonSchema(candidateSchema),
  async run({ conn, signal }, input) {
    const { candidateId, ...patch } = input;
    const { candidate, references } = await conn.client.candidates.update(candidateId, patch, signal);
    return normalizeCandidate(candidate, { references: indexReferences(references), company: conn.config.companyName ?? null });
  },
});

const listNotes = action({
  id: 'recruitee.listNotes',
  title: "List a candidate's notes",
  endpoint: 'GET /c/{company_id}/candidates/{id}/notes',
  idempotent: true,
  input: z.strictObject({ candidateId: id('candidateId') }),
  output: jsonSchema(z.object({ notes: z.array(noteSchema) })),
  async run({ conn, signal }, input) {
    const { notes, references } = await conn.client.notes.list(input.candidateId, signal);
    const refs = indexReferences(references);
    return { notes: notes.map((n) => normalizeNote(n, refs)) };
  },
});

const addNote = action({
  id: 'recruitee.addNote',
  title: 'Add a note to a candidate',
  endpoint: 'POST /c/{company_id}/candidates/{id}/notes',
  idempotent: false,
  input: z.strictObject({ candidateId: id('candidateId'), body: z.string().trim().min(1, { error: 'required: the note text' }).describe('Text or simple HTML') }),
  output: jsonSchema(noteSchema),
  async run({ conn, signal }, input) {
    return normalizeNote(await conn.client.notes.create(input.candidateId, { body: input.body }, signal));
  },
});

const updateNote = action({
  id: 'recruitee.updateNote',
  title: "Update a candidate's note",
  endpoint: 'PATCH /c/{company_id}/candidates/{id}/notes/{note_id}',
  idempotent: true,
  input: z.strictObject({ candidateId: id('candidateId'), noteId: id('noteId'), body: z.string().trim().min(1, { error: 'required: the note text' }) }),
  output: jsonSchema(noteSchema),
  async run({ conn, signal }, input) {
    return normalizeNote(await conn.client.notes.update(input.candidateId, input.noteId, { body: input.body }, signal));
  },
});

const listTasks = action({
  id: 'recruitee.listTasks',
  title: "List a candidate's tasks",
  endpoint: 'GET /c/{company_id}/candidates/{id}/tasks',
  idempotent: true,
  input: z.strictObject({ candidateId: id('candidateId') }),
  output: jsonSchema(z.object({ tasks: z.array(taskSchema) })),
  async run({ conn, signal }, input) {
    return { tasks: (await conn.client.tasks.listForCandidate(input.candidateId, signal)).map(normalizeTask) };
  },
});

const createTask = action({
  id: 'recruitee.createTask',
  title: 'Create a task on a candidate',
  endpoint: 'POST /c/{company_id}/tasks',
  idempotent: false,
  input: z.strictObject({
    candidateId: id('candidateId'),
    title: z.string().trim().min(1, { error: 'required: the task title' }),
    description: z.string().optional(),
    dueDate: isoDate.optional(),
    timezone: z.string().optional().describe('IANA zone, e.g. Europe/Amsterdam'),
  }),
  output: jsonSchema(taskSchema),
  async run({ conn, signal }, input) {
    const { candidateId, title, description, dueDate, timezone } = input;
    return normalizeTask(await conn.client.tasks.create({ candidateId, title, ...(description !== undefined ? { description } : {}), ...(dueDate ? { dueDate } : {}), ...(timezone ? { timezone } : {}) }, signal));
  },
});

const updateTask = action({
  id: 'recruitee.updateTask',
  title: 'Update a task',
  endpoint: 'PATCH /c/{company_id}/tasks/{id}',
  idempotent: true,
  input: z
    .strictObject({
      taskId: id('taskId'),
      title: z.string().trim().min(1).optional(),
      description: z.string().nullable().optional(),
      dueDate: isoDate.nullable().optional(),
      completed: z.boolean().optional(),
    })
    .refine((i) => i.title !== undefined || i.description !== undefined || i.dueDate !== undefined || i.completed !== undefined, { error: 'nothing to update: give title, description, dueDate or completed' }),
  output: jsonSchema(taskSchema),
  async run({ conn, signal }, input) {
    const { taskId, ...patch } = input;
    return normalizeTask(await conn.client.tasks.update(taskId, patch, signal));
  },
});

const completeTask = action({
  id: 'recruitee.completeTask',
  title: 'Complete (or reopen) a task',
  endpoint: 'PATCH /c/{company_id}/tasks/{id}',
  idempotent: true,
  input: z.strictObject({ taskId: id('taskId'), completed: z.boolean().default(true) }),
  output: jsonSchema(taskSchema),
  async run({ conn, signal }, input) {
    return normalizeTask(await conn.client.tasks.update(input.taskId, { completed: input.completed }, signal));
  },
});

const getOfferStages = action({
  id: 'recruitee.getOfferStages',
  title: "A job's pipeline stages",
  endpoint: 'GET /c/{company_id}/offers/{id}',
  idempotent: true,
  input: z.strictObject({ offerId: id('offerId') }),
  output: jsonSchema(z.object({ offer: z.object({ id: z.number(), title: z.string().nullable() }), pipeline: z.object({ id: z.number().nullable(), title: z.string().nullable() }), stages: z.array(stageSchema) })),
  async run({ conn, signal }, input) {
    const offer = await conn.client.offers.get(input.offerId, signal);
    const template = offer.pipeline_template ?? null;
    return {
      offer: { id: offer.id, title: offer.title ?? null },
      pipeline: { id: typeof template?.id === 'number' ? template.id : null, title: template?.title ?? null },
      stages: offerStages(offer),
    };
  },
});

const record = z.record(z.string(), z.unknown());
const contactViewSchema = z.object({ contact: record, tasks: z.array(record).optional(), notes: z.array(record).optional(), appointments: z.array(record).optional() });

const pushContactView = action({
  id: 'recruitee.pushContactView',
  title: "Write a GHL contact's 360° view onto a candidate (one note, updated in place)",
  endpoint: 'POST /c/{company_id}/candidates/{id}/notes',
  // the note is found again by its heading and updated, so a repeat does not add a second one
  idempotent: true,
  input: z.strictObject({
    candidateId: id('candidateId'),
    contactId: z.string().optional().describe('GHL contact (default: the one linked to the record)'),
    // filled in by the engine when the recipe action says `contactView: true` (absent when the plan is checked)
    contactView: contactViewSchema.optional(),
  }),
  output: jsonSchema(z.object({ noteId: z.number(), created: z.boolean(), updated: z.boolean() })),
  async run({ conn, signal }, input) {
    if (!input.contactView) throw new Error('contactView: required (set contactView: true on the recipe action)');
    const body = renderContactView(input.contactView as ContactView);
    const { notes } = await conn.client.notes.list(input.candidateId, signal);
    const existing = notes.find((n) => typeof n.body === 'string' && isContactViewNote(n.body));
    if (!existing) {
      const note = await conn.client.notes.create(input.candidateId, { body }, signal);
      return { noteId: note.id, created: true, updated: false };
    }
    if (existing.body === body) return { noteId: existing.id, created: false, updated: false };
    await conn.client.notes.update(input.candidateId, existing.id, { body }, signal);
    return { noteId: existing.id, created: false, updated: true };
  },
});

/** Every Recruitee action of the catalog. */
export const recruiteeActions: ActionDef<RecruiteeConn, Rec, unknown>[] = [
  getCandidate,
  listCandidates,
  updateCandidate,
  listNotes,
  addNote,
  updateNote,
  listTasks,
  createTask,
  updateTask,
  completeTask,
  getOfferStages,
  pushContactView,
] as unknown as ActionDef<RecruiteeConn, Rec, unknown>[];

