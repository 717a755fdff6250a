/**
 * Recruitee (ATS): candidates by webhook (new, updated, stage change, disqualified, deleted; the
 * `event_type` strings are configurable since most are unverified) and by polling (changed
 * candidates; notes and tasks, which have no webhooks), actions on candidates, notes, tasks and
 * pipelines, the GHL 360° view pushed as a note, and a full listing for full syncs.
 */
import { defineConnector, type TriggerDef } from '../types.js';
import { recruiteeActions } from './actions.js';
import { recruiteeConnection, type RecruiteeConn } from './connection.js';
import { listAllCandidates, pollChangedCandidates, pollNotes, pollTasks } from './poll.js';
import { candidateEventSchema, jsonSchema, noteEventSchema, taskEventSchema } from './schemas.js';
import { recruiteeSamples } from './samples.js';
import { recruiteeWebhook } from './webhook.js';

const candidateOutput = jsonSchema(candidateEventSchema);

const webhookTrigger = (name: string, events: string[], title: string): TriggerDef<RecruiteeConn> => ({
  id: `recruitee.${name}`,
  title,
  kind: 'webhook',
  events,
  endpoint: 'POST /hooks/{connectionId}',
  output: candidateOutput,
});

/**
 * The Recruitee connector.
 *
 * @example
 * const connections = staticConnections([{ id: 'recruitee-main', app: 'recruitee', source: 'recruitee',
 *   config: { baseUrl: fake.url, companyId: 90001 }, secrets: { token: 't', webhookSecret: 's' } }]);
 * const runtime = createConnectorRuntime({ engine, connectors: [recruitee], connections });
 * await runtime.poll('recruitee-main', 'recruitee.candidates.changed');
 */
export const recruitee = defineConnector<RecruiteeConn>({
  app: 'recruitee',
  title: 'Recruitee',
  connection: recruiteeConnection,
  triggers: [
    webhookTrigger('candidate.created', ['candidate.created'], 'New candidate (webhook new_candidate; subtype = how it was created)'),
    webhookTrigger('candidate.updated', ['candidate.updated'], 'Candidate updated (webhook candidate_updated, name UNVERIFIED)'),
    webhookTrigger('candidate.stageChanged', ['candidate.stage_changed'], 'Candidate moved to another stage (webhook candidate_moved / stage_changed)'),
    webhookTrigger('candidate.disqualified', ['candidate.disqualified', 'candidate.requalified'], 'Candidate disqualified or requalified (webhook candidate_moved / disqualified|requalified)'),
    webhookTrigger('candidate.deleted', ['candidate.deleted'], 'Candidate deleted (webhook candidate_deleted, name UNVERIFIED)'),
    webhookTrigger('candidate.pullRequested', ['candidate.pull_requested'], 'Pull the GHL view on demand (signed envelope {"event_type":"pull_requested","payload":{"candidate":{"id":…}}})'),
    {
      id: 'recruitee.candidates.changed',
      title: 'Candidates created or changed (poll: search updated_at ≥ watermark)',
      kind: 'poll',
      events: ['candidate.created', 'candidate.updated'],
      endpoint: 'GET /c/{company_id}/search/new/candidates',
      output: candidateOutput,
      poll: pollChangedCandidates,
    },
    {
      id: 'recruitee.notes.changed',
      title: 'Candidate notes created or edited (poll: every candidate with notes)',
      kind: 'poll',
      events: ['note.changed'],
      endpoint: 'GET /c/{company_id}/candidates/{id}/notes',
      output: jsonSchema(noteEventSchema),
      poll: pollNotes,
    },
    {
      id: 'recruitee.tasks.changed',
      title: 'Candidate tasks created, edited or completed (poll: every candidate)',
      kind: 'poll',
      events: ['task.changed'],
      endpoint: 'GET /c/{company_id}/candidates/{id}/tasks',
      output: jsonSchema(taskEventSchema),
      poll: pollTasks,
    },
  ],
  actions: recruiteeActions,
  webhook: recruiteeWebhook,
  samples: recruiteeSamples,
  listAll: listAllCandidates,
});

export default recruitee;
export { recruiteeConnection, RecruiteeConnectionError, type RecruiteeConn } from './connection.js';
export { createRecruiteeClient, RecruiteeApiError, type RecruiteeClient } from './client.js';
export { parseRecruiteeWebhook, recruiteeWebhookEvent, readEnvelope, isRecruiteeProbe, engineEventType } from './webhook.js';
export { pollChangedCandidates, pollNotes, pollTasks, listAllCandidates, candidateEvent, type ChangedCursor } from './poll.js';
export { normalizeCandidate, normalizeNote, normalizeTask, resolveStage, indexReferences, candidateStateId } from './normalize.js';
export { renderContactView, isContactViewNote, VIEW_HEADING } from './contact-view.js';
export { DEFAULT_EVENT_TYPES, RECRUITEE_EVENTS, type Candidate, type CandidateEvent, type Note, type Task, type Stage, type RecruiteeEventType } from './schemas.js';
