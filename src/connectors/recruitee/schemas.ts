/**
 * Recruitee shapes: the connection's settings and secrets (zod, strict), the raw API objects as
 * the client reads them (loose: Recruitee adds fields freely), and the normalized event payloads
 * the recipes map (zod, also the catalog's JSON Schemas).
 */
import { z } from 'zod';

/** Engine event types this connector emits. */
export const RECRUITEE_EVENTS = [
  'candidate.created',
  'candidate.updated',
  'candidate.stage_changed',
  'candidate.disqualified',
  'candidate.requalified',
  'candidate.deleted',
  'candidate.pull_requested',
  'note.changed',
  'task.changed',
] as const;
export type RecruiteeEventType = (typeof RECRUITEE_EVENTS)[number];

/**
 * Recruitee `event_type` (or `event_type/event_subtype`, which wins) → engine event type.
 * Only `candidate_moved/stage_changed` is verified (sources.md §1.4); the rest are the names seen in
 * third-party code, so a connection can override or extend them (`config.eventTypes`).
 * `pull_requested` is ghl-bridge's own envelope for the on-demand pull (recipe 9).
 */
export const DEFAULT_EVENT_TYPES: Readonly<Record<string, RecruiteeEventType>> = {
  new_candidate: 'candidate.created',
  candidate_created: 'candidate.created',
  candidate_updated: 'candidate.updated',
  candidate_changed: 'candidate.updated',
  candidate_moved: 'candidate.stage_changed',
  'candidate_moved/stage_changed': 'candidate.stage_changed',
  'candidate_moved/disqualified': 'candidate.disqualified',
  'candidate_moved/requalified': 'candidate.requalified',
  candidate_disqualified: 'candidate.disqualified',
  candidate_requalified: 'candidate.requalified',
  candidate_deleted: 'candidate.deleted',
  pull_requested: 'candidate.pull_requested',
};

export const DEFAULT_BASE_URL = 'https://api.recruitee.com';

export const configSchema = z.strictObject({
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://api.recruitee.com' })
    .default(DEFAULT_BASE_URL)
    .describe('API host (tests point it at the fake)'),
  companyId: z
    .union([z.number().int().positive(), z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'a numeric id (or the company slug)' })], {
      error: 'required: the numeric company id (Settings > Apps and plugins > Personal API tokens)',
    })
    .transform(String),
  companyName: z.string().min(1).optional().describe('Hiring company name for polled candidates (webhooks carry it)'),
  eventTypes: z
    .record(z.string().min(1), z.enum(RECRUITEE_EVENTS))
    .optional()
    .describe('Extra or overriding event_type[/event_subtype] → engine event type mappings'),
  refetch: z.boolean().default(true).describe('Webhooks: re-read the full candidate (webhook candidates are thin)'),
  pageSize: z.number().int().min(1).max(1000).default(100),
  overlapSeconds: z.number().int().min(0).max(86_400).default(60).describe('Changed-candidates poll: how far back each pass re-reads (clock skew, late commits)'),
  timeoutMs: z.number().int().min(100).max(300_000).default(30_000),
});
export type RecruiteeConfig = z.output<typeof configSchema>;

export const secretsSchema = z.looseObject({
  token: z.string({ error: 'required: the personal API token' }).min(1, { error: 'required: the personal API token' }),
  webhookSecret: z.string().min(1).optional(),
});

// ---- raw API objects (only the fields we read; the rest pass through) ----

export interface RawStage {
  id: number;
  name?: string | null;
  category?: string | null;
  position?: number | null;
}

export interface RawPlacement {
  id: number;
  candidate_id?: number;
  offer_id?: number | null;
  stage_id?: number | null;
  /** search hits embed the stage and offer */
  stage?: RawStage | null;
  offer?: { id: number; title?: string | null } | null;
  created_at?: string | null;
  updated_at?: string | null;
  hired_at?: string | null;
  hired_in_this_placement?: boolean | null;
  disqualify_kind?: string | null;
  disqualify_reason?: string | null;
  disqualified_at?: string | null;
  disqualified?: boolean | null;
}

export interface RawCandidate {
  id: number;
  name?: string | null;
  emails?: Array<string | null> | null;
  phones?: Array<string | null> | null;
  source?: string | null;
  referrer?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  adminapp_url?: string | null;
  placements?: RawPlacement[] | null;
  tags?: Array<string | { id?: number; name?: string | null }> | null;
  notes_count?: number | null;
  tasks_count?: number | null;
  disqualified?: boolean | null;
  [key: string]: unknown;
}

export interface RawReference {
  type: string;
  id: number;
  [key: string]: unknown;
}

export interface RawNote {
  id: number;
  body?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  admin?: { id?: number; first_name?: string | null; last_name?: string | null; email?: string | null } | null;
  admin_id?: number | null;
  visibility?: unknown;
  [key: string]: unknown;
}

export interface RawTask {
  id: number;
  title?: string | null;
  description?: string | null;
  due_date?: string | null;
  completed?: boolean | null;
  completed_at?: string | null;
  status?: string | null;
  candidate_id?: number | null;
  created_at?: string | null;
  updated_at?: string | null;
  [key: string]: unknown;
}

export interface RawOffer {
  id: number;
  title?: string | null;
  pipeline_template?: { id?: number; title?: string | null; stages?: RawStage[] } | null;
  [key: string]: unknown;
}

// ---- normalized payloads ----

export const stageSchema = z.object({
  id: z.number().int().nullable(),
  name: z.string().nullable(),
  category: z.string().nullable().describe('Stable key: referred, sourced, apply, phone_screen, interview, evaluation, offer, hire'),
});
export type Stage = z.output<typeof stageSchema>;

export const CANDIDATE_STATUSES = ['active', 'hired', 'disqualified', 'unassigned', 'deleted'] as const;

export const candidateSchema = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable().describe('First address'),
  emails: z.array(z.string()),
  phone: z.string().nullable().describe('First number, as Recruitee holds it (the recipe makes it E.164)'),
  phones: z.array(z.string()),
  source: z.string().nullable(),
  referrer: z.string().nullable(),
  company: z.string().nullable().describe('Hiring company name'),
  stage: stageSchema.nullable().describe('Stage of the most recently updated placement'),
  offer: z.object({ id: z.number().int(), title: z.string().nullable() }).nullable(),
  status: z.enum(CANDIDATE_STATUSES).nullable().describe('null when the event did not say (thin webhook, refetch off)'),
  disqualifyReason: z.string().nullable(),
  tags: z.array(z.string()),
  adminUrl: z.string().nullable(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type Candidate = z.output<typeof candidateSchema>;

const eventInfoSchema = z
  .object({
    id: z.union([z.number(), z.string()]),
    type: z.string(),
    subtype: z.string().nullable(),
    attempt: z.number().nullable(),
    createdAt: z.string().nullable(),
  })
  .nullable()
  .describe('The Recruitee webhook envelope (null for polled events)');

export const candidateEventSchema = z.object({
  candidate: candidateSchema,
  company: z.object({ id: z.union([z.number(), z.string()]).nullable(), name: z.string().nullable() }).nullable(),
  stage: stageSchema.nullable().describe('The stage now (to_stage on a move)'),
  fromStage: stageSchema.nullable(),
  toStage: stageSchema.nullable(),
  offer: z.object({ id: z.number().int(), title: z.string().nullable() }).nullable(),
  summary: z.string().describe('One line for notes, e.g. "Moved from Applied to Phone interview (Sales Rep)"'),
  origin: z.enum(['webhook', 'poll', 'sync']),
  key: z.string().describe('The event\'s dedupe key (its externalId)'),
  noteKey: z
    .string()
    .nullable()
    .describe('A stable sourceId for a note about this event: one per new candidate (`candidate:<id>:created`, by webhook or poll) and per stage change, disqualification…; null for a plain update (nothing to note)'),
  event: eventInfoSchema,
  details: z.record(z.string(), z.unknown()).nullable().describe('The raw envelope payload.details'),
});
export type CandidateEvent = z.output<typeof candidateEventSchema>;

export const noteSchema = z.object({
  id: z.number().int(),
  body: z.string().describe('As stored (Recruitee renders it as HTML)'),
  text: z.string().describe('Plain text'),
  author: z.string().nullable(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type Note = z.output<typeof noteSchema>;

export const taskSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  description: z.string().nullable(),
  dueDate: z.string().describe('due_date, or created_at when the task has none (GHL tasks need one)'),
  hasDueDate: z.boolean(),
  completed: z.boolean(),
  candidateId: z.number().int().nullable(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type Task = z.output<typeof taskSchema>;

export const noteEventSchema = z.object({ candidate: candidateSchema, note: noteSchema, origin: z.literal('poll') });
export const taskEventSchema = z.object({ candidate: candidateSchema, task: taskSchema, origin: z.literal('poll') });

/** JSON Schema of a zod schema (catalog `output`). */
export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
}
