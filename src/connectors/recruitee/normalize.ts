/**
 * Raw Recruitee objects → the normalized payloads recipes map. The same candidate read from a
 * webhook (after the refetch), `GET /candidates`, or a search hit gives the same values, so a change
 * seen twice never looks like two different writes.
 */
import { createHash } from 'node:crypto';
import { splitName } from '../../engine/recipes/transforms.js';
import type { Candidate, Note, RawCandidate, RawNote, RawOffer, RawPlacement, RawReference, RawStage, RawTask, Stage, Task } from './schemas.js';

/** Sideloaded `references` (`Offer`, `Stage`, `Admin` items) indexed by `Type:id`. */
export type References = Map<string, RawReference>;

/**
 * @example
 * const refs = indexReferences(body.references);
 * refs.get('Stage:9000004'); // { type: 'Stage', id: 9000004, name: 'Phone interview', category: 'phone_screen', … }
 */
export function indexReferences(references: unknown): References {
  const map: References = new Map();
  if (!Array.isArray(references)) return map;
  for (const r of references as unknown[]) {
    if (r && typeof r === 'object' && typeof (r as RawReference).type === 'string' && typeof (r as RawReference).id === 'number') {
      map.set(`${(r as RawReference).type}:${(r as RawReference).id}`, r as RawReference);
    }
  }
  return map;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** A stage object (webhook details, search hits, offer templates) in our shape. */
export function toStage(raw: Partial<RawStage> | null | undefined): Stage | null {
  if (!raw || typeof raw !== 'object') return null;
  const id = typeof raw.id === 'number' ? raw.id : null;
  const name = text(raw.name);
  const category = text(raw.category);
  return id === null && name === null && category === null ? null : { id, name, category };
}

/**
 * The stage of a placement: the embedded object (search hits) or the `references` Stage of its
 * `stage_id`; an id that no reference names keeps its id with null name and category.
 *
 * @example
 * resolveStage({ id: 1, stage_id: 9000004 }, refs); // { id: 9000004, name: 'Phone interview', category: 'phone_screen' }
 */
export function resolveStage(placement: RawPlacement, refs: References): Stage | null {
  if (placement.stage && typeof placement.stage === 'object') return toStage(placement.stage);
  if (typeof placement.stage_id !== 'number') return null;
  const ref = refs.get(`Stage:${placement.stage_id}`);
  return toStage(ref ? (ref as unknown as RawStage) : { id: placement.stage_id });
}

function resolveOffer(placement: RawPlacement, refs: References): { id: number; title: string | null } | null {
  if (placement.offer && typeof placement.offer.id === 'number') return { id: placement.offer.id, title: text(placement.offer.title) };
  if (typeof placement.offer_id !== 'number') return null;
  return { id: placement.offer_id, title: text(refs.get(`Offer:${placement.offer_id}`)?.title) };
}

/** The placement that tells the candidate's current stage: the most recently updated one. */
export function currentPlacement(placements: RawPlacement[]): RawPlacement | null {
  let best: RawPlacement | null = null;
  for (const p of placements) {
    if (!best || (p.updated_at ?? p.created_at ?? '') >= (best.updated_at ?? best.created_at ?? '')) best = p;
  }
  return best;
}

const isDisqualified = (p: RawPlacement): boolean => Boolean(p.disqualified === true || p.disqualify_kind || p.disqualify_reason || p.disqualified_at);

function list(values: unknown): string[] {
  if (!Array.isArray(values)) return [];
  return values.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}

function tagNames(tags: RawCandidate['tags']): string[] {
  if (!Array.isArray(tags)) return [];
  return tags.map((t) => (typeof t === 'string' ? t : text(t?.name))).filter((t): t is string => t !== null);
}

export interface NormalizeOptions {
  references?: References;
  /** hiring company name (webhooks carry it; else the connection's `companyName`) */
  company?: string | null;
}

/**
 * A candidate in the payload shape: the name split for GHL, first email and phone picked, the
 * stage of the current placement resolved, and a status (null when the object has no placements
 * list at all, i.e. a thin webhook candidate: unknown, not "unassigned").
 *
 * @example
 * normalizeCandidate({ id: 5, name: 'Jane Doe', emails: ['jane@x.io'], placements: [] });
 * // { id: 5, name: 'Jane Doe', firstName: 'Jane', lastName: 'Doe', email: 'jane@x.io', status: 'unassigned', … }
 */
export function normalizeCandidate(raw: RawCandidate, options: NormalizeOptions = {}): Candidate {
  const refs = options.references ?? new Map();
  const name = text(raw.name)?.trim().replace(/\s+/g, ' ') ?? null;
  const split = name ? splitName(name) : {};
  const emails = list(raw.emails);
  const phones = list(raw.phones);
  const placements = Array.isArray(raw.placements) ? raw.placements : null;
  const current = placements ? currentPlacement(placements) : null;
  let status: Candidate['status'] = null;
  if (placements) {
    if (placements.length === 0) status = 'unassigned';
    else if (placements.some((p) => p.hired_in_this_placement === true || text(p.hired_at))) status = 'hired';
    else if (current && isDisqualified(current)) status = 'disqualified';
    else status = 'active';
  }
  return {
    id: raw.id,
    name,
    firstName: split.firstName ?? null,
    lastName: split.lastName ?? null,
    email: emails[0] ?? null,
    emails,
    phone: phones[0] ?? null,
    phones,
    source: text(raw.source),
    referrer: text(raw.referrer),
    company: options.company ?? null,
    stage: current ? resolveStage(current, refs) : null,
    offer: current ? resolveOffer(current, refs) : null,
    status,
    disqualifyReason: current && status === 'disqualified' ? text(current.disqualify_reason) : null,
    tags: tagNames(raw.tags),
    adminUrl: text(raw.adminapp_url),
    createdAt: text(raw.created_at),
    updatedAt: text(raw.updated_at),
  };
}

/** Tags and entities out of a note body for the plain-text form. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * @example
 * normalizeNote({ id: 1, body: '<p>Great call</p>', admin: { first_name: 'Rita', last_name: 'R' } });
 * // { id: 1, body: '<p>Great call</p>', text: 'Great call', author: 'Rita R', … }
 */
export function normalizeNote(raw: RawNote, refs: References = new Map()): Note {
  const body = typeof raw.body === 'string' ? raw.body : '';
  const admin = raw.admin ?? (typeof raw.admin_id === 'number' ? (refs.get(`Admin:${raw.admin_id}`) as RawNote['admin']) : null);
  const author = admin ? [text(admin.first_name), text(admin.last_name)].filter(Boolean).join(' ') || text(admin.email) : null;
  return { id: raw.id, body, text: htmlToText(body), author, createdAt: text(raw.created_at), updatedAt: text(raw.updated_at) };
}

/**
 * @example
 * normalizeTask({ id: 3, title: 'Call back', due_date: null, created_at: '2024-03-05T08:00:00Z', completed: false });
 * // { id: 3, title: 'Call back', dueDate: '2024-03-05T08:00:00Z', hasDueDate: false, completed: false, … }
 */
export function normalizeTask(raw: RawTask): Task {
  const due = text(raw.due_date);
  const completed = raw.completed === true || Boolean(text(raw.completed_at)) || raw.status === 'completed' || raw.status === 'done';
  return {
    id: raw.id,
    title: text(raw.title) ?? `Task ${raw.id}`,
    description: text(raw.description),
    dueDate: due ?? text(raw.created_at) ?? new Date(0).toISOString(),
    hasDueDate: due !== null,
    completed,
    candidateId: typeof raw.candidate_id === 'number' ? raw.candidate_id : null,
    createdAt: text(raw.created_at),
    updatedAt: text(raw.updated_at),
  };
}

/** Ordered stages of an offer's pipeline template. */
export function offerStages(offer: RawOffer): Stage[] {
  const stages = offer.pipeline_template?.stages ?? [];
  return [...stages].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((s) => toStage(s)).filter((s): s is Stage => s !== null);
}

/** A short content hash: polled externalIds change exactly when the content does. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/**
 * The dedupe key of one candidate state, shared by the webhook (after its refetch) and the poll, so
 * the same change arriving both ways is ingested once.
 */
export function candidateStateId(candidate: { id: number; updatedAt: string | null }): string {
  return `candidate:${candidate.id}:${candidate.updatedAt ?? 'unknown'}`;
}

/** The note key of a candidate's creation: one "New candidate" note however it arrives (webhook or poll). */
export function createdNoteKey(candidateId: number | string): string {
  return `candidate:${candidateId}:created`;
}

/**
 * Microseconds since the epoch of a Recruitee timestamp (`2024-03-05T08:00:00.000001Z`), keeping
 * the sub-millisecond digits a Date would drop; NaN when unreadable.
 */
export function toMicros(iso: string): number {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso.trim());
  if (!m) return Number.NaN;
  const seconds = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  if (Number.isNaN(seconds)) return Number.NaN;
  return seconds * 1000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
}

/** ISO-8601 with microseconds, Recruitee's format. */
export function fromMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(micros % 1_000_000).padStart(6, '0')}Z`;
}
