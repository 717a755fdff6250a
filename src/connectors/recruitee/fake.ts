/**
 * A fake Recruitee for tests and demos: a real HTTP server on 127.0.0.1 serving the API paths the
 * connector uses under `/c/{company_id}` (Bearer token, 401 otherwise; limit/offset paging and
 * `created_after` on `/candidates`; `filters_json`, page and `sort_by` on `/search/new/candidates`;
 * sideloaded `references`; notes, tasks, offers with their pipeline stages), and webhooks like the
 * real app: the `{"test":true}` probe when a URL is registered, then signed envelopes
 * (`X-Recruitee-Signature`: hex HMAC-SHA256 of the exact bytes sent) on candidate changes, where
 * only a 200 counts as delivered and anything else is retried with `attempt_count` incremented (the
 * envelope `id` kept). A new candidate is touched right after it is created (its placement), so
 * its `updated_at` is later than its `created_at`, as on the real app. The search endpoint caps
 * its page size (`searchMaxLimit`), so a page may be shorter than asked. Notes and tasks send no webhooks
 * (Recruitee has none). The `event_type` strings are configurable, like the connector's.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeliverer, type Delivery } from '../fakes/deliver.js';
import { toMicros } from './normalize.js';
import {
  clone,
  createClock,
  detail,
  listItem,
  noteView,
  offerAndStage,
  offerBrief,
  placementOffer,
  references,
  searchHit,
  seedData,
  stageBrief,
  taskView,
  webhookEnvelope,
  type FakeCandidate,
  type FakeData,
  type FakeNote,
  type FakePlacement,
  type FakeTask,
} from './fake-state.js';

export type FakeEventKind = 'created' | 'updated' | 'moved' | 'disqualified' | 'requalified' | 'deleted';

/** `event_type`/`event_subtype` per change; `null` sends no webhook for that change. A created event's subtype defaults to the candidate's source. */
export type FakeEventTypes = Partial<Record<FakeEventKind, { type: string; subtype?: string } | null>>;

export const FAKE_EVENT_TYPES: Record<FakeEventKind, { type: string; subtype?: string }> = {
  created: { type: 'new_candidate' },
  updated: { type: 'candidate_updated' },
  moved: { type: 'candidate_moved', subtype: 'stage_changed' },
  disqualified: { type: 'candidate_moved', subtype: 'disqualified' },
  requalified: { type: 'candidate_moved', subtype: 'requalified' },
  deleted: { type: 'candidate_deleted' },
};

export interface RecruiteeFakeOptions {
  port?: number;
  companyId: number;
  companyName?: string;
  token: string;
  webhookSecret: string;
  /** where webhooks go (none sent until set; `setWebhookUrl` also sends the probe) */
  webhookUrl?: string;
  eventTypes?: FakeEventTypes;
  /** delays between delivery attempts, ms (the real app waits much longer) */
  retryDelaysMs?: number[];
  /** the most hits `/search/new/candidates` answers per page, whatever `limit` asks (default 100; UNVERIFIED) */
  searchMaxLimit?: number;
}

export interface NewFakeCandidate {
  name: string;
  emails?: string[];
  phones?: string[];
  source?: string;
  referrer?: string | null;
  tags?: string[];
  /** job to place the candidate on (default the first); null: no placement */
  offerId?: number | null;
  /** stage id, name or category (default `apply`) */
  stage?: number | string;
}

export type FakeCandidatePatch = Partial<Pick<FakeCandidate, 'name' | 'emails' | 'phones' | 'source' | 'referrer' | 'tags'>>;

/** Per-change options of the mutation helpers. */
export interface ChangeOptions {
  /** false: change the data silently (a lost webhook; only a poll can see it) */
  webhook?: boolean;
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function strings(v: unknown, field: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new HttpError(422, `${field} must be a list of strings`);
  return v as string[];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1_048_576) reject(new HttpError(413, 'body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function intParam(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, `${name} must be an integer from ${min} to ${max}`);
  return n;
}

/**
 * @example
 * const fake = await createRecruiteeFake({ companyId: 90001, token: 't', webhookSecret: 's' });
 * await fake.setWebhookUrl(`${hooks.url}/hooks/recruitee-main`); // sends {"test":true}
 * const jane = await fake.addCandidate({ name: 'Jane Doe', emails: ['jane@example.com'] }); // + signed new_candidate
 * await fake.moveStage(jane.id, 'phone_screen');                                          // + candidate_moved
 * await fake.close();
 */
export async function createRecruiteeFake(options: RecruiteeFakeOptions) {
  const now = createClock();
  const data: FakeData = seedData(options.companyId, options.companyName ?? 'Acme BV', now());
  const eventTypes = { ...FAKE_EVENT_TYPES, ...options.eventTypes };
  const deliverer = createDeliverer({ success: (s) => s === 200, retryDelaysMs: options.retryDelaysMs ?? [20, 50, 100] });
  const requests: RequestRecord[] = [];
  let webhookUrl = options.webhookUrl ?? null;
  const seq = { candidate: 5000000, placement: 7000000, note: 8100000, task: 8200000, event: 31000000 };

  // ---- data changes (shared by the API and the helpers) ----

  function candidate(id: number): FakeCandidate {
    const c = data.candidates.find((x) => x.id === id);
    if (!c) throw new HttpError(404, `Candidate ${id} not found`);
    return c;
  }

  /** The placement a stage change applies to: on the given job, else the most recently updated one. */
  function placement(c: FakeCandidate, offerId?: number): FakePlacement {
    const p = offerId !== undefined ? c.placements.find((x) => x.offer_id === offerId) : [...c.placements].sort((a, b) => b.updated_at.localeCompare(a.updated_at))[0];
    if (!p) throw new HttpError(422, `candidate ${c.id} is not on ${offerId !== undefined ? `offer ${offerId}` : 'any job'}`);
    return p;
  }

  function stageOf(offerId: number, stage: number | string) {
    const offer = data.offers.find((o) => o.id === offerId);
    if (!offer) throw new HttpError(404, `Offer ${offerId} not found`);
    const s = offer.pipeline_template.stages.find((x) => x.id === stage || x.category === stage || x.name.toLowerCase() === String(stage).toLowerCase());
    if (!s) throw new HttpError(422, `offer ${offerId} has no stage ${JSON.stringify(stage)}`);
    return s;
  }

  function create(input: NewFakeCandidate): FakeCandidate {
    if (typeof input.name !== 'string' || input.name.trim() === '') throw new HttpError(422, 'name is required');
    const at = now();
    const c: FakeCandidate = {
      id: ++seq.candidate,
      name: input.name.trim(),
      emails: [...(input.emails ?? [])],
      phones: [...(input.phones ?? [])],
      source: input.source ?? 'manual',
      referrer: input.referrer ?? null,
      tags: [...(input.tags ?? [])],
      admin_id: data.admins[0]!.id,
      created_at: at,
      updated_at: at,
      placements: [],
    };
    const offerId = input.offerId === undefined ? data.offers[0]!.id : input.offerId;
    if (offerId !== null) {
      const stage = stageOf(offerId, input.stage ?? 'apply');
      c.placements.push({
        id: ++seq.placement, candidate_id: c.id, offer_id: offerId, stage_id: stage.id, position: 1, created_at: at, updated_at: at,
        hired_at: null, hired_by_id: null, hired_in_this_placement: false, hired_in_other_placement: false, disqualify_kind: null, disqualify_reason: null,
        disqualified_at: null, job_starts_at: null, language: null, overdue_at: null, overdue_diff: null, positive_ratings: null, ratings: {},
      });
    }
    data.candidates.push(c);
    // Recruitee touches a new candidate right after creating it (placement, CV parsing): updated_at > created_at
    c.updated_at = now();
    return c;
  }

  function update(c: FakeCandidate, patch: FakeCandidatePatch): void {
    if (patch.name !== undefined) c.name = patch.name;
    if (patch.emails !== undefined) c.emails = [...patch.emails];
    if (patch.phones !== undefined) c.phones = [...patch.phones];
    if (patch.source !== undefined) c.source = patch.source;
    if (patch.referrer !== undefined) c.referrer = patch.referrer;
    if (patch.tags !== undefined) c.tags = [...patch.tags];
    c.updated_at = now();
  }

  function move(c: FakeCandidate, stage: number | string, offerId?: number) {
    const p = placement(c, offerId);
    const from = offerAndStage(data, p).stage;
    const to = stageOf(p.offer_id, stage);
    const at = now();
    p.stage_id = to.id;
    p.updated_at = at;
    if (to.category === 'hire') {
      p.hired_at = at;
      p.hired_by_id = data.admins[0]!.id;
      p.hired_in_this_placement = true;
    }
    c.updated_at = at;
    return { p, from, to };
  }

  // ---- webhooks ----

  function sign(body: string): string {
    return createHmac('sha256', options.webhookSecret).update(body).digest('hex');
  }

  async function emit(kind: FakeEventKind, c: FakeCandidate, payload: Record<string, unknown>, subtype?: string): Promise<Delivery | null> {
    const type = eventTypes[kind];
    if (!type || !webhookUrl) return null;
    const envelope = webhookEnvelope(data, c, type, { id: ++seq.event, createdAt: now(), extra: payload, subtype });
    // each retry: the same envelope id, attempt_count + 1, signed again
    return deliverer.send(webhookUrl, (attempt) => {
      const body = JSON.stringify({ ...envelope, attempt_count: attempt });
      return { body, headers: { 'user-agent': 'Recruitee-Webhooks', 'x-recruitee-signature': sign(body) } };
    });
  }

  const offerOf = (p: FakePlacement) => placementOffer(data, p);

  const emitCreated = (c: FakeCandidate) => emit('created', c, { offers: c.placements.map(offerOf).filter(Boolean) }, c.source);
  const emitUpdated = (c: FakeCandidate) => emit('updated', c, { offers: c.placements.map(offerOf).filter(Boolean) });
  const emitMoved = (c: FakeCandidate, m: ReturnType<typeof move>) => emit('moved', c, { details: { from_stage: stageBrief(m.from), to_stage: stageBrief(m.to) }, offer: offerOf(m.p) });
  const emitDisqualified = (c: FakeCandidate, p: FakePlacement) =>
    emit('disqualified', c, { details: { disqualify_reason: p.disqualify_reason, disqualify_kind: p.disqualify_kind, stage: stageBrief(offerAndStage(data, p).stage) }, offer: offerOf(p) });

  // ---- HTTP API ----

  function send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  async function json(req: IncomingMessage): Promise<Record<string, unknown>> {
    const text = await readBody(req);
    if (!text) return {};
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'body is not valid JSON');
    }
    if (!isObject(body)) throw new HttpError(400, 'body must be a JSON object');
    return body;
  }

  async function root(req: IncomingMessage, key: string): Promise<Record<string, unknown>> {
    const body = await json(req);
    if (!isObject(body[key])) throw new HttpError(422, `"${key}" is required (the body is {"${key}": {…}})`);
    return body[key] as Record<string, unknown>;
  }

  function matchFilter(c: FakeCandidate, f: Record<string, unknown>): boolean {
    if (f.field === 'all') {
      const q = String(f.query ?? '').toLowerCase();
      return c.name.toLowerCase().includes(q) || c.emails.some((e) => e.toLowerCase().includes(q));
    }
    if (f.field === 'created_at' || f.field === 'updated_at') {
      const at = toMicros(f.field === 'created_at' ? c.created_at : c.updated_at) / 1_000_000;
      for (const [op, v] of Object.entries(f)) {
        if (op === 'field') continue;
        if (typeof v !== 'number') throw new HttpError(400, `filter ${f.field}.${op} must be Unix seconds`);
        if ((op === 'gte' && !(at >= v)) || (op === 'gt' && !(at > v)) || (op === 'lte' && !(at <= v)) || (op === 'lt' && !(at < v))) return false;
        if (!['gte', 'gt', 'lte', 'lt'].includes(op)) throw new HttpError(400, `unknown operator ${op}`);
      }
      return true;
    }
    if (f.field === 'disqualified') return c.placements.some((p) => p.disqualify_kind !== null) === f.eq;
    throw new HttpError(400, `unknown filter field ${JSON.stringify(f.field)}`);
  }

  const SORTS: Record<string, (a: FakeCandidate, b: FakeCandidate) => number> = {
    created_at_desc: (a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id,
    created_at_asc: (a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id,
    updated_at_desc: (a, b) => b.updated_at.localeCompare(a.updated_at) || b.id - a.id,
    updated_at_asc: (a, b) => a.updated_at.localeCompare(b.updated_at) || a.id - b.id,
  };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const m = /^\/c\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (!m) throw new HttpError(404, 'Not found');
    if ((req.headers.authorization ?? '') !== `Bearer ${options.token}`) throw new HttpError(401, 'Unauthorized');
    if (m[1] !== String(data.company.id)) throw new HttpError(404, 'Company not found');
    const path = (m[2] ?? '/').replace(/\/+$/, '') || '/';
    const q = url.searchParams;
    let r: RegExpExecArray | null;

    if (method === 'GET' && path === '/candidates') {
      const limit = intParam(q, 'limit', 1, 10_000);
      const offset = intParam(q, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
      const createdAfter = q.get('created_after');
      const after = createdAfter ? toMicros(createdAfter) : null;
      if (createdAfter && Number.isNaN(after)) throw new HttpError(400, 'created_after must be ISO-8601');
      const ids = q.get('ids')?.split(',').map(Number);
      const offerId = intParam(q, 'offer_id', 1, Number.MAX_SAFE_INTEGER);
      let list = data.candidates.filter((c) => (after === null || toMicros(c.created_at) > after!) && (!ids || ids.includes(c.id)) && (offerId === undefined || c.placements.some((p) => p.offer_id === offerId)));
      list = [...list].sort(SORTS.created_at_desc);
      // without limit and offset Recruitee answers everything
      const page = limit === undefined ? list.slice(offset) : list.slice(offset, offset + limit);
      return send(res, 200, { candidates: page.map((c) => listItem(data, c)), generated_at: now(), references: references(data, page) });
    }
    if (method === 'GET' && path === '/search/new/candidates') {
      let filters: unknown = [];
      const raw = q.get('filters_json');
      if (raw) {
        try {
          filters = JSON.parse(raw);
        } catch {
          throw new HttpError(400, 'filters_json is not valid JSON');
        }
      }
      if (!Array.isArray(filters) || !filters.every(isObject)) throw new HttpError(400, 'filters_json must be a JSON list of filter objects');
      const sort = SORTS[q.get('sort_by') ?? 'created_at_desc'];
      if (!sort) throw new HttpError(400, `unknown sort_by ${q.get('sort_by')}`);
      const limit = Math.min(intParam(q, 'limit', 1, 1000) ?? 60, options.searchMaxLimit ?? 100);
      const page = intParam(q, 'page', 1, Number.MAX_SAFE_INTEGER) ?? 1;
      const all = data.candidates.filter((c) => (filters as Array<Record<string, unknown>>).every((f) => matchFilter(c, f))).sort(sort);
      return send(res, 200, { hits: all.slice((page - 1) * limit, page * limit).map((c) => searchHit(data, c)), total: all.length });
    }
    if (method === 'POST' && path === '/candidates') {
      const body = await json(req);
      if (!isObject(body.candidate)) throw new HttpError(422, '"candidate" is required (the body is {"candidate": {…}})');
      const input = body.candidate;
      const offers = Array.isArray(body.offers) ? (body.offers as unknown[]).map(Number) : [];
      const c = create({ name: String(input.name ?? ''), emails: strings(input.emails, 'emails'), phones: strings(input.phones, 'phones'), source: typeof input.source === 'string' ? input.source : 'manual', offerId: offers[0] ?? null });
      void emitCreated(c);
      return send(res, 201, { candidate: detail(data, c), references: references(data, [c]) });
    }
    if ((r = /^\/candidates\/(\d+)$/.exec(path))) {
      const c = candidate(Number(r[1]));
      if (method === 'GET') return send(res, 200, { candidate: detail(data, c), references: references(data, [c]) });
      if (method === 'PATCH') {
        const input = await root(req, 'candidate');
        const patch: FakeCandidatePatch = {};
        if (input.name !== undefined) {
          if (typeof input.name !== 'string' || input.name.trim() === '') throw new HttpError(422, 'name must be a non-empty string');
          patch.name = input.name.trim();
        }
        if (input.emails !== undefined) patch.emails = strings(input.emails, 'emails');
        if (input.phones !== undefined) patch.phones = strings(input.phones, 'phones');
        update(c, patch);
        void emitUpdated(c);
        return send(res, 200, { candidate: detail(data, c), references: references(data, [c]) });
      }
      if (method === 'DELETE') {
        data.candidates.splice(data.candidates.indexOf(c), 1);
        void emit('deleted', c, {});
        return send(res, 200, { candidate: detail(data, c) });
      }
    }
    if ((r = /^\/candidates\/(\d+)\/notes$/.exec(path))) {
      const c = candidate(Number(r[1]));
      if (method === 'GET') {
        const notes = data.notes.filter((n) => n.candidate_id === c.id).sort((a, b) => b.created_at.localeCompare(a.created_at));
        return send(res, 200, { notes: notes.map((n) => noteView(data, n)) });
      }
      if (method === 'POST') {
        const input = await root(req, 'note');
        if (typeof input.body !== 'string' || input.body.trim() === '') throw new HttpError(422, 'note.body is required');
        const n = addNoteRecord(c.id, input.body, isObject(input.visibility) ? String(input.visibility.level ?? 'public') : 'public');
        return send(res, 201, { note: noteView(data, n) });
      }
    }
    if ((r = /^\/candidates\/(\d+)\/notes\/(\d+)$/.exec(path)) && method === 'PATCH') {
      const n = data.notes.find((x) => x.id === Number(r![2]) && x.candidate_id === Number(r![1]));
      if (!n) throw new HttpError(404, 'Note not found');
      const input = await root(req, 'note');
      if (typeof input.body !== 'string' || input.body.trim() === '') throw new HttpError(422, 'note.body is required');
      n.body = input.body;
      n.updated_at = now();
      return send(res, 200, { note: noteView(data, n) });
    }
    if ((r = /^\/candidates\/(\d+)\/tasks$/.exec(path)) && method === 'GET') {
      const c = candidate(Number(r[1]));
      return send(res, 200, { tasks: data.tasks.filter((t) => t.candidate_id === c.id).map(taskView) });
    }
    if (method === 'GET' && path === '/tasks') {
      const limit = intParam(q, 'limit', 1, 1000) ?? 100;
      const page = intParam(q, 'page', 1, Number.MAX_SAFE_INTEGER) ?? 1;
      return send(res, 200, { tasks: data.tasks.slice((page - 1) * limit, page * limit).map(taskView), total: data.tasks.length });
    }
    if (method === 'POST' && path === '/tasks') {
      const input = await root(req, 'task');
      if (typeof input.title !== 'string' || input.title.trim() === '') throw new HttpError(422, 'task.title is required');
      const candidateId = Number(input.candidate_id);
      candidate(candidateId);
      const t = addTaskRecord(candidateId, { title: input.title, description: typeof input.description === 'string' ? input.description : null, dueDate: typeof input.due_date === 'string' ? input.due_date : null, timezone: typeof input.timezone === 'string' ? input.timezone : null });
      return send(res, 201, { task: taskView(t) });
    }
    if ((r = /^\/tasks\/(\d+)$/.exec(path)) && method === 'PATCH') {
      const t = data.tasks.find((x) => x.id === Number(r![1]));
      if (!t) throw new HttpError(404, 'Task not found');
      const input = await root(req, 'task');
      changeTask(t, {
        ...(typeof input.title === 'string' ? { title: input.title } : {}),
        ...(input.description !== undefined ? { description: input.description === null ? null : String(input.description) } : {}),
        ...(input.due_date !== undefined ? { dueDate: input.due_date === null ? null : String(input.due_date) } : {}),
        ...(typeof input.completed === 'boolean' ? { completed: input.completed } : {}),
      });
      return send(res, 200, { task: taskView(t) });
    }
    if (method === 'GET' && path === '/offers') return send(res, 200, { offers: data.offers.map((o) => ({ ...offerBrief(o), status: o.status })) });
    if ((r = /^\/offers\/(\d+)$/.exec(path)) && method === 'GET') {
      const o = data.offers.find((x) => x.id === Number(r![1]));
      if (!o) throw new HttpError(404, 'Offer not found');
      return send(res, 200, { offer: clone({ ...o, pipeline_template_id: o.pipeline_template.id, candidates_count: data.candidates.filter((c) => c.placements.some((p) => p.offer_id === o.id)).length }) });
    }
    if ((r = /^\/placements\/(\d+)\/change_stage$/.exec(path)) && method === 'PATCH') {
      const body = await json(req);
      const stageId = Number(isObject(body.placement) ? body.placement.stage_id : body.stage_id);
      const c = data.candidates.find((x) => x.placements.some((p) => p.id === Number(r![1])));
      if (!c) throw new HttpError(404, 'Placement not found');
      const p = c.placements.find((x) => x.id === Number(r![1]))!;
      const m = move(c, stageId, p.offer_id);
      void emitMoved(c, m);
      return send(res, 200, { placement: clone(m.p) });
    }
    throw new HttpError(404, `No route ${method} ${path}`);
  }

  function addNoteRecord(candidateId: number, body: string, level = 'public'): FakeNote {
    const at = now();
    const n: FakeNote = { id: ++seq.note, candidate_id: candidateId, body, admin_id: data.admins[0]!.id, visibility: { level }, created_at: at, updated_at: at };
    data.notes.push(n);
    return n;
  }

  function addTaskRecord(candidateId: number, t: { title: string; description?: string | null; dueDate?: string | null; timezone?: string | null }): FakeTask {
    const at = now();
    const task: FakeTask = { id: ++seq.task, candidate_id: candidateId, title: t.title, description: t.description ?? null, due_date: t.dueDate ?? null, timezone: t.timezone ?? null, completed: false, completed_at: null, admin_id: data.admins[0]!.id, created_at: at, updated_at: at };
    data.tasks.push(task);
    return task;
  }

  function changeTask(t: FakeTask, patch: { title?: string; description?: string | null; dueDate?: string | null; completed?: boolean }): void {
    const at = now();
    if (patch.title !== undefined) t.title = patch.title;
    if (patch.description !== undefined) t.description = patch.description;
    if (patch.dueDate !== undefined) t.due_date = patch.dueDate;
    if (patch.completed !== undefined && patch.completed !== t.completed) {
      t.completed = patch.completed;
      t.completed_at = patch.completed ? at : null;
    }
    t.updated_at = at;
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let status = 500;
    const done = () => requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, status });
    route(req, res, url)
      .then(() => {
        status = res.statusCode;
        done();
      })
      .catch((e: unknown) => {
        status = e instanceof HttpError ? e.status : 500;
        done();
        if (!res.headersSent) send(res, status, { error: e instanceof Error ? e.message : 'error' });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const view = (c: FakeCandidate) => detail(data, c) as ReturnType<typeof detail> & { id: number; updated_at: string };
  /** Sends the change's webhook (unless told not to) and waits until it is delivered or given up. */
  const notify = async (o: ChangeOptions, send: () => Promise<Delivery | null>) => (o.webhook === false ? null : send());

  return {
    /** base URL: the connection's `baseUrl` */
    url,
    companyId: data.company.id,
    /** every API request answered (method, path with query, status) */
    requests,
    /** every webhook delivery with its attempts */
    deliveries: deliverer.log,
    /**
     * Registers the webhook URL; like Recruitee's "Verify and create", sends `{"test":true}`
     * (unsigned: the integrator cannot have the secret yet) and answers whether it got a 200.
     */
    async setWebhookUrl(next: string | null): Promise<Delivery | null> {
      webhookUrl = next;
      if (!next) return null;
      return deliverer.send(next, () => ({ body: JSON.stringify({ test: true }), headers: { 'user-agent': 'Recruitee-Webhooks' } }));
    },
    /** Sends any body to the webhook URL: signed properly, or with the `signature` given (null: none). */
    sendWebhook(body: unknown, o: { signature?: string | null } = {}): Promise<Delivery> {
      if (!webhookUrl) throw new Error('no webhook URL registered (setWebhookUrl)');
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const signature = o.signature === undefined ? sign(text) : o.signature;
      // the bytes as given, every attempt (a test's own envelope, a replay)
      return deliverer.send(webhookUrl, () => ({ body: text, headers: { 'user-agent': 'Recruitee-Webhooks', ...(signature !== null ? { 'x-recruitee-signature': signature } : {}) } }));
    },
    /** Signs bytes as the fake does (tests building their own deliveries). */
    sign,
    /** Waits for every delivery in flight (API-made changes send theirs in the background). */
    idle: () => deliverer.idle(),

    async addCandidate(input: NewFakeCandidate, o: ChangeOptions = {}) {
      const c = create(input);
      await notify(o, () => emitCreated(c));
      return view(c);
    },
    async updateCandidate(id: number, patch: FakeCandidatePatch, o: ChangeOptions = {}) {
      const c = candidate(id);
      update(c, patch);
      await notify(o, () => emitUpdated(c));
      return view(c);
    },
    /** Moves the candidate's current placement (or the one on `offerId`) to a stage id, name or category; `hire` marks it hired. */
    async moveStage(id: number, stage: number | string, o: ChangeOptions & { offerId?: number } = {}) {
      const c = candidate(id);
      const m = move(c, stage, o.offerId);
      await notify(o, () => emitMoved(c, m));
      return view(c);
    },
    async disqualify(id: number, reason: string, o: ChangeOptions & { offerId?: number } = {}) {
      const c = candidate(id);
      const p = placement(c, o.offerId);
      const at = now();
      Object.assign(p, { disqualify_kind: 'admin', disqualify_reason: reason, disqualified_at: at, updated_at: at });
      c.updated_at = at;
      await notify(o, () => emitDisqualified(c, p));
      return view(c);
    },
    async requalify(id: number, o: ChangeOptions & { offerId?: number } = {}) {
      const c = candidate(id);
      const p = placement(c, o.offerId);
      const at = now();
      Object.assign(p, { disqualify_kind: null, disqualify_reason: null, disqualified_at: null, updated_at: at });
      c.updated_at = at;
      await notify(o, () => emit('requalified', c, { offer: offerOf(p) }));
      return view(c);
    },
    async deleteCandidate(id: number, o: ChangeOptions = {}) {
      const c = candidate(id);
      data.candidates.splice(data.candidates.indexOf(c), 1);
      data.notes = data.notes.filter((n) => n.candidate_id !== id);
      data.tasks = data.tasks.filter((t) => t.candidate_id !== id);
      await notify(o, () => emit('deleted', c, {}));
    },
    /** Notes and tasks change silently: Recruitee sends no webhooks for them. */
    addNote(candidateId: number, body: string) {
      candidate(candidateId);
      return noteView(data, addNoteRecord(candidateId, body)) as { id: number; body: string };
    },
    updateNote(noteId: number, body: string) {
      const n = data.notes.find((x) => x.id === noteId);
      if (!n) throw new Error(`no note ${noteId}`);
      n.body = body;
      n.updated_at = now();
      return noteView(data, n) as { id: number; body: string };
    },
    addTask(candidateId: number, t: { title: string; description?: string | null; dueDate?: string | null }) {
      candidate(candidateId);
      return taskView(addTaskRecord(candidateId, t)) as { id: number; title: string };
    },
    updateTask(taskId: number, patch: { title?: string; description?: string | null; dueDate?: string | null; completed?: boolean }) {
      const t = data.tasks.find((x) => x.id === taskId);
      if (!t) throw new Error(`no task ${taskId}`);
      changeTask(t, patch);
      return taskView(t) as { id: number; title: string; completed: boolean };
    },
    completeTask(taskId: number, completed = true) {
      const t = data.tasks.find((x) => x.id === taskId);
      if (!t) throw new Error(`no task ${taskId}`);
      changeTask(t, { completed });
      return taskView(t) as { id: number; title: string; completed: boolean };
    },

    /** A deep copy of everything the fake holds. */
    state(): FakeData {
      return clone(data);
    },
    async close(): Promise<void> {
      await deliverer.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type RecruiteeFake = Awaited<ReturnType<typeof createRecruiteeFake>>;
