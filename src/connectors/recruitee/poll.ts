/**
 * Polling triggers. Every polled event's externalId is deterministic for a given cursor, so a
 * re-poll (after a crash before the cursor was stored, or the overlap below) is deduplicated by
 * the engine instead of making a second write.
 *
 * - `candidates.changed`: `GET /search/new/candidates` with `filters_json` `updated_at gte`
 *   (seconds) and a cursor of `updated_at` watermark + id tiebreak. A pass pages through with the
 *   filter fixed until it has read `total` hits (a page may be shorter than asked: the search
 *   caps its page size); the watermark moves only when the pass ends, never past (pass start −
 *   overlap), and not at all when the result set changed size during the pass or fewer hits were
 *   read than its `total` (a deletion may have shifted a record onto a page already read), so
 *   nothing changed during or before a pass is skipped; what is read twice has the same externalId.
 *   A candidate created after the previous pass's watermark (or any, on the first pass) is
 *   `candidate.created`, else `candidate.updated`: Recruitee touches a candidate right after
 *   creating it, so `created_at === updated_at` says nothing. Recipes upsert on both.
 * - `notes.changed` / `tasks.changed`: Recruitee has no note or task webhooks and no change feed, so
 *   each poll walks the candidates (`GET /candidates`, limit/offset, one page per call) and lists
 *   their notes / tasks. An id is the record id, its content hash and a per-record generation kept
 *   in the cursor (last hash + counter): the same cursor gives the same ids (crash safety), while a
 *   return to an earlier state (task done → reopened → done) is a new generation, a new event.
 *   The GHL contact view this connector writes as a note is not polled back (it would loop).
 */
import type { PollPage, Poller, SourceEvent } from '../types.js';
import type { RecruiteeConn } from './connection.js';
import { isContactViewNote } from './contact-view.js';
import { candidateStateId, contentHash, createdNoteKey, fromMicros, indexReferences, normalizeCandidate, normalizeNote, normalizeTask, toMicros } from './normalize.js';
import type { Candidate, CandidateEvent, RawCandidate } from './schemas.js';

export interface ChangedCursor {
  /** watermark: every change with (updated_at, id) up to (since, id) was emitted */
  since: string | null;
  id: number;
  /** a pass in progress */
  pass?: { page: number; startedAt: number; read: number; total: number | null; max: { at: string; id: number } | null };
}

function readChangedCursor(raw: unknown): ChangedCursor {
  if (raw && typeof raw === 'object') {
    const c = raw as Partial<ChangedCursor>;
    return { since: typeof c.since === 'string' ? c.since : null, id: typeof c.id === 'number' ? c.id : 0, ...(c.pass ? { pass: c.pass } : {}) };
  }
  return { since: null, id: 0 };
}

const after = (at: number, id: number, than: { at: number; id: number }) => at > than.at || (at === than.at && id > than.id);

/**
 * The candidate event of a polled (or fully synced) record: `candidate.created` when `created`,
 * else `candidate.updated`. Only a creation seen since a watermark (`created: 'new'`) gets a
 * `noteKey`; the first pass is a backfill of old candidates, which no "New candidate" note should
 * announce.
 */
export function candidateEvent(conn: RecruiteeConn, candidate: Candidate, origin: 'poll' | 'sync', created: 'new' | 'backfill' | false = false): SourceEvent {
  const company = conn.config.companyName ? { id: conn.config.companyId, name: conn.config.companyName } : null;
  const who = candidate.name ?? `Candidate ${candidate.id}`;
  const state = candidateStateId(candidate);
  const key = origin === 'sync' ? `sync:${state}` : state;
  const payload: CandidateEvent = {
    candidate,
    company,
    stage: candidate.stage,
    fromStage: null,
    toStage: null,
    offer: candidate.offer,
    summary: created ? `New candidate ${who}${candidate.source ? ` from ${candidate.source}` : ''}${candidate.offer?.title ? ` for ${candidate.offer.title}` : ''}` : `Candidate ${who} updated in Recruitee`,
    origin,
    key,
    noteKey: created === 'new' ? createdNoteKey(candidate.id) : null,
    event: null,
    details: null,
  };
  return { externalId: key, type: created ? 'candidate.created' : 'candidate.updated', payload: payload as unknown as Record<string, unknown> };
}

/** Created since the watermark, or (no watermark yet) in the first pass's backfill; an unreadable time counts as not new. */
function createdSince(candidate: Candidate, since: string | null): 'new' | 'backfill' | false {
  if (since === null) return 'backfill';
  const at = candidate.createdAt ? toMicros(candidate.createdAt) : Number.NaN;
  return !Number.isNaN(at) && at > toMicros(since) ? 'new' : false;
}

/**
 * @example
 * let page = await pollChangedCandidates({ conn, cursor: null, now: Date.now() });
 * while (page.more) page = await pollChangedCandidates({ conn, cursor: page.cursor, now: Date.now() });
 */
export const pollChangedCandidates: Poller<RecruiteeConn> = async ({ conn, cursor, now, signal }): Promise<PollPage> => {
  const c = readChangedCursor(cursor);
  const limit = conn.config.pageSize;
  const pass = c.pass ?? { page: 1, startedAt: now, read: 0, total: null, max: null };
  const filters = c.since ? [{ field: 'updated_at', gte: Math.floor(toMicros(c.since) / 1_000_000) }] : [];
  const { hits, total, references } = await conn.client.candidates.search({ filters, page: pass.page, limit }, signal);
  const refs = indexReferences(references);
  const from = { at: c.since ? toMicros(c.since) : Number.NEGATIVE_INFINITY, id: c.id };
  let max = pass.max ? { at: toMicros(pass.max.at), id: pass.max.id, iso: pass.max.at } : null;
  const events: SourceEvent[] = [];
  for (const hit of hits as RawCandidate[]) {
    const candidate = normalizeCandidate(hit, { references: refs, company: conn.config.companyName ?? null });
    const at = candidate.updatedAt ? toMicros(candidate.updatedAt) : Number.NaN;
    // an unreadable timestamp cannot be ordered: emit it (its id dedupes) without moving the watermark
    if (Number.isNaN(at) || after(at, candidate.id, from)) events.push(candidateEvent(conn, candidate, 'poll', createdSince(candidate, c.since)));
    if (!Number.isNaN(at) && (!max || after(at, candidate.id, max))) max = { at, id: candidate.id, iso: candidate.updatedAt! };
  }
  const read = pass.read + hits.length;
  const firstTotal = pass.page === 1 ? total : pass.total;
  // the search may answer fewer hits than asked (its page size is capped): follow `total`, not the
  // page length; a page with no hits ends the pass (held below when short of `total`)
  const more = hits.length > 0 && (total === null ? hits.length >= limit : read < total);
  if (more) return { events, cursor: { since: c.since, id: c.id, pass: { page: pass.page + 1, startedAt: pass.startedAt, read, total: firstTotal, max: max && { at: max.iso, id: max.id } } }, more: true };

  // pass done: move the watermark (see the file comment for why it is capped or held)
  const cap = (pass.startedAt - conn.config.overlapSeconds * 1000) * 1000;
  let next = { since: c.since, id: c.id };
  const steady = total === null || (read >= total && (firstTotal === null || firstTotal === total));
  if (max && steady) {
    if (max.at <= cap) next = { since: max.iso, id: max.id };
    else if (cap > from.at) next = { since: fromMicros(cap), id: 0 };
  }
  return { events, cursor: next, more: false };
};

/** Last content hash and generation of one note or task: `[hash, generation]`. */
type Generation = [string, number];

interface ScanCursor {
  offset: number;
  /** per note/task id (kept across walks, so a return to an old state is told from a re-read) */
  gens: Record<string, Generation>;
}

function readScanCursor(raw: unknown): ScanCursor {
  const c = raw && typeof raw === 'object' ? (raw as Partial<ScanCursor>) : {};
  const offset = typeof c.offset === 'number' && c.offset >= 0 ? c.offset : 0;
  const gens: Record<string, Generation> = {};
  if (c.gens && typeof c.gens === 'object') {
    for (const [id, g] of Object.entries(c.gens)) if (Array.isArray(g) && typeof g[0] === 'string' && typeof g[1] === 'number') gens[id] = [g[0], g[1]];
  }
  return { offset, gens };
}

/**
 * The externalId of one note or task state. Generation 0 keeps the plain `<kind>:<id>:<hash>` form;
 * each later change of content bumps the generation, so `done → open → done` gives three ids.
 */
function generationId(kind: 'note' | 'task', id: number, hash: string, gens: Record<string, Generation>): string {
  const last = gens[id];
  const gen = !last ? 0 : last[0] === hash ? last[1] : last[1] + 1;
  gens[id] = [hash, gen];
  return gen === 0 ? `${kind}:${id}:${hash}` : `${kind}:${id}:${hash}:g${gen}`;
}

/** One page of candidates, and for each the child records as events. */
function scanPoller(kind: 'note' | 'task'): Poller<RecruiteeConn> {
  return async ({ conn, cursor, signal }): Promise<PollPage> => {
    const { offset, gens } = readScanCursor(cursor);
    const limit = conn.config.pageSize;
    const page = await conn.client.candidates.list({ limit, offset }, signal);
    const refs = indexReferences(page.references);
    const events: SourceEvent[] = [];
    for (const raw of page.candidates) {
      // notes_count is reliable enough to save a call; a task count may leave out completed tasks, so tasks are always read
      if (kind === 'note' && raw.notes_count === 0) continue;
      const candidate = normalizeCandidate(raw, { references: refs, company: conn.config.companyName ?? null });
      if (kind === 'note') {
        const { notes, references } = await conn.client.notes.list(raw.id, signal);
        const noteRefs = indexReferences(references);
        for (const n of notes) {
          const note = normalizeNote(n, noteRefs.size ? noteRefs : refs);
          // our own copy of the GHL view: GHL already holds it (and would embed it again)
          if (isContactViewNote(note.body)) continue;
          events.push({ externalId: generationId('note', note.id, contentHash(note.body), gens), type: 'note.changed', payload: { candidate, note, origin: 'poll' } });
        }
      } else {
        for (const t of await conn.client.tasks.listForCandidate(raw.id, signal)) {
          const task = normalizeTask(t);
          const { id, title, description, dueDate, completed } = task;
          events.push({ externalId: generationId('task', id, contentHash([title, description, dueDate, completed]), gens), type: 'task.changed', payload: { candidate, task, origin: 'poll' } });
        }
      }
    }
    const more = page.candidates.length >= limit;
    // a finished walk starts over next time (there is no change feed to follow)
    return { events, cursor: { offset: more ? offset + limit : 0, gens }, more };
  };
}

export const pollNotes = scanPoller('note');
export const pollTasks = scanPoller('task');

/**
 * Every candidate as an event (full sync). Keys are prefixed `sync:` so a full sync is processed
 * even for states a poll already delivered; the ledger still skips unchanged contacts.
 *
 * @example
 * for await (const event of listAllCandidates(conn)) await engine.ingest({ source: conn.source, ...event });
 */
export async function* listAllCandidates(conn: RecruiteeConn, options: { signal?: AbortSignal } = {}): AsyncIterable<SourceEvent> {
  for await (const { candidate, references } of conn.client.candidates.all(conn.config.pageSize, options.signal)) {
    yield candidateEvent(conn, normalizeCandidate(candidate, { references: indexReferences(references), company: conn.config.companyName ?? null }), 'sync');
  }
}

