/**
 * The Recruitee fake's data: a company with two jobs on the default pipeline, candidates with
 * placements, notes and tasks, and how they look in each API answer (list item, detail, search
 * hit, thin webhook copy, sideloaded `references`). Timestamps come from a clock that never
 * repeats, in Recruitee's microsecond format.
 */
import { fromMicros } from './normalize.js';

export interface FakeStage {
  id: number;
  name: string;
  category: string;
  position: number;
}

export interface FakeOffer {
  id: number;
  title: string;
  slug: string;
  kind: 'job' | 'talent_pool';
  status: string;
  department: { id: number; name: string };
  pipeline_template: { id: number; title: string; stages: FakeStage[] };
  created_at: string;
  updated_at: string;
}

export interface FakePlacement {
  id: number;
  candidate_id: number;
  offer_id: number;
  stage_id: number;
  position: number;
  created_at: string;
  updated_at: string;
  hired_at: string | null;
  hired_by_id: number | null;
  hired_in_this_placement: boolean;
  hired_in_other_placement: boolean;
  disqualify_kind: string | null;
  disqualify_reason: string | null;
  disqualified_at: string | null;
  job_starts_at: null;
  language: null;
  overdue_at: null;
  overdue_diff: null;
  positive_ratings: null;
  ratings: Record<string, number>;
}

export interface FakeCandidate {
  id: number;
  name: string;
  emails: string[];
  phones: string[];
  source: string;
  referrer: string | null;
  tags: string[];
  admin_id: number;
  created_at: string;
  updated_at: string;
  placements: FakePlacement[];
}

export interface FakeNote {
  id: number;
  candidate_id: number;
  body: string;
  admin_id: number;
  visibility: { level: string };
  created_at: string;
  updated_at: string;
}

export interface FakeTask {
  id: number;
  candidate_id: number;
  title: string;
  description: string | null;
  due_date: string | null;
  timezone: string | null;
  completed: boolean;
  completed_at: string | null;
  admin_id: number;
  created_at: string;
  updated_at: string;
}

export interface FakeAdmin {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
}

export interface FakeData {
  company: { id: number; name: string };
  admins: FakeAdmin[];
  offers: FakeOffer[];
  candidates: FakeCandidate[];
  notes: FakeNote[];
  tasks: FakeTask[];
}

/** The default pipeline (name → category), as in Recruitee's default template. */
export const DEFAULT_STAGES: Array<[string, string]> = [
  ['Referred', 'referred'],
  ['Sourced', 'sourced'],
  ['Applied', 'apply'],
  ['Phone interview', 'phone_screen'],
  ['On-site interview', 'interview'],
  ['Evaluation', 'evaluation'],
  ['Offer', 'offer'],
  ['Hired', 'hire'],
];

/** A microsecond clock that never answers the same instant twice. */
export function createClock(): () => string {
  let last = 0;
  return () => {
    last = Math.max(Date.now() * 1000, last + 1);
    return fromMicros(last);
  };
}

export function seedData(companyId: number, companyName: string, now: string): FakeData {
  const offer = (id: number, title: string, slug: string, firstStageId: number): FakeOffer => ({
    id,
    title,
    slug,
    kind: 'job',
    status: 'published',
    department: { id: 4001, name: 'Sales' },
    pipeline_template: { id: 600000 + id - 800000, title: `${title} pipeline`, stages: DEFAULT_STAGES.map(([name, category], i) => ({ id: firstStageId + i, name, category, position: i })) },
    created_at: now,
    updated_at: now,
  });
  return {
    company: { id: companyId, name: companyName },
    admins: [{ id: 300001, email: 'recruiter@example.com', first_name: 'Rita', last_name: 'Recruiter' }],
    offers: [offer(800001, 'Sales Rep', 'sales-rep', 9000001), offer(800002, 'Account Manager', 'account-manager', 9000101)],
    candidates: [],
    notes: [],
    tasks: [],
  };
}

export const clone = <T>(v: T): T => structuredClone(v);

// ---- API views ----

export function counts(data: FakeData, c: FakeCandidate) {
  return {
    notes_count: data.notes.filter((n) => n.candidate_id === c.id).length,
    tasks_count: data.tasks.filter((t) => t.candidate_id === c.id && !t.completed).length,
  };
}

/** `GET /candidates` list item (observed key set). */
export function listItem(data: FakeData, c: FakeCandidate): Record<string, unknown> {
  return {
    admin_id: c.admin_id,
    adminapp_url: `https://app.recruitee.com/#/dashboard/overview?candidate=${c.id}&company=${data.company.id}`,
    created_at: c.created_at,
    emails: [...c.emails],
    example: false,
    followed: false,
    has_avatar: false,
    id: c.id,
    initials: c.name.split(/\s+/).map((w) => w[0] ?? '').join('').slice(0, 2).toUpperCase(),
    last_message_at: null,
    name: c.name,
    ...counts(data, c),
    phones: [...c.phones],
    photo_thumb_url: null,
    placements: clone(c.placements),
    rating: 0,
    ratings: {},
    ratings_count: 0,
    referrer: c.referrer,
    source: c.source,
    unread_notifications: false,
    updated_at: c.updated_at,
    viewed: false,
  };
}

/** `GET /candidates/{id}`: the list item plus detail fields. */
export function detail(data: FakeData, c: FakeCandidate): Record<string, unknown> {
  return { ...listItem(data, c), tags: [...c.tags], sources: [c.source], custom_fields: [], fields: [], links: [], social_links: [], cover_letter: null, cv_url: null, gdpr_status: 'no_consent', last_activity_at: c.updated_at };
}

/** A `/search/new/candidates` hit: placements embed their stage and offer; tags are objects. */
export function searchHit(data: FakeData, c: FakeCandidate): Record<string, unknown> {
  const item = listItem(data, c);
  const placements = c.placements.map((p) => {
    const { offer, stage } = offerAndStage(data, p);
    return { ...clone(p), offer: offer && { id: offer.id, title: offer.title }, stage: stage && { id: stage.id, name: stage.name, category: stage.category } };
  });
  return { ...item, placements, tags: c.tags.map((name, i) => ({ id: 70000 + i, name })), disqualified: c.placements.some((p) => p.disqualify_kind !== null) };
}

/** The thin candidate of a webhook payload (observed key set). */
export function thin(c: FakeCandidate): Record<string, unknown> {
  return { created_at: c.created_at, emails: [...c.emails], id: c.id, name: c.name, phones: [...c.phones], photo_thumb_url: null, referrer: c.referrer, source: c.source, updated_at: c.updated_at };
}

export function offerAndStage(data: FakeData, p: FakePlacement): { offer: FakeOffer | null; stage: FakeStage | null } {
  const offer = data.offers.find((o) => o.id === p.offer_id) ?? null;
  return { offer, stage: offer?.pipeline_template.stages.find((s) => s.id === p.stage_id) ?? null };
}

export function offerBrief(o: FakeOffer): Record<string, unknown> {
  return { created_at: o.created_at, department: o.department, id: o.id, kind: o.kind, slug: o.slug, tags: [], title: o.title, updated_at: o.updated_at };
}

/** The sideloaded `references` of some candidates (their offers, stages and admins). */
export function references(data: FakeData, candidates: FakeCandidate[]): Array<Record<string, unknown>> {
  const refs = new Map<string, Record<string, unknown>>();
  for (const c of candidates) {
    for (const p of c.placements) {
      const { offer, stage } = offerAndStage(data, p);
      if (offer) refs.set(`Offer:${offer.id}`, { type: 'Offer', id: offer.id, guid: `g${offer.id}`, kind: offer.kind, lang_code: 'en', location: 'Amsterdam, Netherlands', position: 1, slug: offer.slug, status: offer.status, title: offer.title, department_id: offer.department.id });
      if (stage) refs.set(`Stage:${stage.id}`, { type: 'Stage', id: stage.id, name: stage.name, category: stage.category, position: stage.position, group: null, locked: false, fair_evaluations_enabled: false, placements_count: null, time_limit: null, created_at: null, updated_at: null });
    }
    const admin = data.admins.find((a) => a.id === c.admin_id);
    if (admin) refs.set(`Admin:${admin.id}`, { type: 'Admin', ...admin, initials: `${admin.first_name[0]}${admin.last_name[0]}`, has_avatar: false, photo_normal_url: null, photo_thumb_url: null, time_format24: true, timezone: 'Europe/Amsterdam' });
  }
  return [...refs.values()];
}

export function noteView(data: FakeData, n: FakeNote): Record<string, unknown> {
  const admin = data.admins.find((a) => a.id === n.admin_id);
  return { id: n.id, body: n.body, created_at: n.created_at, updated_at: n.updated_at, visibility: clone(n.visibility), admin: admin ? { id: admin.id, first_name: admin.first_name, last_name: admin.last_name, email: admin.email } : null, replies: [] };
}

export function taskView(t: FakeTask): Record<string, unknown> {
  return { ...clone(t), status: t.completed ? 'completed' : 'pending' };
}

// ---- webhook envelopes ----

/** A stage as webhook details carry it. */
export function stageBrief(s: { id: number; name: string; category: string } | null): Record<string, unknown> | null {
  return s ? { id: s.id, name: s.name, category: s.category } : null;
}

/** The offer brief of a placement's job, or null. */
export function placementOffer(data: FakeData, p: FakePlacement): Record<string, unknown> | null {
  const o = data.offers.find((x) => x.id === p.offer_id);
  return o ? offerBrief(o) : null;
}

/**
 * The envelope the fake sends for a change (before signing), shared by the fake and the catalog's
 * samples: `{ attempt_count, created_at, event_subtype, event_type, id, payload: { candidate (thin), company, …extra } }`.
 *
 * @example
 * webhookEnvelope(data, c, { type: 'new_candidate' }, { id: 31000001, createdAt: now, extra: { offers: [] }, subtype: 'manual' });
 */
export function webhookEnvelope(
  data: FakeData,
  c: FakeCandidate,
  type: { type: string; subtype?: string },
  o: { id: number; createdAt: string; extra: Record<string, unknown>; subtype?: string },
): Record<string, unknown> {
  return {
    attempt_count: 1,
    created_at: o.createdAt,
    event_subtype: type.subtype ?? o.subtype ?? null,
    event_type: type.type,
    id: o.id,
    payload: { candidate: thin(c), company: clone(data.company), ...o.extra },
  };
}
