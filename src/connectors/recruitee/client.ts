/**
 * A small Recruitee API client: `Authorization: Bearer <token>`, paths under `/c/{company_id}`,
 * JSON bodies wrapped in their root key (`{"candidate": …}`, `{"note": …}`, `{"task": …}`).
 * Errors carry status, method and path, never the token.
 */
import type { RawCandidate, RawNote, RawOffer, RawTask } from './schemas.js';

export class RecruiteeApiError extends Error {
  constructor(
    readonly status: number | null,
    readonly method: string,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Recruitee ${method} ${path}: ${status === null ? '' : `${status} `}${message}`, options);
    this.name = 'RecruiteeApiError';
  }

  /** Worth a retry: no answer, 408, 429 or 5xx. */
  get retryable(): boolean {
    return this.status === null || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export interface RecruiteeClientOptions {
  baseUrl: string;
  companyId: string;
  token: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

export interface CandidateListQuery {
  limit?: number;
  offset?: number;
  /** ISO-8601 */
  createdAfter?: string;
  ids?: number[];
  offerId?: number;
  query?: string;
  sort?: string;
}

export interface CandidateList {
  candidates: RawCandidate[];
  references: unknown[];
  generatedAt: string | null;
}

/** A `/search/new/candidates` filter, e.g. `{ field: 'updated_at', gte: 1709625600 }` (Unix seconds). */
export type SearchFilter = { field: string; [op: string]: unknown };

export interface CandidateSearchQuery {
  filters?: SearchFilter[];
  /** 1-based */
  page?: number;
  limit?: number;
  sortBy?: string;
}

export interface NewTask {
  candidateId: number;
  title: string;
  description?: string;
  /** ISO-8601 */
  dueDate?: string;
  timezone?: string;
}

export interface TaskPatch {
  title?: string;
  description?: string | null;
  dueDate?: string | null;
  completed?: boolean;
}

function rootKey<T>(body: unknown, key: string, method: string, path: string): T {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  if (value === undefined || value === null) throw new RecruiteeApiError(200, method, path, `unexpected answer: no "${key}"`);
  return value as T;
}

/** Recruitee error bodies: `{"error": "…"}`, `{"errors": […]}` or `{"error": {"message": …}}`. */
function errorText(body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const e = b.error ?? b.errors ?? b.message;
    const s = typeof e === 'string' ? e : e !== undefined ? JSON.stringify(e) : '';
    if (s) return s.slice(0, 300);
  }
  return fallback;
}

/**
 * @example
 * const rc = createRecruiteeClient({ baseUrl: 'https://api.recruitee.com', companyId: '90001', token });
 * const { candidates, references } = await rc.candidates.list({ limit: 100, offset: 0 });
 * await rc.notes.create(candidates[0].id, { body: 'Called, will send CV' });
 */
export function createRecruiteeClient(options: RecruiteeClientOptions) {
  const base = `${options.baseUrl.replace(/\/+$/, '')}/c/${encodeURIComponent(options.companyId)}`;
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function request<T = Record<string, unknown>>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined && v !== null) params.set(k, String(v));
    const qs = params.size > 0 ? `?${params}` : '';
    const signal = o.signal ? AbortSignal.any([o.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await doFetch(`${base}${path}${qs}`, {
        method,
        headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
        signal,
      });
    } catch (e) {
      throw new RecruiteeApiError(null, method, path, e instanceof Error ? `${e.name}: ${e.message}` : 'network error', { cause: e });
    }
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      if (res.ok) throw new RecruiteeApiError(res.status, method, path, 'answer is not JSON');
    }
    if (!res.ok) throw new RecruiteeApiError(res.status, method, path, errorText(body, res.statusText || 'error'));
    return (body ?? {}) as T;
  }

  const candidates = {
    /** `GET /candidates` (newest first); without limit Recruitee returns all, so callers page. */
    async list(q: CandidateListQuery = {}, signal?: AbortSignal): Promise<CandidateList> {
      const path = '/candidates';
      const body = await request('GET', path, {
        query: { limit: q.limit, offset: q.offset, created_after: q.createdAfter, ids: q.ids?.join(','), offer_id: q.offerId, query: q.query, sort: q.sort },
        signal,
      });
      return { candidates: rootKey<RawCandidate[]>(body, 'candidates', 'GET', path), references: Array.isArray(body.references) ? body.references : [], generatedAt: typeof body.generated_at === 'string' ? body.generated_at : null };
    },
    /** `GET /search/new/candidates` with `filters_json`: `{ hits, total }`. */
    async search(q: CandidateSearchQuery = {}, signal?: AbortSignal): Promise<{ hits: RawCandidate[]; total: number | null; references: unknown[] }> {
      const path = '/search/new/candidates';
      const body = await request('GET', path, {
        query: { filters_json: q.filters ? JSON.stringify(q.filters) : undefined, page: q.page, limit: q.limit, sort_by: q.sortBy },
        signal,
      });
      return { hits: rootKey<RawCandidate[]>(body, 'hits', 'GET', path), total: typeof body.total === 'number' ? body.total : null, references: Array.isArray(body.references) ? body.references : [] };
    },
    async get(id: number, signal?: AbortSignal): Promise<{ candidate: RawCandidate; references: unknown[] }> {
      const path = `/candidates/${id}`;
      const body = await request('GET', path, { signal });
      return { candidate: rootKey<RawCandidate>(body, 'candidate', 'GET', path), references: Array.isArray(body.references) ? body.references : [] };
    },
    async create(candidate: Record<string, unknown>, offers: number[] = [], signal?: AbortSignal): Promise<{ candidate: RawCandidate; references: unknown[] }> {
      const path = '/candidates';
      const body = await request('POST', path, { body: { candidate, ...(offers.length ? { offers } : {}) }, signal });
      return { candidate: rootKey<RawCandidate>(body, 'candidate', 'POST', path), references: Array.isArray(body.references) ? body.references : [] };
    },
    async update(id: number, patch: Record<string, unknown>, signal?: AbortSignal): Promise<{ candidate: RawCandidate; references: unknown[] }> {
      const path = `/candidates/${id}`;
      const body = await request('PATCH', path, { body: { candidate: patch }, signal });
      return { candidate: rootKey<RawCandidate>(body, 'candidate', 'PATCH', path), references: Array.isArray(body.references) ? body.references : [] };
    },
    /**
     * Every candidate, paging `limit`/`offset` until a short page. Newest first, so a candidate
     * created meanwhile shifts the pages: one may be read twice, none is skipped by an insert.
     */
    async *all(pageSize = 100, signal?: AbortSignal): AsyncGenerator<{ candidate: RawCandidate; references: unknown[] }> {
      for (let offset = 0; ; offset += pageSize) {
        const page = await candidates.list({ limit: pageSize, offset }, signal);
        for (const candidate of page.candidates) yield { candidate, references: page.references };
        if (page.candidates.length < pageSize) return;
      }
    },
  };

  const notes = {
    async list(candidateId: number, signal?: AbortSignal): Promise<{ notes: RawNote[]; references: unknown[] }> {
      const path = `/candidates/${candidateId}/notes`;
      const body = await request('GET', path, { signal });
      return { notes: rootKey<RawNote[]>(body, 'notes', 'GET', path), references: Array.isArray(body.references) ? body.references : [] };
    },
    async create(candidateId: number, note: { body: string; visibility?: Record<string, unknown> }, signal?: AbortSignal): Promise<RawNote> {
      const path = `/candidates/${candidateId}/notes`;
      const body = await request('POST', path, { body: { note: { body: note.body, visibility: note.visibility ?? { level: 'public' } } }, signal });
      return rootKey<RawNote>(body, 'note', 'POST', path);
    },
    /** `PATCH /candidates/{id}/notes/{note_id}` (the path is the REST convention; UNVERIFIED). */
    async update(candidateId: number, noteId: number, note: { body: string }, signal?: AbortSignal): Promise<RawNote> {
      const path = `/candidates/${candidateId}/notes/${noteId}`;
      const body = await request('PATCH', path, { body: { note: { body: note.body } }, signal });
      return rootKey<RawNote>(body, 'note', 'PATCH', path);
    },
  };

  const tasks = {
    async listForCandidate(candidateId: number, signal?: AbortSignal): Promise<RawTask[]> {
      const path = `/candidates/${candidateId}/tasks`;
      return rootKey<RawTask[]>(await request('GET', path, { signal }), 'tasks', 'GET', path);
    },
    async create(task: NewTask, signal?: AbortSignal): Promise<RawTask> {
      const path = '/tasks';
      const body = await request('POST', path, {
        body: { task: { title: task.title, candidate_id: task.candidateId, description: task.description, due_date: task.dueDate, timezone: task.timezone } },
        signal,
      });
      return rootKey<RawTask>(body, 'task', 'POST', path);
    },
    /** `PATCH /tasks/{id}` with `{task: {…}}` (`completed` as a field is UNVERIFIED). */
    async update(taskId: number, patch: TaskPatch, signal?: AbortSignal): Promise<RawTask> {
      const path = `/tasks/${taskId}`;
      const task: Record<string, unknown> = {};
      if (patch.title !== undefined) task.title = patch.title;
      if (patch.description !== undefined) task.description = patch.description;
      if (patch.dueDate !== undefined) task.due_date = patch.dueDate;
      if (patch.completed !== undefined) task.completed = patch.completed;
      return rootKey<RawTask>(await request('PATCH', path, { body: { task }, signal }), 'task', 'PATCH', path);
    },
  };

  const offers = {
    async list(q: { scope?: string; limit?: number; offset?: number } = {}, signal?: AbortSignal): Promise<RawOffer[]> {
      return rootKey<RawOffer[]>(await request('GET', '/offers', { query: q, signal }), 'offers', 'GET', '/offers');
    },
    /** `GET /offers/{id}`: the offer with `pipeline_template.stages`. */
    async get(id: number, signal?: AbortSignal): Promise<RawOffer> {
      const path = `/offers/${id}`;
      return rootKey<RawOffer>(await request('GET', path, { signal }), 'offer', 'GET', path);
    },
  };

  return { request, candidates, notes, tasks, offers };
}

export type RecruiteeClient = ReturnType<typeof createRecruiteeClient>;
