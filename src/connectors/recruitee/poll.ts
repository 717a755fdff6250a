/**
 * Polling triggers. Every polled event's externalId is derived from the record's content or
 * `updated_at`, so a re-poll (after a crash before the cursor was stored, or the overlap below)
 * is deduplicated by the engine instead of making a second write.
 *
 * - `candidates.changed`: `GET /search/new/candidates` with `filters_json` `updated_at gte`
 *   (seconds) and a cursor of `updated_at` watermark + id tiebreak. A pass pages through with the
 *   filter fixed; the watermark moves only when the pass ends, never past (pass start − overlap),
 *   and not at all when the result set changed size during the pass or fewer hits were read than
 *   its `total` (a deletion may have shifted a record onto a page already read), so nothing
 *   changed during or before a pass is skipped; what is read twice has the same externalId.
 * - `notes.changed` / `tasks.changed`: Recruitee has no note or task webhooks and no change feed, so
 *   each poll walks the candidates (`GET /candidates`, limit/offset, one page per call) and lists
 *   their notes / tasks; externalIds hash the content, so only new or edited ones reach the engine.
 */
import type { PollPage, Poller, SourceEvent } from '../types.js';
import type { RecruiteeConn } from './connection.js';
import { candidateStateId, contentHash, fromMicros, indexReferences, normalizeCandidate, normalizeNote, normalizeTask, toMicros } from './normalize.js';
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

/** The candidate event of a polled (or fully synced) record. */
export function candidateEvent(conn: RecruiteeConn, candidate: Candidate, origin: 'poll' | 'sync'): SourceEvent {
  const created = candidate.createdAt !== null && candidate.createdAt === candidate.updatedAt;
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
    summary: created ? `New candidate ${who}${candidate.source ? ` from ${candidate.source}` : ''}` : `Candidate ${who} updated in Recruitee`,
    origin,
    key,
    event: null,
    details: null,
  };
  return { externalId: key, type: created ? 'candidate.created' : 'candidate.updated', payload: payload as unknown as Record<string, unknown> };
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
    if (Number.isNaN(at) || after(at, candidate.id, from)) events.push(candidateEvent(conn, candidate, 'poll'));
    if (!Number.isNaN(at) && (!max || after(at, candidate.id, max))) max = { at, id: candidate.id, iso: candidate.updatedAt! };
  }
  const read = pass.read + hits.length;
  const firstTotal = pass.page === 1 ? total : pass.total;
  const more = hits.length >= limit && (total === null || pass.page * limit < total);
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

interface ScanCursor {
  offset: number;
}

function readScanCursor(raw: unknown): ScanCursor {
  const offset = raw && typeof raw === 'object' ? (raw as Partial<ScanCursor>).offset : undefined;
  return { offset: typeof offset === 'number' && offset >= 0 ? offset : 0 };
}

/** One page of candidates, and for each the child records as events. */
function scanPoller(kind: 'note' | 'task'): Poller<RecruiteeConn> {
  return async ({ conn, cursor, signal }): Promise<PollPage> => {
    const { offset } = readScanCursor(cursor);
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
          events.push({ externalId: `note:${note.id}:${contentHash(note.body)}`, type: 'note.changed', payload: { candidate, note, origin: 'poll' } });
        }
      } else {
        for (const t of await conn.client.tasks.listForCandidate(raw.id, signal)) {
          const task = normalizeTask(t);
          const { id, title, description, dueDate, completed } = task;
          events.push({ externalId: `task:${id}:${contentHash([title, description, dueDate, completed])}`, type: 'task.changed', payload: { candidate, task, origin: 'poll' } });
        }
      }
    }
    const more = page.candidates.length >= limit;
    // a finished walk starts over next time (there is no change feed to follow)
    return { events, cursor: { offset: more ? offset + limit : 0 }, more };
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

