import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookPayloadError } from '../types.js';
import { recruiteeConnection, type RecruiteeConn } from './connection.js';
import { createRecruiteeFake, type RecruiteeFake } from './fake.js';
import type { CandidateEvent } from './schemas.js';
import { engineEventType, isRecruiteeProbe, parseRecruiteeWebhook, readEnvelope, recruiteeWebhook } from './webhook.js';

let fake: RecruiteeFake;
let conn: RecruiteeConn;
let thinConn: RecruiteeConn;

beforeAll(async () => {
  fake = await createRecruiteeFake({ companyId: 90001, token: 'tok', webhookSecret: 'recruitee-webhook-secret' });
  const stored = (config: Record<string, unknown>) => ({ id: 'rc', app: 'recruitee', source: 'recruitee', config: { baseUrl: fake.url, companyId: 90001, ...config }, secrets: { token: 'tok', webhookSecret: 'recruitee-webhook-secret' } });
  conn = recruiteeConnection(stored({}));
  thinConn = recruiteeConnection(stored({ refetch: false }));
});
afterAll(() => fake.close());

const envelope = (over: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) => ({
  attempt_count: 1,
  created_at: '2024-03-05T08:00:01.234567Z',
  event_type: 'candidate_moved',
  event_subtype: 'stage_changed',
  id: 31000001,
  payload: {
    candidate: { id: 5000001, name: 'Jane Doe', emails: ['jane.doe@example.com'], phones: ['+15550100200'], source: 'career_site', created_at: '2024-03-04T10:15:22.123456Z', updated_at: '2024-03-05T08:00:00.000001Z' },
    company: { id: 90001, name: 'Acme BV' },
    details: { from_stage: { id: 9000003, name: 'Applied', category: 'apply' }, to_stage: { id: 9000004, name: 'Phone interview', category: 'phone_screen' } },
    offer: { id: 800001, title: 'Sales Rep', kind: 'job' },
    ...payload,
  },
  ...over,
});

describe('probe and signature', () => {
  it('knows the {"test":true} probe', () => {
    expect(isRecruiteeProbe({ test: true })).toBe(true);
    expect(isRecruiteeProbe({ ...envelope(), test: true })).toBe(true);
    expect(isRecruiteeProbe({ test: 'true' })).toBe(false);
    expect(isRecruiteeProbe([])).toBe(false);
  });

  it('verifies the reference test vector and refuses others', () => {
    const rawBody = Buffer.from('{"test":true}');
    const good = { 'X-Recruitee-Signature': '90b5cc2525de97be6d7711a61bbe3d401dacfafb37ce10f0393e70d00f072597' };
    expect(recruiteeWebhook.verify(conn, { rawBody, headers: good, now: 0 })).toMatchObject({ ok: true });
    expect(recruiteeWebhook.verify(conn, { rawBody: Buffer.from('{"test": true}'), headers: good, now: 0 })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(recruiteeWebhook.verify(conn, { rawBody, headers: {}, now: 0 })).toEqual({ ok: false, reason: 'missing-signature' });
    expect(recruiteeWebhook.successStatus).toBe(200);
  });
});

describe('readEnvelope', () => {
  const field = (body: unknown): string => {
    try {
      readEnvelope(body);
    } catch (e) {
      expect(e).toBeInstanceOf(WebhookPayloadError);
      return (e as WebhookPayloadError).field;
    }
    return 'no error';
  };

  it('names the malformed field', () => {
    expect(field('x')).toBe('body');
    expect(field(null)).toBe('body');
    expect(field({ id: 1, payload: {} })).toBe('event_type');
    expect(field({ event_type: 'x', payload: {} })).toBe('id');
    expect(field({ event_type: 'x', id: 1, event_subtype: 3, payload: {} })).toBe('event_subtype');
    expect(field({ event_type: 'x', id: 1, payload: [] })).toBe('payload');
  });

  it('maps type/subtype before type, and configured names', () => {
    expect(engineEventType(conn, { eventType: 'candidate_moved', eventSubtype: 'disqualified' })).toBe('candidate.disqualified');
    expect(engineEventType(conn, { eventType: 'candidate_moved', eventSubtype: 'something_new' })).toBe('candidate.stage_changed');
    expect(engineEventType(conn, { eventType: 'new_candidate', eventSubtype: 'career_site' })).toBe('candidate.created');
    expect(engineEventType(conn, { eventType: 'offer_changed', eventSubtype: null })).toBeNull();
  });
});

describe('parseRecruiteeWebhook', () => {
  it('turns a stage move into candidate.stage_changed keyed by the envelope id (thin candidate)', async () => {
    const [event, ...rest] = await parseRecruiteeWebhook(thinConn, envelope());
    expect(rest).toHaveLength(0);
    expect(event!.externalId).toBe('webhook:31000001');
    expect(event!.type).toBe('candidate.stage_changed');
    const p = event!.payload as unknown as CandidateEvent;
    expect(p.candidate).toMatchObject({ id: 5000001, firstName: 'Jane', lastName: 'Doe', email: 'jane.doe@example.com', company: 'Acme BV', stage: { name: 'Phone interview', category: 'phone_screen' }, status: null });
    expect(p.fromStage).toEqual({ id: 9000003, name: 'Applied', category: 'apply' });
    expect(p.toStage).toEqual({ id: 9000004, name: 'Phone interview', category: 'phone_screen' });
    expect(p.summary).toBe('Moved from Applied to Phone interview (Sales Rep)');
    expect(p.key).toBe('webhook:31000001');
    expect(p.noteKey).toBe('webhook:31000001');
    expect(p.event).toEqual({ id: 31000001, type: 'candidate_moved', subtype: 'stage_changed', attempt: 1, createdAt: '2024-03-05T08:00:01.234567Z' });
  });

  it('refuses a malformed candidate or move', async () => {
    await expect(parseRecruiteeWebhook(thinConn, envelope({}, { candidate: { id: 'abc' } }))).rejects.toMatchObject({ field: 'payload.candidate.id' });
    await expect(parseRecruiteeWebhook(thinConn, envelope({}, { candidate: undefined }))).rejects.toMatchObject({ field: 'payload.candidate' });
    await expect(parseRecruiteeWebhook(thinConn, envelope({}, { details: { from_stage: null } }))).rejects.toMatchObject({ field: 'payload.details.to_stage' });
  });

  it('acknowledges and ignores unmapped event types', async () => {
    expect(await parseRecruiteeWebhook(conn, envelope({ event_type: 'offer_changed', event_subtype: 'status_changed' }))).toEqual([]);
  });

  it('re-reads the full candidate and keys created/updated by its state, like the poll', async () => {
    const jane = await fake.addCandidate({ name: 'Jane Doe', emails: ['jane@example.com'], phones: ['+31612345678'], source: 'career_site', tags: ['remote'] });
    const body = envelope({ event_type: 'new_candidate', event_subtype: 'career_site', id: 99 }, { candidate: { id: jane.id, name: 'Jane Doe' }, details: undefined });
    const [event] = await parseRecruiteeWebhook(conn, body);
    expect(event!.type).toBe('candidate.created');
    expect(event!.externalId).toBe(`candidate:${jane.id}:${jane.updated_at}`);
    const p = event!.payload as unknown as CandidateEvent;
    expect(p.candidate).toMatchObject({ status: 'active', stage: { name: 'Applied', category: 'apply' }, offer: { id: 800001, title: 'Sales Rep' }, tags: ['remote'], phone: '+31612345678' });
    expect(p.summary).toBe('New candidate Jane Doe from career_site for Sales Rep');
    expect(p.key).toBe(event!.externalId);
    // one "New candidate" note per candidate, whichever path (webhook, poll) brings it first
    expect(p.noteKey).toBe(`candidate:${jane.id}:created`);

    await fake.disqualify(jane.id, 'Wrong skill set');
    const [dq] = await parseRecruiteeWebhook(conn, envelope({ event_subtype: 'disqualified', id: 100 }, { candidate: { id: jane.id }, details: { disqualify_reason: 'Wrong skill set' } }));
    expect(dq).toMatchObject({ type: 'candidate.disqualified', externalId: 'webhook:100' });
    expect((dq!.payload as unknown as CandidateEvent).candidate.status).toBe('disqualified');
    expect((dq!.payload as unknown as CandidateEvent).summary).toBe('Disqualified from Sales Rep: Wrong skill set');
  });

  it('falls back to the webhook copy when the candidate is gone', async () => {
    const [event] = await parseRecruiteeWebhook(conn, envelope({ event_type: 'candidate_deleted', event_subtype: null, id: 101 }, { candidate: { id: 4999999, name: 'Gone Person' }, details: undefined }));
    expect(event).toMatchObject({ type: 'candidate.deleted', externalId: 'webhook:101' });
    expect((event!.payload as unknown as CandidateEvent).candidate).toMatchObject({ id: 4999999, status: 'deleted', firstName: 'Gone' });
    const [updated] = await parseRecruiteeWebhook(conn, envelope({ event_type: 'candidate_updated', event_subtype: null, id: 102 }, { candidate: { id: 4999998, name: 'Also Gone', updated_at: '2024-01-01T00:00:00.000000Z' } }));
    expect(updated!.externalId).toBe('candidate:4999998:2024-01-01T00:00:00.000000Z');
  });
});
