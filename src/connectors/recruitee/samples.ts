/**
 * Catalog samples of the Recruitee triggers, made the way real events are: an envelope built as the
 * fake builds its deliveries (from its seed data), checked and normalised by the webhook parser
 * with the candidate re-read as the fake's `GET /candidates/{id}` answers; polled events from the
 * fake's search hits, list items, notes and tasks through the pollers' normalisers. Fixed times keep
 * the samples (and docs/catalog.md) stable.
 */
import type { ConnectorSamples, TriggerSample } from '../types.js';
import { recruiteeConnection, type RecruiteeConn } from './connection.js';
import { FAKE_EVENT_TYPES, type FakeEventKind } from './fake.js';
import { detail, listItem, noteView, offerAndStage, placementOffer, references, searchHit, seedData, stageBrief, taskView, webhookEnvelope, type FakeCandidate, type FakeData } from './fake-state.js';
import { indexReferences, normalizeCandidate, normalizeNote, normalizeTask } from './normalize.js';
import { candidateEvent } from './poll.js';
import type { RawCandidate, RawNote, RawTask } from './schemas.js';
import { engineEventType, readEnvelope, recruiteeWebhookEvent } from './webhook.js';

const AT = '2026-03-02T09:15:00.000000Z';
const LATER = '2026-03-02T09:15:01.000000Z';
const MOVED = '2026-03-04T14:30:00.000000Z';

/** The fake's company with one candidate on its first job (as `addCandidate` leaves it), moved to `stage`. */
function world(stage: string, patch: Partial<FakeCandidate['placements'][number]> = {}): { data: FakeData; c: FakeCandidate } {
  const data = seedData(90001, 'Acme BV', AT);
  const offer = data.offers[0]!;
  const s = offer.pipeline_template.stages.find((x) => x.category === stage)!;
  const c: FakeCandidate = {
    id: 5000001, name: 'Jane Doe', emails: ['jane.doe@example.com'], phones: ['+1 415 555 0134'], source: 'careers_site', referrer: null, tags: ['sales'],
    admin_id: data.admins[0]!.id, created_at: AT, updated_at: LATER,
    placements: [{
      id: 7000001, candidate_id: 5000001, offer_id: offer.id, stage_id: s.id, position: 1, created_at: AT, updated_at: LATER,
      hired_at: null, hired_by_id: null, hired_in_this_placement: false, hired_in_other_placement: false, disqualify_kind: null, disqualify_reason: null,
      disqualified_at: null, job_starts_at: null, language: null, overdue_at: null, overdue_diff: null, positive_ratings: null, ratings: {}, ...patch,
    }],
  };
  data.candidates.push(c);
  return { data, c };
}

/** A connection as `recruiteeConnection` reads one (default event types; nothing here calls its client). */
const conn: RecruiteeConn = recruiteeConnection({ id: 'recruitee-main', app: 'recruitee', source: 'recruitee', config: { companyId: 90001, companyName: 'Acme BV' }, secrets: { token: 'sample-token' } });

/** What the parser's refetch reads: the fake's detail answer with its references. */
function refetched(data: FakeData, c: FakeCandidate) {
  return normalizeCandidate(detail(data, c) as RawCandidate, { references: indexReferences(references(data, [c])), company: data.company.name });
}

function delivered(kind: FakeEventKind, data: FakeData, c: FakeCandidate, extra: Record<string, unknown>, id: number): TriggerSample {
  const env = readEnvelope(webhookEnvelope(data, c, FAKE_EVENT_TYPES[kind], { id, createdAt: MOVED, extra, subtype: kind === 'created' ? c.source : undefined }));
  const type = engineEventType(conn, env)!;
  const event = recruiteeWebhookEvent(conn, env, type, kind === 'deleted' ? null : refetched(data, c));
  return { type: event.type, payload: event.payload };
}

function created(): TriggerSample {
  const { data, c } = world('apply');
  return delivered('created', data, c, { offers: c.placements.map((p) => placementOffer(data, p)).filter(Boolean) }, 31000001);
}

function updated(): TriggerSample {
  const { data, c } = world('apply');
  return delivered('updated', data, c, { offers: c.placements.map((p) => placementOffer(data, p)).filter(Boolean) }, 31000002);
}

function moved(): TriggerSample {
  const { data, c } = world('phone_screen', { updated_at: MOVED });
  c.updated_at = MOVED;
  const p = c.placements[0]!;
  const from = data.offers[0]!.pipeline_template.stages.find((s) => s.category === 'apply')!;
  return delivered('moved', data, c, { details: { from_stage: stageBrief(from), to_stage: stageBrief(offerAndStage(data, p).stage) }, offer: placementOffer(data, p) }, 31000003);
}

function disqualified(): TriggerSample {
  const { data, c } = world('phone_screen', { disqualify_kind: 'admin', disqualify_reason: 'Not a fit for the role', disqualified_at: MOVED, updated_at: MOVED });
  c.updated_at = MOVED;
  const p = c.placements[0]!;
  return delivered('disqualified', data, c, { details: { disqualify_reason: p.disqualify_reason, disqualify_kind: p.disqualify_kind, stage: stageBrief(offerAndStage(data, p).stage) }, offer: placementOffer(data, p) }, 31000004);
}

function requalified(): TriggerSample {
  const { data, c } = world('phone_screen', { updated_at: MOVED });
  c.updated_at = MOVED;
  return delivered('requalified', data, c, { offer: placementOffer(data, c.placements[0]!) }, 31000005);
}

function deleted(): TriggerSample {
  const { data, c } = world('apply');
  return delivered('deleted', data, c, {}, 31000006);
}

/** ghl-bridge's own signed envelope for the on-demand pull (recipe 9). */
function pullRequested(): TriggerSample {
  const { data, c } = world('interview');
  const env = readEnvelope({ id: 'pull-5000001-1', event_type: 'pull_requested', created_at: MOVED, payload: { candidate: { id: c.id } } });
  const event = recruiteeWebhookEvent(conn, env, 'candidate.pull_requested', refetched(data, c));
  return { type: event.type, payload: event.payload };
}

function polledCandidates(): TriggerSample[] {
  const { data, c } = world('apply');
  const candidate = normalizeCandidate(searchHit(data, c) as RawCandidate, { references: indexReferences(references(data, [c])), company: conn.config.companyName ?? null });
  return [candidateEvent(conn, candidate, 'poll', 'new'), candidateEvent(conn, { ...candidate, name: 'Jane Doe-Smith', lastName: 'Doe-Smith' }, 'poll', false)].map((e) => ({ type: e.type, payload: e.payload }));
}

function polledNote(): TriggerSample {
  const { data, c } = world('phone_screen');
  const candidate = normalizeCandidate(listItem(data, c) as RawCandidate, { references: indexReferences(references(data, [c])), company: conn.config.companyName ?? null });
  const raw = noteView(data, { id: 8100001, candidate_id: c.id, body: '<p>Great phone screen: <b>strong</b> on pipeline building.</p>', admin_id: data.admins[0]!.id, visibility: { level: 'public' }, created_at: MOVED, updated_at: MOVED });
  return { type: 'note.changed', payload: { candidate, note: normalizeNote(raw as RawNote), origin: 'poll' } };
}

function polledTask(): TriggerSample {
  const { data, c } = world('phone_screen');
  const candidate = normalizeCandidate(listItem(data, c) as RawCandidate, { references: indexReferences(references(data, [c])), company: conn.config.companyName ?? null });
  const raw = taskView({ id: 8200001, candidate_id: c.id, title: 'Schedule the on-site interview', description: 'Two slots next week with the sales lead', due_date: '2026-03-09T10:00:00.000000Z', timezone: 'Europe/Amsterdam', completed: false, completed_at: null, admin_id: data.admins[0]!.id, created_at: MOVED, updated_at: MOVED });
  return { type: 'task.changed', payload: { candidate, task: normalizeTask(raw as RawTask), origin: 'poll' } };
}

/**
 * @example
 * recruiteeSamples.triggers['recruitee.candidate.created']!()[0]!.payload.candidate; // { id: 5000001, name: 'Jane Doe', email: 'jane.doe@example.com', … }
 */
export const recruiteeSamples: ConnectorSamples = {
  triggers: {
    'recruitee.candidate.created': () => [created()],
    'recruitee.candidate.updated': () => [updated()],
    'recruitee.candidate.stageChanged': () => [moved()],
    'recruitee.candidate.disqualified': () => [disqualified(), requalified()],
    'recruitee.candidate.deleted': () => [deleted()],
    'recruitee.candidate.pullRequested': () => [pullRequested()],
    'recruitee.candidates.changed': polledCandidates,
    'recruitee.notes.changed': () => [polledNote()],
    'recruitee.tasks.changed': () => [polledTask()],
  },
  actions: {
    'recruitee.getCandidate': { candidateId: 5000001 },
    'recruitee.listCandidates': { limit: 50, offset: 0, createdAfter: '2026-03-01T00:00:00Z' },
    'recruitee.updateCandidate': { candidateId: 5000001, name: 'Jane Doe-Smith', emails: ['jane.doe@example.com'], phones: ['+14155550134'] },
    'recruitee.listNotes': { candidateId: 5000001 },
    'recruitee.addNote': { candidateId: 5000001, body: 'Called from HighLevel: interested in the Sales Rep role.' },
    'recruitee.updateNote': { candidateId: 5000001, noteId: 8100001, body: 'Called back: available from April.' },
    'recruitee.listTasks': { candidateId: 5000001 },
    'recruitee.createTask': { candidateId: 5000001, title: 'Send the offer letter', description: 'Salary band B, start in April', dueDate: '2026-03-10T09:00:00Z', timezone: 'Europe/Amsterdam' },
    'recruitee.updateTask': { taskId: 8200001, title: 'Schedule the on-site interview', dueDate: '2026-03-11T10:00:00Z' },
    'recruitee.completeTask': { taskId: 8200001, completed: true },
    'recruitee.getOfferStages': { offerId: 800001 },
    'recruitee.pushContactView': { candidateId: 5000001, contactId: 'ocQHyuzHvysMo5N5VsXc' },
  },
};
